import Foundation

/// A seasonal set after validation: rows of pictures, each from one theme's generator in a palette.
public struct SeasonalSet: Sendable, Hashable, Codable {
    public var name: String
    public var title: String
    public var season: Season
    /// The YAML file it was read from.
    public var file: URL
    public var palettes: [NamedPalette]
    public var items: [Item]

    public struct Item: Sendable, Hashable, Codable {
        public var theme: String
        /// One picture per seed, in order.
        public var seeds: [UInt64]
        /// Nil: the theme's own.
        public var truncation: Double?
        public var strength: Double
        public var palette: PaletteChoice
    }

    /// A palette the set defines by its colours, `#rrggbb`.
    public struct NamedPalette: Sendable, Hashable, Codable {
        public var name: String
        public var colors: [String]
    }
}

public enum Season: String, Sendable, Hashable, Codable, CaseIterable {
    case winter, spring, summer, autumn
}

/// Where an item's colours come from.
public enum PaletteChoice: Sendable, Hashable, Codable {
    /// The theme's own palette: pictures are left as the generator makes them.
    case own
    case from(theme: String)
    case blend([BlendPart])
    case named(String)
    case colors([String])

    public struct BlendPart: Sendable, Hashable, Codable {
        public var theme: String
        public var weight: Double

        public init(theme: String, weight: Double) {
            self.theme = theme
            self.weight = weight
        }
    }
}

extension ResolvedValues {
    /// Builds the set; only called once validation found nothing wrong.
    func seasonalSet() -> SeasonalSet {
        SeasonalSet(
            name: string("name"), title: string("title"), season: choice("season"), file: file,
            palettes: (records["palettes"] ?? []).map { .init(name: $0.string("name"), colors: $0.strings("colors")) },
            items: (records["items"] ?? []).map { item in
                let seed = UInt64(item.int("seed"))
                let seeds = item.value("seeds")?.listValue?.map { UInt64($0.intValue!) }
                    ?? (0..<UInt64(item.int("count"))).map { seed + $0 }
                return SeasonalSet.Item(theme: item.string("theme"), seeds: seeds, truncation: item.value("truncation")?.doubleValue,
                                        strength: item.double("strength"), palette: item.paletteChoice())
            })
    }

    private func paletteChoice() -> PaletteChoice {
        if let theme = value("palette.from")?.stringValue { return .from(theme: theme) }
        if let name = value("palette.named")?.stringValue { return .named(name) }
        if value("palette.colors") != nil { return .colors(strings("palette.colors")) }
        if let parts = records["palette.blend"] {
            return .blend(parts.map { .init(theme: $0.string("theme"), weight: $0.double("weight")) })
        }
        return .own
    }
}
