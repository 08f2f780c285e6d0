import Foundation
import XCTest
@testable import ThemeConfig

final class ThemeTemplateTests: XCTestCase {
    private func write(_ text: String, named name: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("neurossia-\(UUID().uuidString)")
        let themes = root.appendingPathComponent("Themes", isDirectory: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data/\(name)"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        let file = themes.appendingPathComponent("\(name).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return file
    }

    func testTemplateLoadsBackCleanWithDefaults() throws {
        let template = try ThemeTemplate(name: "dachas", dataPath: "../data/dachas",
                                         architecture: fakeCatalog.architectures[0], source: fakeCatalog.datasetSources[0])
        let file = try write(template.text, named: "dachas")
        let result = loader.check(files: [file])
        XCTAssertEqual(result.diagnostics.map(\.description), [], template.text)
        let theme = try XCTUnwrap(result.themes.first)
        XCTAssertEqual(theme.name, "dachas")
        XCTAssertEqual(theme.dataset.path?.lastPathComponent, "dachas")
        XCTAssertEqual(theme.training.batch, 32)
    }

    func testEveryCommentedDefaultIsValidWhenUncommented() throws {
        let template = try ThemeTemplate(name: "dachas", dataPath: "../data/dachas",
                                         architecture: fakeCatalog.architectures[0], source: fakeCatalog.datasetSources[0])
        let setting = try NSRegularExpression(pattern: "^( *)# ( *[a-z_]+:[^#]*?) *(# .*)?$", options: .anchorsMatchLines)
        let text = template.text
        let uncommented = setting.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1$2")
        XCTAssertFalse(uncommented.contains("# batch"), uncommented)
        let file = try write(uncommented, named: "dachas")
        let result = loader.check(files: [file])
        XCTAssertEqual(result.diagnostics.map(\.description), [], uncommented)
        XCTAssertEqual(result.themes.first?.training, try XCTUnwrap(loader.check(files: [try write(template.text, named: "dachas")]).themes.first).training)
    }

    func testTemplateText() throws {
        let template = try ThemeTemplate(name: "dachas", dataPath: "../data/my dachas",
                                         architecture: fakeCatalog.architectures[1], source: fakeCatalog.datasetSources[0])
        let lines = template.text.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("name: dachas"))
        XCTAssertTrue(lines.contains("  path: \"../data/my dachas\""))
        XCTAssertTrue(lines.contains("  name: fastgan-lite"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("#   batch: 32 ") && $0.hasSuffix("# Images per optimiser step.") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("  # skip: true ") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("  # resolution: 64 ") })
    }

    func testTemplatePicksAResolutionTheArchitectureCanMake() throws {
        let big = PluginDeclaration(name: "big", resolutions: [256, 512], parameters: [], summary: "")
        let template = try ThemeTemplate(name: "x", dataPath: "p", architecture: big, source: fakeCatalog.datasetSources[0])
        XCTAssertTrue(template.text.contains("\n  resolution: 256\n"), template.text)
    }

    func testRejectsABadName() {
        XCTAssertThrowsError(try ThemeTemplate(name: "My Cats", dataPath: "p", architecture: fakeCatalog.architectures[0],
                                               source: fakeCatalog.datasetSources[0])) { error in
            XCTAssertEqual("\(error)", "invalid theme name \"My Cats\": use lowercase letters, digits and dashes")
        }
    }
}
