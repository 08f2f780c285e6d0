import CPNG

/// PNG through libpng's simplified API, which reports errors in `png_image.message` instead of longjmp.
enum PNGCodec {
    /// Every PNG kind (grey, palette with tRNS, RGB, with or without alpha, 1–16 bits) is read as
    /// 8-bit straight RGBA and composited over `background`.
    static func decode(_ bytes: UnsafeRawBufferPointer, file: String, background: RGB, maxPixels: Int) throws -> Image {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_memory(&png, bytes.baseAddress, bytes.count) != 0 else {
            throw failure(png, file: file)
        }
        let (width, height) = (Int(png.width), Int(png.height))
        guard width * height <= maxPixels else {
            png_image_free(&png)
            throw ImageError(file: file, reason: .tooLarge(width: width, height: height, limit: maxPixels))
        }
        // Without this flag libpng takes 16-bit samples as linear light and gamma-encodes them,
        // brightening every 16-bit file; other tools read them as sRGB, as intended here.
        png.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        png.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
        var rgba = [UInt8](repeating: 0, count: 4 * width * height)
        let finished = rgba.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw failure(png, file: file) }
        return rgba.withUnsafeBufferPointer {
            Image(interleaved: $0, width: width, height: height, channels: 4, background: background)
        }
    }

    /// 8-bit RGB PNG of `image`.
    static func encode(_ image: Image, file: String) throws -> [UInt8] {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(image.width)
        png.height = UInt32(image.height)
        png.format = UInt32(PNG_FORMAT_RGB)
        let rgb = image.interleavedRGB8()
        // Raw size plus filter bytes and headroom nearly always suffices; if not, libpng says how much does.
        var capacity = rgb.count + image.height + 1024
        for _ in 0..<2 {
            var output = [UInt8](repeating: 0, count: capacity)
            var size = capacity
            let written = output.withUnsafeMutableBytes { memory in
                rgb.withUnsafeBytes { png_image_write_to_memory(&png, memory.baseAddress, &size, 0, $0.baseAddress, 0, nil) }
            }
            if written != 0 { return Array(output.prefix(size)) }
            guard size > capacity else { break }
            capacity = size
        }
        throw ImageError(file: file, reason: .encodeFailed(.png, detail: String(cMessage: png.message)))
    }

    /// libpng's reading error, classified; running out of input is how a cut-off file shows.
    private static func failure(_ png: png_image, file: String) -> ImageError {
        let detail = String(cMessage: png.message)
        let truncated = detail.contains("beyond end of data")
        return ImageError(file: file, reason: truncated ? .truncated(.png, detail: detail) : .decodeFailed(.png, detail: detail))
    }
}
