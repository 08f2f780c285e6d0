import Architectures
import Checkpoint
import Datasets
import Engine
import Foundation
import Palettes
import Sets
import TestSupport
import ThemeConfig
import XCTest

/// A repository in a temporary folder: two tiny dcgan themes (width 8, latent 16, 32 px) with saved,
/// untrained generators, and a set file using both, every kind of palette and markup in its title.
struct SetFixture {
    let root: URL
    let themes: [String: Theme]
    let set: SeasonalSet

    static let setYAML = """
        name: winter-test
        title: "Winter <script>alert(1)</script> & co"
        season: winter
        palettes:
          - name: frost
            colors: ["#dfe8f0", "#8fb3cc", "#2b4a66"]
        items:
          - theme: tiny
            count: 3
            seed: 7
          - theme: other
            seeds: [11, 5]
            truncation: 0.5
            strength: 0.8
            palette: { named: frost }
          - theme: tiny
            seeds: [2]
            palette: { blend: [{ theme: tiny, weight: 1 }, { theme: other, weight: 3 }] }
          - theme: other
            seeds: [4]
            palette: { from: tiny }
        """

    init(_ test: XCTestCase, setYAML: String = Self.setYAML) throws {
        root = try temporaryFolder(test)
        let folder = root.appendingPathComponent("Themes", isDirectory: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sets"), withIntermediateDirectories: true)
        for name in ["tiny", "other"] {
            try """
                name: \(name)
                dataset: { source: starter, scene: cats, count: 8, resolution: 32 }
                architecture: { name: dcgan, width: 8, latent: 16 }
                generate: { truncation: 0.9 }
                """.write(to: folder.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        let catalog = ThemeCatalog(architectures: ArchitectureRegistry.declarations, datasetSources: DatasetRegistry.declarations)
        let loaded = ThemeLoader(catalog: catalog).load(folder: folder)
        XCTAssertEqual(loaded.diagnostics.map { $0.rendered() }, [])
        themes = Dictionary(uniqueKeysWithValues: loaded.themes.map { ($0.name, $0) })
        for (seed, name) in ["tiny", "other"].enumerated() { try Self.writeGenerator(for: themes[name]!, seed: UInt64(seed + 1)) }

        let file = folder.appendingPathComponent("sets/winter-test.yaml")
        try setYAML.write(to: file, atomically: true, encoding: .utf8)
        let result = SeasonalSetLoader(catalog: catalog, themes: Array(themes.keys)).load(file: file)
        XCTAssertEqual(result.diagnostics.map { $0.rendered() }, [])
        set = try XCTUnwrap(result.set)
    }

    /// Models/<theme>/generator.safetensors as training ships it, from a freshly initialised network.
    static func writeGenerator(for theme: Theme, seed: UInt64) throws {
        let architecture = try ArchitectureRegistry.make(theme.architecture.name, parameters: theme.architecture.parameters,
                                                         resolution: theme.dataset.resolution)
        var rng = RandomGenerator(seed: seed)
        let network = architecture.makeGenerator(rng: &rng)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var file = SafeTensorsFile(metadata: [
            "format": CheckpointFiles.generatorFormat, "theme": theme.name, "architecture": theme.architecture.name,
            "architecture_parameters": String(decoding: try encoder.encode(theme.architecture.parameters), as: UTF8.self),
            "resolution": String(theme.dataset.resolution), "images_seen": "0",
        ])
        file.store(network.namedState(), prefix: "", as: .f16)
        try FileManager.default.createDirectory(at: theme.checkpoint, withIntermediateDirectories: true)
        try file.write(to: theme.generatorFile.path)
    }

    var out: URL { root.appendingPathComponent("out/winter-test", isDirectory: true) }
}

/// Theme palettes written out, as the CLI's provider would extract them from datasets.
struct FixedPalettes: SetPalettes {
    static let themePalettes = ["tiny": ["#c0392b", "#f1c40f", "#1e3a5f"], "other": ["#2e7d32", "#fafafa", "#6d4c41", "#90a4ae"]]

    func palette(for choice: PaletteChoice, in set: SeasonalSet) throws -> Palette? {
        switch choice {
        case .own: return nil
        case .from(let theme): return try Palette(hex: Self.themePalettes[theme]!)
        case .blend(let parts):
            return try Palette.blend(try parts.map { try Palette(hex: Self.themePalettes[$0.theme]!) },
                                     weights: parts.map { Float($0.weight) })
        case .named(let name): return try Palette(hex: set.palettes.first { $0.name == name }!.colors)
        case .colors(let hex): return try Palette(hex: hex)
        }
    }
}

func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
