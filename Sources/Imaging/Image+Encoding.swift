import Foundation

extension Image {
    /// An 8-bit RGB PNG; values are clamped to [0, 1] and rounded. Throws `ImageError`.
    public func pngData() throws -> [UInt8] {
        try PNGCodec.encode(self, file: "<memory>")
    }

    /// A baseline JPEG at `quality` in 1…100. Throws `ImageError`.
    public func jpegData(quality: Int) throws -> [UInt8] {
        try JPEGCodec.encode(self, quality: quality, file: "<memory>")
    }

    /// Writes a PNG atomically: either the whole new file or the old one is found at `url`.
    public func write(png url: URL) throws {
        try Self.write(pngData: try PNGCodec.encode(self, file: url.path), to: url)
    }

    /// Writes bytes made by `pngData()` atomically, as `write(png:)` does.
    public static func write(pngData bytes: [UInt8], to url: URL) throws {
        try FileBytes.writeAtomically(bytes, to: url)
    }

    /// Writes a JPEG atomically at `quality` in 1…100.
    public func write(jpeg url: URL, quality: Int) throws {
        try FileBytes.writeAtomically(try JPEGCodec.encode(self, quality: quality, file: url.path), to: url)
    }
}
