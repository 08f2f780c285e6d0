import XCTest
@testable import ThemeConfig

final class ThemeLoaderTests: XCTestCase {
    func testDuplicateNamesAcrossFiles() {
        let result = loader.load(folder: fixtureThemes("duplicates"))
        XCTAssertEqual(result.diagnostics.map { $0.rendered(relativeTo: fixtureThemes("duplicates")) }, [
            "second.yaml:2:7: error: name: theme \"twin\" is already defined in first.yaml:1:7",
        ])
        XCTAssertEqual(result.themes.map(\.file.lastPathComponent), ["first.yaml"])
    }

    func testDiscoveryTakesYAMLFilesDirectlyInTheFolder() throws {
        let files = try ThemeLoader.themeFiles(in: fixtureThemes("extends")).map(\.lastPathComponent)
        XCTAssertEqual(files, ["base.yaml", "child.yaml", "cycle-a.yaml", "cycle-b.yaml",
                               "grandchild.yaml", "orphan.yaml", "switch.yaml"])
    }

    func testMissingFolder() {
        let folder = fixtureThemes("no-such-scenario")
        let result = loader.load(folder: folder)
        XCTAssertEqual(result.themes.count, 0)
        XCTAssertEqual(result.diagnostics.map(\.message), ["cannot list theme folder"])
        XCTAssertEqual(result.diagnostics.first?.line, 0)
    }

    /// The themes in the repository's Themes/ folder, checked against the real plugin names.
    func testShippedThemesValidate() throws {
        let themes = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Themes", isDirectory: true)
        let result = loader.load(folder: themes)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        XCTAssertEqual(result.themes.map(\.name), ["cats", "new-year-ornaments", "panel-blocks", "window-frames"])
        for theme in result.themes {
            XCTAssertEqual(theme.dataset.source, "starter")
            XCTAssertEqual(theme.dataset.parameters["scene"], .string(theme.name))
            XCTAssertEqual(theme.dataset.resolution, ["window-frames", "new-year-ornaments"].contains(theme.name) ? 128 : 64, theme.name)
            XCTAssertEqual(theme.checkpoint.path, themes.deletingLastPathComponent()
                .appendingPathComponent("Models/\(theme.name)").standardizedFileURL.path)
        }
    }
}
