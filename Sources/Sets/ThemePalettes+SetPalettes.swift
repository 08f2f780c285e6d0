import Palettes
import ThemeConfig

/// A set's palettes come from the themes' own (datasets), blends of them, the set's named palettes
/// (before any other set's of the same name) and colours written out.
extension ThemePalettes: SetPalettes {
    public func palette(for choice: PaletteChoice, in set: SeasonalSet) throws -> Palette? {
        switch choice {
        case .own: return nil
        case .from(let theme): return try palette(.name(theme))
        case .blend(let parts): return try palette(.blend(parts))
        case .colors(let hex): return try palette(.colours(hex))
        case .named(let name):
            if let own = set.palettes.first(where: { $0.name == name }) { return try Palette(hex: own.colors) }
            return try palette(.name(name))
        }
    }
}
