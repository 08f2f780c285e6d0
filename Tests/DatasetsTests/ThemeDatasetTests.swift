import Foundation
import TestSupport
import ThemeConfig
import XCTest
@testable import Datasets

/// The registry's declarations drive theme validation, and a validated theme loads as it says.
final class ThemeDatasetTests: XCTestCase {
    private let loader = ThemeLoader(catalog: ThemeCatalog(
        architectures: [PluginDeclaration(name: "tiny", resolutions: [16], parameters: [], summary: "A stand-in.")],
        datasetSources: DatasetRegistry.declarations))

    private func theme(_ name: String, dataset: String, in root: URL) throws -> ThemeLoadResult {
        let file = root.appendingPathComponent("Themes/\(name).yaml")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "name: \(name)\ndataset: \(dataset)\narchitecture: { name: tiny }\n".write(to: file, atomically: true, encoding: .utf8)
        return loader.check(files: [file])
    }

    func testStarterThemeTakesItsSceneFromItsNameAndCachesBesideThemes() throws {
        let root = try temporaryFolder(self)
        let result = try theme("cats", dataset: "{ source: starter, count: 3, resolution: 16 }", in: root)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let request = DatasetRequest(theme: try XCTUnwrap(result.themes.first))
        XCTAssertEqual(request.parameters, ["scene": .string("auto"), "count": .int(3), "seed": .int(1)])
        XCTAssertEqual(request.cacheFolder.standardizedFileURL.path,
                       root.appendingPathComponent(DatasetRequest.cacheFolderName).standardizedFileURL.path)
        let dataset = try DatasetRegistry.load(request)
        XCTAssertEqual(dataset.summary.source, "starter cats (3 pictures, seed 1)")
        XCTAssertEqual(dataset.count, 3)
    }

    func testThemeValidationKnowsEachSourcesParameters() throws {
        let root = try temporaryFolder(self)
        let scene = try theme("dachas", dataset: "{ source: starter, scene: dachas, resolution: 16 }", in: root)
        XCTAssertEqual(scene.diagnostics.map(\.keyPath), ["dataset.scene"])
        let folder = try theme("photos", dataset: "{ source: folder, path: ../nowhere, resolution: 16 }", in: root)
        XCTAssertEqual(folder.diagnostics.map(\.keyPath), ["dataset.path"])
    }
}
