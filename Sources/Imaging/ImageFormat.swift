/// The picture formats we decode, recognised by their leading bytes rather than by file extension.
public enum ImageFormat: String, Sendable, CustomStringConvertible {
    case png = "PNG"
    case jpeg = "JPEG"

    public var description: String { rawValue }

    /// The C library behind the codec, named in error messages.
    var library: String {
        switch self {
        case .png: return "libpng"
        case .jpeg: return "libjpeg"
        }
    }

    var signature: [UInt8] {
        switch self {
        case .png: return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        case .jpeg: return [0xFF, 0xD8, 0xFF]
        }
    }

    /// Formats users commonly have lying around, named so the error can say what the file is;
    /// `nil` matches any byte.
    private static let foreignSignatures: [(name: String, pattern: [UInt8?])] = [
        ("GIF", bytes("GIF8")),
        ("TIFF", [0x49, 0x49, 0x2A, 0x00]),
        ("TIFF", [0x4D, 0x4D, 0x00, 0x2A]),
        ("WebP", bytes("RIFF") + [nil, nil, nil, nil] + bytes("WEBP")),
        ("HEIC", [nil, nil, nil, nil] + bytes("ftypheic")),
        ("HEIF", [nil, nil, nil, nil] + bytes("ftypmif1")),
        ("AVIF", [nil, nil, nil, nil] + bytes("ftypavif")),
    ]

    private static func bytes(_ text: String) -> [UInt8?] { text.utf8.map { $0 } }

    private static func matches(_ bytes: UnsafeRawBufferPointer, _ pattern: [UInt8?]) -> Bool {
        bytes.count >= pattern.count && zip(bytes, pattern).allSatisfy { byte, expected in expected.map { $0 == byte } ?? true }
    }

    /// The format of `bytes`, judged by magic numbers only. Throws `ImageError` for empty data,
    /// data cut inside a signature, known but unsupported formats, and anything else.
    static func detect(_ bytes: UnsafeRawBufferPointer, file: String) throws -> ImageFormat {
        if bytes.isEmpty { throw ImageError(file: file, reason: .empty) }
        for format in [ImageFormat.png, .jpeg] {
            let signature = format.signature
            let compared = min(signature.count, bytes.count)
            guard bytes.prefix(compared).elementsEqual(signature.prefix(compared)) else { continue }
            if compared < signature.count {
                throw ImageError(file: file, reason: .truncated(format, detail: "only \(bytes.count) bytes"))
            }
            return format
        }
        for foreign in foreignSignatures where matches(bytes, foreign.pattern) {
            throw ImageError(file: file, reason: .unsupportedFormat(foreign.name))
        }
        throw ImageError(file: file, reason: .notAnImage)
    }
}
