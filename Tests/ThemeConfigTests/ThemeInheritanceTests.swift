import XCTest
@testable import ThemeConfig

final class ThemeInheritanceTests: XCTestCase {
    func testChildOverridesAndInherits() throws {
        let child = try validTheme("extends", "child.yaml")
        XCTAssertEqual(child.name, "child")
        XCTAssertEqual(child.parent, "base")
        XCTAssertEqual(child.title, "Base settings", "inherited")
        XCTAssertEqual(child.dataset.parameters, ["scene": .string("window-frames"), "count": .int(2000)])
        XCTAssertEqual(child.dataset.augment, [.color, .translation], "inherited")
        XCTAssertEqual(child.architecture.parameters, ["latent": .int(128), "width": .int(32)])
        XCTAssertEqual(child.training.batch, 64, "inherited")
        XCTAssertEqual(child.training.budget, Span(kimg: 300, minutes: 120), "mappings merge key by key")
        XCTAssertEqual(child.palette.colors, 8)
        XCTAssertEqual(child.checkpoint.lastPathComponent, "child", "the default follows the child's own name")
    }

    func testInheritanceChains() throws {
        let grandchild = try validTheme("extends", "grandchild.yaml")
        XCTAssertEqual(grandchild.parent, "child")
        XCTAssertEqual(grandchild.dataset.parameters["scene"], .string("window-frames"))
        XCTAssertEqual(grandchild.training.batch, 64)
        XCTAssertEqual(grandchild.generate.truncation, 0.5)
    }

    func testSwitchingArchitectureDropsTheParentsParameters() throws {
        let theme = try validTheme("extends", "switch.yaml")
        XCTAssertEqual(theme.architecture, ArchitectureSettings(
            name: "fastgan-lite", parameters: ["latent": .int(128), "skip": .bool(true)]))
    }

    func testCycleIsReportedInEachFile() {
        XCTAssertEqual(renderedErrors("extends", "cycle-a.yaml"), [
            "Themes/cycle-b.yaml:2:10: error: extends: themes extend each other in a cycle: cycle-a → cycle-b → cycle-a",
        ])
        XCTAssertEqual(renderedErrors("extends", "cycle-b.yaml"), [
            "Themes/cycle-a.yaml:2:10: error: extends: themes extend each other in a cycle: cycle-b → cycle-a → cycle-b",
        ])
    }

    func testUnknownParentSuggestsNearestTheme() {
        XCTAssertEqual(renderedErrors("extends", "orphan.yaml"), [
            "Themes/orphan.yaml:2:10: error: extends: unknown theme, found \"bsae\"; did you mean \"base\"? "
                + "(expected one of: base, child, grandchild, switch)",
        ])
    }

    /// A theme whose own file is invalid cannot be extended, so it is neither suggested nor listed.
    func testUnknownParentOffersOnlyValidThemes() throws {
        let folder = try themesFolder(self, [
            "base.yaml": "name: base\ndataset: { source: starter }\narchitecture: { name: dcgan }\n",
            "basic.yaml": "name: basic\ndataset: { source: starter }\narchitecture: { name: dcgan, width: 1 }\n",
            "kid.yaml": "name: kid\nextends: basicc\n",
        ])
        let rendered = loader.load(folder: folder).diagnostics.map { $0.rendered(relativeTo: folder) }
        XCTAssertEqual(rendered, [
            "basic.yaml:3:37: error: architecture.width: must be an integer from 8 to 256, found 1",
            "kid.yaml:2:10: error: extends: unknown theme, found \"basicc\" (expected one of: base)",
        ])
    }

    func testErrorInAParentIsReportedOnceAtItsOwnLine() throws {
        let folder = try themesFolder(self, [
            "parent.yaml": "name: parent\ndataset: { source: starter }\narchitecture: { name: dcgan, width: 1 }\n",
            "kid.yaml": "name: kid\nextends: parent\n",
        ])
        let result = loader.load(folder: folder)
        XCTAssertEqual(result.diagnostics.map { $0.rendered(relativeTo: folder) }, [
            "parent.yaml:3:37: error: architecture.width: must be an integer from 8 to 256, found 1",
        ])
        XCTAssertEqual(result.themes.map(\.name), [])
    }
}
