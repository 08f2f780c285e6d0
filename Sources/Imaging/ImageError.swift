/// Why a picture could not be read or written, and which file it was; `description` says what to do.
public struct ImageError: Error, Equatable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// The file has no bytes at all.
        case empty
        /// The data stops before the picture ends; `detail` is the codec's own message.
        case truncated(ImageFormat, detail: String)
        /// The bytes are no picture format we know, whatever the file's extension says.
        case notAnImage
        /// A picture, but in a format we do not decode (GIF, WebP, …).
        case unsupportedFormat(String)
        /// The header declares more pixels than the caller allows.
        case tooLarge(width: Int, height: Int, limit: Int)
        /// The path could not be read as a file (missing, a directory, …).
        case unreadable(String)
        /// The codec rejected the data; `detail` is its own message.
        case decodeFailed(ImageFormat, detail: String)
        /// The codec could not encode the picture; `detail` is its own message.
        case encodeFailed(ImageFormat, detail: String)
        /// The file could not be written (folder missing, disk full, …).
        case unwritable(String)
    }

    /// The path as the caller gave it, or a name for in-memory data.
    public var file: String
    public var reason: Reason

    public init(file: String, reason: Reason) {
        self.file = file
        self.reason = reason
    }

    public var description: String {
        "\(file): \(explanation)"
    }

    private var explanation: String {
        switch reason {
        case .empty:
            return "empty file (0 bytes); delete it or replace it with the picture"
        case .truncated(let format, let detail):
            return "truncated \(format) data (\(format.library): \(detail)); the file was cut short, re-download or re-export it"
        case .notAnImage:
            return "not an image (its bytes are neither PNG nor JPEG, whatever the extension says)"
        case .unsupportedFormat(let name):
            return "\(name) images are not supported; convert it to PNG or JPEG"
        case .tooLarge(let width, let height, let limit):
            return "image is \(width)×\(height) pixels, more than the limit of \(limit); shrink it or raise the limit"
        case .unreadable(let detail):
            return "cannot read (\(detail))"
        case .decodeFailed(let format, let detail):
            return "corrupt \(format) data (\(format.library): \(detail))"
        case .encodeFailed(let format, let detail):
            return "cannot encode as \(format) (\(format.library): \(detail))"
        case .unwritable(let detail):
            return "cannot write (\(detail))"
        }
    }
}
