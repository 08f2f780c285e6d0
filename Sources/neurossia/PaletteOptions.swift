import ArgumentParser
import Foundation
import Imaging
import Palettes
import ThemeConfig

extension PaletteOrigin: ExpressibleByArgument {}
extension RecolourMethod: ExpressibleByArgument {}

/// How `generate` and `recolour` move pictures onto a palette.
struct PaletteOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Palette to recolour toward: a theme (cats), a blend (cats:0.5,window-frames:0.5), a seasonal set's \
        palette (frost), or colours (#1b3a5c,#e8d9b0,...).
        """, valueName: "spec"))
    var palette: String?
    @Option(help: "How far pictures move toward the palette: 0 keeps their colours, 1 takes it fully.")
    var paletteStrength = 1.0
    @Option(help: "Recolouring method: palette (Chang et al. 2015, keeps detail best) or transport (Pitié et al. 2007, pulls harder).")
    var paletteMethod = RecolourMethod.palette

    func validate() throws {
        guard (0...1).contains(paletteStrength) else {
            throw ValidationError("--palette-strength must be from 0 to 1, got \(paletteStrength)")
        }
        if let palette { _ = try PaletteSpec(parsing: palette) }
    }

    /// The recolouring `--palette` asks for, or nil when none is; each picture is matched by its own palette.
    func recolouring(_ palettes: @autoclosure () throws -> ThemePalettes) throws -> ((Image) throws -> Image)? {
        guard let palette else { return nil }
        let target = try palettes().palette(PaletteSpec(parsing: palette))
        let (strength, method) = (Float(paletteStrength), paletteMethod)
        return { image in try method.recoloured(image, toward: target, strength: strength, seed: ThemePalettes.seed) }
    }
}

extension Palette {
    /// One line per colour, "#1b3a5c  34.2%", heaviest first.
    var listing: String {
        zip(colours, weights).map { String(format: "  %@  %5.1f%%", $0.hex, 100 * $1) }.joined(separator: "\n")
    }
}
