import Foundation
import TestSupport
import XCTest
@testable import ThemeConfig

/// A stand-in for the architectures and dataset sources the program registers.
let fakeCatalog = ThemeCatalog(
    architectures: [
        PluginDeclaration(
            name: "dcgan", resolutions: [32, 64, 128],
            parameters: [
                ParameterSpec(key: "latent", kind: .int(16...512), defaultValue: .int(100), doc: "Length of the noise vector."),
                ParameterSpec(key: "width", kind: .int(8...256), defaultValue: .int(64), doc: "Channels of the widest layer."),
            ],
            summary: "Radford et al. 2015."),
        PluginDeclaration(
            name: "fastgan-lite", resolutions: [64, 128, 256],
            parameters: [
                ParameterSpec(key: "latent", kind: .int(16...512), defaultValue: .int(128), doc: "Length of the noise vector."),
                ParameterSpec(key: "skip", kind: .bool, defaultValue: .bool(true), doc: "Skip-layer excitation."),
            ],
            summary: "Liu et al. 2021, slimmed."),
    ],
    datasetSources: [
        PluginDeclaration(name: "folder", needsPath: true, parameters: [], summary: "A folder of photos."),
        PluginDeclaration(
            name: "starter", needsPath: false,
            parameters: [
                ParameterSpec(key: "scene", kind: .choice(["panel-blocks", "cats", "window-frames", "new-year-ornaments"]),
                              defaultValue: .string("panel-blocks"), doc: "Which scene the renderer draws."),
                ParameterSpec(key: "count", kind: .int(1...100_000), defaultValue: .int(2000), doc: "Images rendered."),
            ],
            summary: "Pictures the program renders itself."),
    ])

let loader = ThemeLoader(catalog: fakeCatalog)

/// `Fixtures/<scenario>/Themes`, copied into the test bundle.
func fixtureThemes(_ scenario: String) -> URL {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(scenario)/Themes", isDirectory: true)
}

func fixture(_ scenario: String, _ file: String) -> URL {
    fixtureThemes(scenario).appendingPathComponent(file)
}

/// The diagnostics of one fixture file, rendered relative to its scenario's folder (`Themes/x.yaml:…`).
func renderedErrors(_ scenario: String, _ file: String) -> [String] {
    loader.check(files: [fixture(scenario, file)]).diagnostics.map {
        $0.rendered(relativeTo: fixtureThemes(scenario).deletingLastPathComponent())
    }
}

/// A Themes folder in a temporary repository holding `files` (name → YAML text), removed when `test` ends.
func themesFolder(_ test: XCTestCase, _ files: [String: String]) throws -> URL {
    let folder = try temporaryFolder(test).appendingPathComponent("Themes", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return folder
}

/// Loads one fixture that must be valid.
func validTheme(_ scenario: String, _ file: String, line: UInt = #line) throws -> Theme {
    let result = loader.check(files: [fixture(scenario, file)])
    XCTAssertEqual(result.diagnostics.map(\.description), [], line: line)
    return try XCTUnwrap(result.themes.first, line: line)
}
