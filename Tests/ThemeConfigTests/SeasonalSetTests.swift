import Foundation
import TestSupport
import XCTest
@testable import ThemeConfig

/// Seasonal set files are checked by the same validator as themes: every problem at its line and
/// column, theme references against the themes that loaded, with did-you-mean.
final class SeasonalSetTests: XCTestCase {
    let setLoader = SeasonalSetLoader(catalog: fakeCatalog, themes: ["cats", "new-year-ornaments", "panel-blocks", "window-frames"])

    func load(_ yaml: String) throws -> (set: SeasonalSet?, errors: [String]) {
        let folder = try temporaryFolder(self)
        let file = folder.appendingPathComponent("winter.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let (set, diagnostics) = setLoader.load(file: file)
        return (set, diagnostics.map { $0.rendered(relativeTo: folder) })
    }

    func testValidSetResolvesEveryPaletteWay() throws {
        let (set, errors) = try load("""
            name: new-year
            title: "Новый год"
            season: winter
            palettes:
              - name: frost
                colors: ["#DDEEFF", "#1b3a5c"]
            items:
              - theme: panel-blocks
                count: 3
                seed: 10
                palette: { from: new-year-ornaments }
                strength: 0.8
              - theme: cats
                seeds: [4, 2]
                truncation: 0.9
                palette: { blend: [{ theme: cats, weight: 1 }, { theme: window-frames, weight: 3 }] }
              - theme: window-frames
                palette: { named: frost }
              - theme: new-year-ornaments
                count: 1
                palette: { colors: ["#ff0000", "#00ff00"] }
              - theme: cats
                count: 2
            """)
        XCTAssertEqual(errors, [])
        let items = try XCTUnwrap(set).items
        XCTAssertEqual(set?.title, "Новый год")
        XCTAssertEqual(set?.season, .winter)
        XCTAssertEqual(set?.palettes, [.init(name: "frost", colors: ["#ddeeff", "#1b3a5c"])])
        XCTAssertEqual(items.map(\.seeds), [[10, 11, 12], [4, 2], Array(1...8), [1], [1, 2]])
        XCTAssertEqual(items.map(\.palette), [
            .from(theme: "new-year-ornaments"),
            .blend([.init(theme: "cats", weight: 1), .init(theme: "window-frames", weight: 3)]),
            .named("frost"), .colors(["#ff0000", "#00ff00"]), .own,
        ])
        XCTAssertEqual(items.map(\.strength), [0.8, 1, 1, 1, 1])
        XCTAssertEqual(items.map(\.truncation), [nil, 0.9, nil, nil, nil])
    }

    func testEveryProblemIsReportedAtItsLine() throws {
        let (set, errors) = try load("""
            name: new-year
            season: wintr
            palettes:
              - name: frost
                colors: ["#ddeeff", "blue"]
            items:
              - theme: panel-block
                palette: { from: cats, named: frost }
              - theme: cats
                count: 0
                palette: { named: frsot }
              - theme: cats
                palette: { blend: [{ theme: cats, weight: -1 }, { theme: catz, weight: 1 }] }
              - colour: red
            """)
        XCTAssertNil(set)
        XCTAssertEqual(errors, [
            "winter.yaml:2:9: error: season: must be one of: winter, spring, summer, autumn, found \"wintr\"; did you mean \"winter\"?",
            "winter.yaml:5:25: error: palettes[0].colors[1]: must be a colour written #rrggbb, found \"blue\"",
            "winter.yaml:7:12: error: items[0].theme: unknown theme, found \"panel-block\"; did you mean \"panel-blocks\"? (expected one of: cats, new-year-ornaments, panel-blocks, window-frames)",
            "winter.yaml:8:14: error: items[0].palette: give one of from, blend, named or colors, found from and named",
            "winter.yaml:10:12: error: items[1].count: must be an integer from 1 to 256, found 0",
            "winter.yaml:11:23: error: items[1].palette.named: unknown palette, found \"frsot\"; did you mean \"frost\"? (expected one of: frost)",
            "winter.yaml:13:47: error: items[2].palette.blend[0].weight: must be a number from 0 to 1000, found -1",
            "winter.yaml:13:62: error: items[2].palette.blend[1].theme: unknown theme, found \"catz\"; did you mean \"cats\"? (expected one of: cats, new-year-ornaments, panel-blocks, window-frames)",
            "winter.yaml:14:5: error: items[3].colour: unknown key (expected one of: theme, count, seed, seeds, truncation, strength, palette)",
            "winter.yaml:14:5: error: items[3].theme: required key is missing (expected one of: cats, new-year-ornaments, panel-blocks, window-frames)",
        ])
    }

    func testASetWithoutItemsOrAsAListIsRefused() throws {
        XCTAssertEqual(try load("name: empty\nseason: summer\n").errors,
                       ["winter.yaml:1:1: error: items: required key is missing (expected a list of 1 to 64 mappings)"])
        XCTAssertEqual(try load("- a\n- b\n").errors,
                       ["winter.yaml:1:1: error: a seasonal set file must be a mapping of keys, found a list"])
    }
}
