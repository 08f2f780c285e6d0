import Foundation

extension Image {
    /// 64 megapixels: a large camera photo passes, a decompression bomb does not.
    public static let defaultMaxPixels = 64_000_000

    /// Reads a PNG or JPEG, recognised by content. Transparent pixels are composited over `background`;
    /// pictures with more than `maxPixels` pixels are refused from their header, before decoding.
    /// Throws `ImageError`.
    public init(contentsOf url: URL, background: RGB = .white, maxPixels: Int = defaultMaxPixels) throws {
        let bytes = try FileBytes.read(url)
        try self.init(decoding: bytes, name: url.path, background: background, maxPixels: maxPixels)
    }

    /// Decodes PNG or JPEG bytes (`Data`, `[UInt8]`, …); `name` stands in for the file in errors.
    /// Throws `ImageError`.
    public init(decoding bytes: some ContiguousBytes, name: String = "<memory>",
                background: RGB = .white, maxPixels: Int = defaultMaxPixels) throws {
        self = try bytes.withUnsafeBytes { raw in
            switch try ImageFormat.detect(raw, file: name) {
            case .png: return try PNGCodec.decode(raw, file: name, background: background, maxPixels: maxPixels)
            case .jpeg: return try JPEGCodec.decode(raw, file: name, background: background, maxPixels: maxPixels)
            }
        }
    }
}
