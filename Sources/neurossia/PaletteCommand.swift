import ArgumentParser
import Foundation
import Generation
import Imaging
import Palettes
import ThemeConfig

struct PaletteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "palette",
        abstract: "Show a theme's palette, or blend the palettes of several themes.",
        subcommands: [Show.self, Blend.self],
        defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A theme's palette: k-means in CIELAB over its pictures, k = palette.colors.",
            discussion: """
                Prints each colour's hex and weight and writes a swatch (bars as wide as the weights) to \
                out/palettes/<theme>.png. From the dataset the palette is kept beside the dataset's cache.

                Examples:
                  neurossia palette panel-blocks
                  neurossia palette cats --from generated
                """)

        @OptionGroup var themes: ThemeOptions
        @Argument(help: "Theme name.") var name: String
        @Option(help: "Take colours from the training pictures (dataset) or from the shipped generator's (generated).")
        var from = PaletteOrigin.dataset
        @Option(help: "Swatch file (default: out/palettes/<theme>[-generated].png).") var out: String?

        func run() throws {
            let loaded = try themes.load(needing: [name])
            let palette = try themes.palettes(loaded, origin: from).palette(.name(name))
            let file = out ?? "out/palettes/\(name)\(from == .generated ? "-generated" : "").png"
            try writeSwatch(palette, to: file)
            print("\(name) (\(from.rawValue), \(palette.count) colours):\n\(palette.listing)\nswatch → \(file)")
        }
    }

    struct Blend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Blend themes' palettes by weight: colours matched by optimal assignment in Lab, then interpolated.",
            discussion: """
                Weights are normalised; 1:0 gives the first palette exactly. The blend keeps the first \
                palette's number of colours.

                Examples:
                  neurossia palette blend panel-blocks:0.6 new-year-ornaments:0.4
                  neurossia palette blend cats:1 window-frames:1 --out blend.png
                """)

        @OptionGroup var themes: ThemeOptions
        @Argument(help: "Parts as theme:weight.") var parts: [String]
        @Option(help: "Swatch file (default: out/palettes/blend-<themes>.png).") var out: String?

        func validate() throws {
            guard parts.count >= 2 else { throw ValidationError("name at least two parts, as theme:weight") }
            _ = try PaletteSpec(parsing: parts)
        }

        func run() throws {
            let spec = try PaletteSpec(parsing: parts)
            guard case .blend(let blend) = spec else { throw ValidationError("parts must be theme:weight") }
            let loaded = try themes.load(needing: blend.map(\.theme))
            let palette = try themes.palettes(loaded).palette(spec)
            let file = out ?? "out/palettes/blend-" + blend.map(\.theme).joined(separator: "-") + ".png"
            try writeSwatch(palette, to: file)
            let recipe = blend.map { String(format: "%@ %g", $0.theme, $0.weight) }.joined(separator: " + ")
            print("blend of \(recipe) (\(palette.count) colours):\n\(palette.listing)\nswatch → \(file)")
        }
    }
}

/// Writes a palette's swatch, making its folder.
func writeSwatch(_ palette: Palette, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try OutputFolder.create(url.deletingLastPathComponent())
    try palette.swatch().write(png: url)
}
