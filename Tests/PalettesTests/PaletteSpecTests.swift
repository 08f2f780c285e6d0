import Datasets
import Foundation
import Imaging
import TestSupport
import ThemeConfig
import XCTest
@testable import Palettes

/// What a person types after `--palette`, and what each names.
final class PaletteSpecTests: XCTestCase {
    func testEachWayOfNamingAPaletteParses() throws {
        XCTAssertEqual(try PaletteSpec(parsing: "cats"), .name("cats"))
        XCTAssertEqual(try PaletteSpec(parsing: " #1b3a5c, #E8D9B0 "), .colours(["#1b3a5c", "#E8D9B0"]))
        let blend = PaletteSpec.blend([.init(theme: "cats", weight: 0.5), .init(theme: "window-frames", weight: 1.5)])
        XCTAssertEqual(try PaletteSpec(parsing: "cats:0.5,window-frames:1.5"), blend)
        XCTAssertEqual(try PaletteSpec(parsing: ["cats:0.5", "window-frames:1.5"]), blend)
    }

    func testMalformedSpecsSayWhatIsWrong() {
        func message(_ text: String) -> String {
            do { _ = try PaletteSpec(parsing: text); return "parsed" } catch { return error.description }
        }
        XCTAssertEqual(message("cats:0.5,frames"), "\"frames\" is not a blend part like cats:0.5 (a theme, a colon, a weight)")
        XCTAssertEqual(message("cats:x,frames:1"), "\"cats:x\" is not a blend part like cats:0.5 (a theme, a colon, a weight)")
        XCTAssertEqual(message("cats:-1,frames:1"), "the weight of cats is -1.0; weights must be zero or more")
        XCTAssertEqual(message("cats:0,frames:0"), "the blend's weights sum to 0; give at least one theme a positive weight")
        XCTAssertTrue(message(" ").hasPrefix("no palette given"))
    }
}

/// Themes' own palettes from a starter dataset: extracted, kept beside the dataset cache, blended, named.
final class ThemePalettesTests: XCTestCase {
    /// A theme of 24 starter ornaments at 32 px in a temporary repository.
    func ornaments(count: Int = 24) throws -> Theme {
        let themes = try temporaryFolder(self).appendingPathComponent("Themes", isDirectory: true)
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        try """
            name: new-year-ornaments
            dataset: { source: starter, count: \(count), resolution: 32 }
            architecture: { name: dcgan }
            palette: { colors: 5 }
            """.write(to: themes.appendingPathComponent("ornaments.yaml"), atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(architectures: [PluginDeclaration(name: "dcgan", resolutions: [32], parameters: [], summary: "")],
                                   datasetSources: DatasetRegistry.declarations)
        let result = ThemeLoader(catalog: catalog).load(folder: themes)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        return try XCTUnwrap(result.themes.first)
    }

    func testThemePaletteIsExtractedOnceAndKeptBesideTheDatasetCache() throws {
        let theme = try ornaments()
        let palette = try ThemePalettes(themes: [theme]).palette(of: theme)
        XCTAssertEqual(palette.count, 5)
        let dataset = try DatasetRegistry.load(DatasetRequest(theme: theme))
        let cacheFile = try XCTUnwrap(ThemePalettes.cacheFile(for: dataset, colours: 5))
        XCTAssertEqual(try JSONDecoder().decode(Palette.self, from: Data(contentsOf: cacheFile)), palette)
        XCTAssertEqual(try Palette(extractingFrom: dataset.spread(ThemePalettes.pictures), count: 5,
                                   samples: ThemePalettes.samples, seed: ThemePalettes.seed), palette)

        // A new run reads the kept file: replaced by another palette, that one comes back.
        let planted = try Palette(hex: ["#ff0000", "#00ff00"])
        try JSONEncoder().encode(planted).write(to: cacheFile)
        XCTAssertEqual(try ThemePalettes(themes: [theme]).palette(of: theme), planted)

        // Another dataset (more pictures) has another cache, so another palette file.
        let bigger = try DatasetRegistry.load(DatasetRequest(theme: try ornaments(count: 25)))
        XCTAssertNotEqual(ThemePalettes.cacheFile(for: bigger, colours: 5)?.lastPathComponent, cacheFile.lastPathComponent)
    }

    func testSpecsResolveToTheirPalettes() throws {
        let theme = try ornaments()
        let frost = try Palette(hex: ["#ddeeff", "#1b3a5c"])
        let palettes = ThemePalettes(themes: [theme], named: ["frost": frost])
        let own = try palettes.palette(of: theme)
        XCTAssertEqual(try palettes.palette(.name("new-year-ornaments")), own)
        XCTAssertEqual(try palettes.palette(.name("frost")), frost)
        XCTAssertEqual(try palettes.palette(.colours(["#000000", "#ffffff"])), try Palette(hex: ["#000000", "#ffffff"]))
        XCTAssertEqual(try palettes.palette(.blend([.init(theme: "new-year-ornaments", weight: 1), .init(theme: "new-year-ornaments", weight: 0)])), own)
        XCTAssertThrowsError(try palettes.palette(.name("new-year-ornament"))) {
            XCTAssertEqual(($0 as? PaletteSpecError)?.description,
                           "no theme or seasonal palette named \"new-year-ornament\"; did you mean \"new-year-ornaments\"? (known: new-year-ornaments, frost)")
        }
        XCTAssertThrowsError(try palettes.palette(.blend([.init(theme: "catz", weight: 1), .init(theme: "new-year-ornaments", weight: 1)])))
        XCTAssertThrowsError(try palettes.palette(.colours(["#000000"]))) {
            XCTAssertEqual(($0 as? PaletteError)?.description, "a palette needs at least two colours, found 1 distinct")
        }
    }
}
