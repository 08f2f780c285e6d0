import Foundation
import XCTest
@testable import ThemeConfig

/// `training.init_from` names another valid theme of the folder with the same network; the loader
/// hands the trainer that theme's checkpoint folder.
final class InitFromTests: XCTestCase {
    func load(_ files: [String: String]) throws -> (ThemeLoadResult, URL) {
        let folder = try themesFolder(self, files)
        return (loader.load(folder: folder), folder)
    }

    let base = "name: base\ndataset: { source: starter, resolution: 64 }\narchitecture: { name: dcgan }\ncheckpoint: Models/elsewhere\n"

    func testNamesTheOtherThemesCheckpointFolder() throws {
        let (result, folder) = try load([
            "base.yaml": base,
            "kid.yaml": "name: kid\ndataset: { source: starter, scene: cats, resolution: 64 }\narchitecture: { name: dcgan }\n"
                + "training: { init_from: base }\n",
        ])
        XCTAssertEqual(result.diagnostics.map { $0.rendered(relativeTo: folder) }, [])
        let kid = try XCTUnwrap(result.theme(named: "kid"))
        XCTAssertEqual(kid.training.initFrom, "base")
        XCTAssertEqual(kid.initialWeights, try XCTUnwrap(result.theme(named: "base")).checkpoint)
        XCTAssertEqual(kid.initialWeights?.lastPathComponent, "elsewhere")
        XCTAssertNil(try XCTUnwrap(result.theme(named: "base")).initialWeights)
    }

    func testRefusesItselfUnknownInvalidAndOtherNetworks() throws {
        let (result, folder) = try load([
            "base.yaml": base,
            "broken.yaml": "name: broken\ndataset: { source: starter }\narchitecture: { name: dcgan, width: 1 }\n",
            "self.yaml": "name: self\ndataset: { source: starter }\narchitecture: { name: dcgan }\ntraining: { init_from: self }\n",
            "typo.yaml": "name: typo\ndataset: { source: starter }\narchitecture: { name: dcgan }\ntraining: { init_from: bsae }\n",
            "on-broken.yaml": "name: on-broken\ndataset: { source: starter }\narchitecture: { name: dcgan }\ntraining: { init_from: broken }\n",
            "small.yaml": "name: small\ndataset: { source: starter, resolution: 32 }\narchitecture: { name: dcgan }\n"
                + "training: { init_from: base }\n",
        ])
        XCTAssertEqual(result.diagnostics.map { $0.rendered(relativeTo: folder) }, [
            "broken.yaml:3:37: error: architecture.width: must be an integer from 8 to 256, found 1",
            "on-broken.yaml:4:24: error: training.init_from: unknown theme, found \"broken\" (expected one of: base)",
            "self.yaml:4:24: error: training.init_from: a theme cannot start from its own weights",
            "small.yaml:4:24: error: training.init_from: \"base\" has another network, so its weights do not fit, "
                + "found dcgan (latent 100, width 64) at 64 px (expected dcgan (latent 100, width 64) at 32 px)",
            "typo.yaml:4:24: error: training.init_from: unknown theme, found \"bsae\"; did you mean \"base\"? "
                + "(expected one of: base)",
        ])
        XCTAssertEqual(result.themes.map(\.name), ["base"])
    }
}
