import Foundation
import TestSupport
import ThemeConfig
import XCTest
@testable import Datasets

final class StarterSourceTests: XCTestCase {
    private func request(_ parameters: [String: ParameterValue], theme: String? = nil, cache: URL) -> DatasetRequest {
        DatasetRequest(source: "starter", path: nil, resolution: 16, fit: .crop, parameters: parameters,
                       themeName: theme, cacheFolder: cache)
    }

    /// The dataset holds the renderer's pictures in index order, rounded to bytes; the second load
    /// reads them back from the cache unchanged.
    func testRendersInOrderThenServesFromTheCache() throws {
        let cache = try temporaryFolder(self)
        let asked = request(["scene": .string("cats"), "count": .int(6), "seed": .int(3)], cache: cache)
        let first = try DatasetRegistry.load(asked)
        XCTAssertEqual(first.count, 6)
        XCTAssertEqual(first.summary.source, "starter cats (6 pictures, seed 3)")
        let file = cache.appendingPathComponent("starter-cats-6-seed3-16.bin")
        XCTAssertEqual(first.summary.cache, .written(file))
        for index in [0, 5] {
            let rendered = StarterScene.cats.render(index: index, seed: 3, size: 16).pixels.map { UInt8($0 * 255 + 0.5) }
            XCTAssertEqual(Array(first.pixels[(index * 768)..<((index + 1) * 768)]), rendered, "picture \(index)")
        }
        let second = try DatasetRegistry.load(asked)
        XCTAssertEqual(second.summary.cache, .hit(file))
        XCTAssertEqual(second.pixels, first.pixels)

        let reseeded = try DatasetRegistry.load(request(["scene": .string("cats"), "count": .int(6), "seed": .int(4)], cache: cache))
        XCTAssertEqual(reseeded.summary.cache, .written(cache.appendingPathComponent("starter-cats-6-seed4-16.bin")))
        XCTAssertNotEqual(reseeded.pixels, first.pixels)
    }

    /// `scene: auto` (the default) takes the theme's name, and refuses a name that is no scene.
    func testSceneDefaultsToTheThemesName() throws {
        let cache = try temporaryFolder(self)
        let dataset = try DatasetRegistry.load(request(["count": .int(2)], theme: "window-frames", cache: cache))
        XCTAssertEqual(dataset.summary.source, "starter window-frames (2 pictures, seed 1)")
        XCTAssertThrowsError(try DatasetRegistry.load(request(["count": .int(2)], theme: "dachas", cache: cache))) { error in
            XCTAssertEqual(error as? DatasetError, .sceneRequired(themeName: "dachas", scenes: StarterScene.allCases.map(\.rawValue)))
            XCTAssertTrue("\(error)".contains("set dataset.scene (or --scene) to one of: panel-blocks, cats"), "\(error)")
        }
    }

    func testRegistryRefusesUnknownSourcesAndParameters() throws {
        let cache = try temporaryFolder(self)
        XCTAssertEqual(DatasetRegistry.declarations.map(\.name), ["folder", "starter"])
        var asked = request(["scene": .string("cats"), "colour": .int(2)], cache: cache)
        XCTAssertThrowsError(try DatasetRegistry.load(asked)) {
            XCTAssertEqual($0 as? DatasetError, .unknownParameter(source: "starter", key: "colour", known: ["scene", "count", "seed"]))
        }
        asked.parameters = ["scene": .string("cats"), "count": .int(0)]
        XCTAssertThrowsError(try DatasetRegistry.load(asked)) {
            XCTAssertEqual($0 as? DatasetError, .invalidParameter(source: "starter", key: "count", value: "0",
                                                                   expected: "an integer from 1 to 100000"))
        }
        asked.source = "flickr"
        XCTAssertThrowsError(try DatasetRegistry.load(asked)) {
            XCTAssertEqual($0 as? DatasetError, .unknownSource(name: "flickr", known: ["folder", "starter"]))
        }
    }
}
