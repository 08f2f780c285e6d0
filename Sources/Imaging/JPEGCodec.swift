import CJPEG

/// JPEG through libjpeg(-turbo), whose errors the C shim turns into status codes and messages.
enum JPEGCodec {
    static func decode(_ bytes: UnsafeRawBufferPointer, file: String, background: RGB, maxPixels: Int) throws -> Image {
        var rgb: UnsafeMutablePointer<UInt8>?
        let data = bytes.assumingMemoryBound(to: UInt8.self)
        let outcome = cjpeg_decode_rgb(data.baseAddress, data.count, UInt64(max(0, maxPixels)), &rgb)
        defer { cjpeg_free(rgb) }
        let (width, height) = (Int(outcome.width), Int(outcome.height))
        switch outcome.status {
        case CJPEG_OK:
            guard let rgb else { break }
            let samples = UnsafeBufferPointer(start: rgb, count: 3 * width * height)
            return Image(interleaved: samples, width: width, height: height, channels: 3, background: background)
        case CJPEG_TOO_LARGE:
            throw ImageError(file: file, reason: .tooLarge(width: width, height: height, limit: maxPixels))
        case CJPEG_TRUNCATED:
            throw ImageError(file: file, reason: .truncated(.jpeg, detail: String(cMessage: outcome.message)))
        case CJPEG_OUT_OF_MEMORY:
            throw ImageError(file: file, reason: .decodeFailed(.jpeg, detail: "out of memory for \(width)×\(height) pixels"))
        default:
            break
        }
        throw ImageError(file: file, reason: .decodeFailed(.jpeg, detail: String(cMessage: outcome.message)))
    }

    /// Baseline JPEG of `image` at `quality` in 1…100.
    static func encode(_ image: Image, quality: Int, file: String) throws -> [UInt8] {
        let rgb = image.interleavedRGB8()
        var jpeg: UnsafeMutablePointer<UInt8>?
        var size = 0
        let outcome = rgb.withUnsafeBufferPointer {
            cjpeg_encode_rgb($0.baseAddress, UInt32(image.width), UInt32(image.height), Int32(clamping: quality), &jpeg, &size)
        }
        defer { cjpeg_free(jpeg) }
        guard outcome.status == CJPEG_OK, let jpeg else {
            throw ImageError(file: file, reason: .encodeFailed(.jpeg, detail: String(cMessage: outcome.message)))
        }
        return Array(UnsafeBufferPointer(start: jpeg, count: size))
    }
}
