import Palettes
import ThemeConfig

/// Where a set's colours come from: theme palettes need datasets and caches, which the caller owns,
/// so rendering asks for each item's palette through this.
public protocol SetPalettes {
    /// The palette `choice` names within `set`; nil for `.own` (pictures keep the generator's colours).
    func palette(for choice: PaletteChoice, in set: SeasonalSet) throws -> Palette?
}

extension PaletteChoice {
    /// For people, on the contact sheet, in the gallery and the manifest: "own", "from cats",
    /// "blend cats 50% + window-frames 50%", a named palette's name, "colours #1b3a5c #e8d9b0".
    public var label: String {
        switch self {
        case .own:
            return "own"
        case .from(let theme):
            return "from \(theme)"
        case .blend(let parts):
            let total = parts.reduce(0) { $0 + $1.weight }
            let shares = parts.map { "\($0.theme) \(Int((100 * $0.weight / (total > 0 ? total : 1)).rounded()))%" }
            return "blend " + shares.joined(separator: " + ")
        case .named(let name):
            return name
        case .colors(let hex):
            return "colours " + hex.joined(separator: " ")
        }
    }
}
