import Foundation
import TestSupport
import XCTest
@testable import ThemeConfig

/// Files written to hurt: each is refused quickly with a diagnostic naming the file, never expanded.
final class HostileFileTests: XCTestCase {
    func write(_ text: String, as name: String = "bomb.yaml") throws -> URL {
        let file = try temporaryFolder(self).appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Nine anchors each used nine times by the next: 9⁹ nodes once expanded.
    func testAnAliasBombIsRefusedWithoutExpanding() throws {
        var lines = ["name: bomb", "a0: &a0 [" + Array(repeating: "\"lol\"", count: 9).joined(separator: ",") + "]"]
        for level in 1...8 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]") }
        lines.append("title: *a8")
        let file = try write(lines.joined(separator: "\n"))
        let start = Date()
        let result = loader.check(files: [file])
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "refused before expanding")
        XCTAssertEqual(result.diagnostics.count, 1)
        XCTAssertEqual(result.diagnostics.first?.file, file.standardizedFileURL)
        XCTAssertTrue(result.diagnostics.first?.message.hasPrefix("the file expands to more than 100000 YAML nodes") == true,
                      "\(result.diagnostics)")
        let set = SeasonalSetLoader(catalog: fakeCatalog, themes: []).load(file: file)
        XCTAssertTrue(set.diagnostics.first?.message.hasPrefix("the file expands to more than 100000 YAML nodes") == true)
    }

    func testAFileTooLargeToBeAThemeIsNotRead() throws {
        let file = try write("name: huge\ntitle: \"" + String(repeating: "x", count: SourceNode.maxBytes) + "\"\n", as: "huge.yaml")
        XCTAssertEqual(loader.check(files: [file]).diagnostics.map(\.message),
                       ["theme file is \(SourceNode.maxBytes + 21) bytes; at most \(SourceNode.maxBytes) are read"])
    }
}

/// Found by `make fuzz`: Foundation's read of an empty file leaks 4 KB each time, so under
/// `make test-sanitizers` (LeakSanitizer) this failed until empty files stopped being read.
final class EmptyFileTests: XCTestCase {
    func testAnEmptyThemeFileIsReadWithoutFoundation() throws {
        let file = try temporaryFolder(self).appendingPathComponent("empty.yaml")
        XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: Data()))
        for _ in 0..<100 { XCTAssertEqual(try SourceNode.read(file, kind: "theme").get(), "") }
        XCTAssertEqual(loader.check(files: [file]).diagnostics.map(\.message), ["a theme file must be a mapping of keys"])
    }
}
