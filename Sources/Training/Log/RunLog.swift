#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Checkpoint
import Foundation

/// The append-only training log, `<checkpoint folder>/log.jsonl`: one `RunLogRecord` as JSON per line.
///
/// Each line goes to the kernel in a single `write` on a descriptor opened with `O_APPEND`, so a
/// process killed at any moment loses at most the line it was writing, and the reader skips that.
public final class RunLog {
    public let path: String
    private let fd: Int32
    private let encoder: JSONEncoder

    /// The file name inside a checkpoint folder.
    public static let fileName = CheckpointFiles.log

    /// Opens `path` for appending, creating it if needed. A last line left unfinished by a killed
    /// writer is closed with a newline first, so the next record starts on a line of its own.
    public init(appendingTo path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", errno: errno) }
        self.path = path
        self.fd = fd
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = RunLog.nonFiniteEncoding
        do {
            if try RunLog.endsInsideLine(path) { try POSIXFile.writeAll(fd, [UInt8(ascii: "\n")], path: path) }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// Writes `record` as one line.
    public func append(_ record: RunLogRecord) throws {
        var line = Array(try encoder.encode(record))
        line.append(UInt8(ascii: "\n"))
        try POSIXFile.writeAll(fd, line, path: path)
    }

    /// Every line of the log that parses, in order, and how many did not (a line cut short by a
    /// kill, or damaged otherwise). A missing file throws `FileError` with `isNotFound`.
    public static func read(_ path: String) throws -> (records: [RunLogRecord], skippedLines: Int) {
        let bytes = try POSIXFile.readAll(path)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = nonFiniteDecoding
        var records: [RunLogRecord] = []
        var skipped = 0
        for line in bytes.split(separator: UInt8(ascii: "\n")) where line.contains(where: { $0 > 0x20 }) {
            if let record = try? decoder.decode(RunLogRecord.self, from: Data(line)) {
                records.append(record)
            } else {
                skipped += 1
            }
        }
        return (records, skipped)
    }

    private static let nonFiniteEncoding = JSONEncoder.NonConformingFloatEncodingStrategy
        .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    private static let nonFiniteDecoding = JSONDecoder.NonConformingFloatDecodingStrategy
        .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// Whether the file is non-empty and its last byte is not a newline.
    private static func endsInsideLine(_ path: String) throws -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return false }
        var last: UInt8 = 0
        guard pread(fd, &last, 1, size - 1) == 1 else { throw FileError(path: path, operation: "read", errno: errno) }
        return last != UInt8(ascii: "\n")
    }
}
