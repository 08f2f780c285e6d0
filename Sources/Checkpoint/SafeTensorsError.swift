/// Why a safetensors file (or a request for one of its tensors) was refused, naming the file and
/// tensor where known so a message reads "state.safetensors: tensor \"g.w\": ...".
public struct SafeTensorsError: Error, Equatable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case fileTooShort(size: Int)
        case headerTooLarge(headerLength: UInt64, limit: Int)
        case headerBeyondFile(headerLength: UInt64, fileSize: Int)
        case headerNotUTF8
        /// `offset` is in bytes from the start of the JSON header.
        case invalidJSON(offset: Int, reason: String)
        case headerNotObject(found: String)
        case duplicateName
        case entryNotObject(found: String)
        case missingField(String)
        /// A field present with the wrong JSON type, e.g. `shape` given as a string.
        case wrongFieldType(field: String, expected: String, found: String)
        case unknownDType(String)
        /// A dimension that is negative, fractional or too large; `text` is as written.
        case invalidDimension(index: Int, text: String)
        case invalidOffset(text: String)
        case offsetsReversed(begin: Int, end: Int)
        /// `shape product × dtype size` disagrees with `end − begin`.
        case sizeMismatch(expectedBytes: Int, actualBytes: Int)
        case offsetsOutOfBounds(begin: Int, end: Int, dataSize: Int)
        case overlaps(other: String, begin: Int, otherEnd: Int)
        case gapBefore(begin: Int, expected: Int)
        /// Data bytes after the last tensor that no header entry accounts for.
        case trailingData(coveredBytes: Int, dataSize: Int)
        case metadataNotObject(found: String)
        case metadataValueNotString(key: String, found: String)
        case tensorNotFound
        case wrongDType(expected: String, found: String)
    }

    /// The file's path, or nil when parsing bytes that came from elsewhere.
    public var file: String?
    /// The tensor concerned, or nil for problems with the file as a whole.
    public var tensor: String?
    public var problem: Problem

    public init(file: String? = nil, tensor: String? = nil, problem: Problem) {
        self.file = file
        self.tensor = tensor
        self.problem = problem
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let tensor { parts.append(tensor == SafeTensorsFile.metadataKey ? "metadata" : "tensor \"\(tensor)\"") }
        parts.append(problemText)
        return parts.joined(separator: ": ")
    }

    private var problemText: String {
        switch problem {
        case let .fileTooShort(size):
            return "only \(size) bytes long; a safetensors file starts with an 8-byte header length"
        case let .headerTooLarge(length, limit):
            return "header length \(length) exceeds the \(limit)-byte limit (not a safetensors file?)"
        case let .headerBeyondFile(length, size):
            return "header length \(length) runs past the end of the \(size)-byte file (truncated?)"
        case .headerNotUTF8:
            return "header is not valid UTF-8"
        case let .invalidJSON(offset, reason):
            return "header is not valid JSON at byte \(offset): \(reason)"
        case let .headerNotObject(found):
            return "header is \(found), expected a JSON object"
        case .duplicateName:
            return "appears twice in the header"
        case let .entryNotObject(found):
            return "entry is \(found), expected an object with dtype, shape and data_offsets"
        case let .missingField(field):
            return "missing \"\(field)\""
        case let .wrongFieldType(field, expected, found):
            return "\"\(field)\" is \(found), expected \(expected)"
        case let .unknownDType(name):
            return "unknown dtype \"\(name)\" (known: \(SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .invalidDimension(index, text):
            return "shape dimension \(index) is \(text), expected a non-negative integer"
        case let .invalidOffset(text):
            return "data offset \(text) is not a non-negative integer"
        case let .offsetsReversed(begin, end):
            return "data_offsets [\(begin), \(end)] end before they begin"
        case let .sizeMismatch(expected, actual):
            return "shape and dtype need \(expected) bytes but data_offsets span \(actual)"
        case let .offsetsOutOfBounds(begin, end, size):
            return "data_offsets [\(begin), \(end)] run past the \(size)-byte data section (truncated?)"
        case let .overlaps(other, begin, otherEnd):
            return "data starting at \(begin) overlaps tensor \"\(other)\", which ends at \(otherEnd)"
        case let .gapBefore(begin, expected):
            return "data starts at \(begin) but the previous tensor ends at \(expected), leaving a gap"
        case let .trailingData(covered, size):
            return "tensors cover \(covered) bytes but the data section has \(size)"
        case let .metadataNotObject(found):
            return "is \(found), expected an object of strings"
        case let .metadataValueNotString(key, found):
            return "value of \"\(key)\" is \(found), expected a string"
        case .tensorNotFound:
            return "not in the file"
        case let .wrongDType(expected, found):
            return "dtype is \(found), expected \(expected)"
        }
    }
}
