import Foundation
import XCTest

/// A fresh folder under the system's temporary folder, removed when the test ends.
public func temporaryFolder(_ test: XCTestCase) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("neurossia-\(UUID().uuidString.prefix(8))", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}

/// Runs a program to completion (in `folder`, if given) and returns its exit status and its
/// standard output and error together.
@discardableResult
public func runProcess(_ executable: String, _ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The little-endian length prefix followed by `json` padded with spaces to 8 bytes, then `data`:
/// for building malformed files by hand.
public func safetensorsBytes(json: String, data: [UInt8] = [], pad: Bool = true) -> [UInt8] {
    var header = Array(json.utf8)
    if pad { header += Array(repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8) }
    var bytes: [UInt8] = []
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
    return bytes + header + data
}

/// The id of a process that has exited and been reaped, so nothing holds it (barring reuse).
public func deadProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
}

public func directoryListing(_ path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
}
