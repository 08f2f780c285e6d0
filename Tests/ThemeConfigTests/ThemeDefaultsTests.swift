import XCTest
@testable import ThemeConfig

/// A minimal theme (name, dataset path, architecture name) gets every other setting from the schema.
final class ThemeDefaultsTests: XCTestCase {
    func testMinimalThemeGetsSchemaDefaults() throws {
        let theme = try validTheme("minimal", "minimal.yaml")
        let root = fixtureThemes("minimal").deletingLastPathComponent().standardizedFileURL
        XCTAssertEqual(theme.name, "minimal")
        XCTAssertEqual(theme.title, "minimal")
        XCTAssertNil(theme.parent)
        XCTAssertEqual(theme.dataset, DatasetSettings(
            source: "folder", path: root.appendingPathComponent("photos", isDirectory: true).standardizedFileURL,
            resolution: 64, fit: .crop, flip: true, augment: [.color, .translation, .cutout], parameters: [:]))
        XCTAssertEqual(theme.architecture, ArchitectureSettings(
            name: "dcgan", parameters: ["latent": .int(100), "width": .int(64)]))
        XCTAssertEqual(theme.checkpoint.path, root.appendingPathComponent("Models/minimal").path)
        XCTAssertEqual(theme.training, TrainingSettings(
            batch: 32, lr: 0.0002, beta1: 0.5, beta2: 0.999, ema: 0.999,
            budget: Span(kimg: 200, minutes: nil),
            checkpointEvery: Span(kimg: nil, minutes: 5),
            sampleEvery: Span(kimg: 10, minutes: nil),
            evalEvery: Span(kimg: 50, minutes: nil),
            evalPictures: 128,
            share: 1, seed: 1, precision: .auto))
        XCTAssertEqual(theme.palette.colors, 6)
        XCTAssertEqual(theme.generate.truncation, 1)
    }

    func testEveryDefaultSatisfiesItsOwnRule() {
        for entry in Schema.theme.entries {
            switch (entry.kind, entry.defaultValue) {
            case (.value(let kind), .value(let value)), (.value(let kind), .unlessSiblingSet(let value)):
                XCTAssertTrue(kind.accepts(value), entry.keyPath)
            default:
                continue
            }
        }
    }

    func testContentHashIsStableAndTracksSettings() throws {
        let theme = try validTheme("minimal", "minimal.yaml")
        XCTAssertEqual(theme.contentHash.count, 16)
        XCTAssertEqual(theme.contentHash, try validTheme("minimal", "minimal.yaml").contentHash)
        var moved = theme
        moved.file = URL(fileURLWithPath: "/elsewhere/Themes/minimal.yaml")
        moved.checkpoint = URL(fileURLWithPath: "/elsewhere/Models/minimal")
        moved.dataset.path = URL(fileURLWithPath: "/elsewhere/photos")
        XCTAssertEqual(moved.contentHash, theme.contentHash, "the same settings in another checkout")
        var changed = theme
        changed.training.batch = 64
        XCTAssertNotEqual(changed.contentHash, theme.contentHash)
        let json = String(decoding: theme.canonicalJSON(), as: UTF8.self)
        XCTAssertTrue(json.contains("\"checkpoint\":\"Models/minimal\""), json)
        XCTAssertTrue(json.contains("\"path\":\"photos\""), json)
        XCTAssertFalse(json.contains("\"file\""), json)
    }

    func testThemeRoundTripsThroughJSON() throws {
        let theme = try validTheme("minimal", "minimal.yaml")
        let decoded = try JSONDecoder().decode(Theme.self, from: JSONEncoder().encode(theme))
        XCTAssertEqual(decoded, theme)
    }

    func testFormatNumber() {
        XCTAssertEqual(formatNumber(1), "1")
        XCTAssertEqual(formatNumber(0.0002), "0.0002")
        XCTAssertEqual(formatNumber(0.00001), "0.00001")
        XCTAssertEqual(formatNumber(1.5), "1.5")
    }
}
