import Datasets
import Foundation
import Generation
import Imaging
import ThemeConfig

/// What a theme's own palette is taken from.
public enum PaletteOrigin: String, CaseIterable, Sendable {
    /// The pictures it trains on: the palette the generator is meant to learn.
    case dataset
    /// Pictures its shipped generator makes: what it actually paints.
    case generated
}

/// Every palette a command or a seasonal set can name: the themes' own (extracted once and kept),
/// blends of them, the seasonal sets' named palettes, and colours written out.
public final class ThemePalettes {
    public let themes: [String: Theme]
    /// Seasonal sets' palettes by name.
    public let named: [String: Palette]
    public let origin: PaletteOrigin
    private var extracted: [String: Palette] = [:]

    /// Pictures spread over a dataset (or generated) that a theme's palette is extracted from, and the
    /// pixels k-means samples from them; the seed is fixed, so a palette is the same on every run.
    public static let pictures = 256
    public static let samples = 8192
    public static let seed: UInt64 = 1

    public init(themes: [Theme], named: [String: Palette] = [:], origin: PaletteOrigin = .dataset) {
        self.themes = Dictionary(uniqueKeysWithValues: themes.map { ($0.name, $0) })
        self.named = named
        self.origin = origin
    }

    /// The palette `spec` names; unknown names get did-you-mean among themes and seasonal palettes.
    public func palette(_ spec: PaletteSpec) throws -> Palette {
        switch spec {
        case .colours(let hex):
            return try Palette(hex: hex)
        case .name(let name):
            if let theme = themes[name] { return try palette(of: theme) }
            if let palette = named[name] { return palette }
            let known = themes.keys.sorted() + named.keys.sorted()
            throw PaletteSpecError.unknownName(name, known: known, suggestion: suggestion(for: name, among: known))
        case .blend(let parts):
            let palettes = try parts.map { part -> Palette in
                guard let theme = themes[part.theme] else {
                    let known = themes.keys.sorted()
                    throw PaletteSpecError.unknownName(part.theme, known: known, suggestion: suggestion(for: part.theme, among: known))
                }
                return try palette(of: theme)
            }
            return try Palette.blend(palettes, weights: parts.map { Float($0.weight) })
        }
    }

    /// `theme`'s own palette from `origin`, extracted once per run; from a dataset it is also kept in a
    /// file beside the dataset's cache, named after that cache, so a changed dataset gets a new one.
    public func palette(of theme: Theme) throws -> Palette {
        if let palette = extracted[theme.name] { return palette }
        let palette: Palette
        switch origin {
        case .dataset:
            let dataset = try DatasetRegistry.load(DatasetRequest(theme: theme))
            let cacheFile = Self.cacheFile(for: dataset, colours: theme.palette.colors)
            if let cacheFile, let cached = try? JSONDecoder().decode(Palette.self, from: Data(contentsOf: cacheFile)) {
                palette = cached
            } else {
                palette = try Palette(extractingFrom: dataset.spread(Self.pictures), count: theme.palette.colors,
                                      samples: Self.samples, seed: Self.seed)
                if let cacheFile, let data = try? JSONEncoder.sortedPretty.encode(palette) { try? data.write(to: cacheFile, options: .atomic) }
            }
        case .generated:
            let generator = try ShippedGenerator(theme: theme)
            let pictures = generator.network.generate(count: Self.pictures, seed: Self.seed, truncation: Float(theme.generate.truncation))
            palette = try Palette(extractingFrom: pictures, count: theme.palette.colors, samples: Self.samples, seed: Self.seed)
        }
        extracted[theme.name] = palette
        return palette
    }

    /// `<cache file>.palette-v2-k<k>-s<samples>.json` beside a dataset's cache (v2: k-means over colour
    /// bins); nil when the dataset has none.
    static func cacheFile(for dataset: Dataset, colours: Int) -> URL? {
        let cache: URL
        switch dataset.summary.cache {
        case .hit(let url), .written(let url): cache = url
        case .unwritable: return nil
        }
        return cache.deletingPathExtension().appendingPathExtension("palette-v2-k\(colours)-s\(samples).json")
    }
}

extension JSONEncoder {
    /// Sorted keys and indentation: the same value always gives the same, readable bytes.
    static var sortedPretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }
}
