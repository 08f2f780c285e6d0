extension Schema {
    /// Every key a seasonal set file (Themes/sets/*.yaml) may hold.
    public static let seasonalSet = Schema(fileKind: "seasonal set", entries: [
        SchemaEntry("name", .identifier, .required, "Set name: `neurossia set NAME` and the output folder use it."),
        SchemaEntry("title", .value(.string), .template("{name}"), "Title shown on the contact sheet and the gallery."),
        SchemaEntry("season", .value(.choice(Season.allCases.map(\.rawValue))), .required, "The season the set is for."),
        SchemaEntry("palettes", .records(namedPalette, count: 0...32), .none,
                    "Palettes of the set's own, which items name with `palette: { named: NAME }`."),
        SchemaEntry("items", .records(item, count: 1...64), .required, "The rows of the set: pictures of one theme each."),
    ], rules: [namedPalettesExistRule])

    private static let namedPalette = Schema(fileKind: "palette", entries: [
        SchemaEntry("name", .identifier, .required, "How items refer to this palette."),
        SchemaEntry("colors", .value(.list(.colour, count: 2...16)), .required, "Its colours, `#rrggbb`, weighted equally."),
    ])

    private static let item = Schema(fileKind: "set item", entries: [
        SchemaEntry("theme", .themeReference, .required, "Theme whose generator makes the pictures."),
        SchemaEntry("count", .value(.int(1...256)), .value(.int(8)), "Pictures in the row (ignored when `seeds` lists them)."),
        SchemaEntry("seed", .value(.int(0...4_294_967_295)), .value(.int(1)), "Seed of the first picture; picture i uses seed + i."),
        SchemaEntry("seeds", .value(.list(.int(0...4_294_967_295), count: 1...256)), .none,
                    "Exact seeds, one picture each, instead of `seed` and `count`."),
        SchemaEntry("truncation", .value(.float(0...1)), .none, "Latent truncation; default: the theme's `generate.truncation`."),
        SchemaEntry("strength", .value(.float(0...1)), .value(.float(1)),
                    "How far pictures move toward the palette: 0 keeps the theme's colours, 1 takes the palette fully."),
        SchemaEntry("palette", .section(plugin: nil), .none,
                    "Colours of the row: one of `from`, `blend`, `named` or `colors`; none keeps the theme's own."),
        SchemaEntry("palette.from", .themeReference, .none, "Take another theme's palette."),
        SchemaEntry("palette.blend", .records(blendPart, count: 2...8), .none, "Blend the palettes of several themes."),
        SchemaEntry("palette.named", .identifier, .none, "One of the set's own `palettes`."),
        SchemaEntry("palette.colors", .value(.list(.colour, count: 2...16)), .none, "Colours written out, `#rrggbb`."),
    ], rules: [onePaletteRule])

    private static let blendPart = Schema(fileKind: "blend part", entries: [
        SchemaEntry("theme", .themeReference, .required, "Theme whose palette takes part."),
        SchemaEntry("weight", .value(.float(0...1000)), .required, "Its share; the weights are normalised."),
    ])

    /// An item's palette is one of its four ways at most.
    private static let onePaletteRule: Rule = { values, root, _ in
        let given = ["from", "blend", "named", "colors"].filter { values.locations["palette.\($0)"] != nil }
        guard given.count > 1, let location = root["palette"]?.location else { return [] }
        return [ConfigDiagnostic(at: location, keyPath: "palette", message: "give one of from, blend, named or colors",
                                 found: given.joined(separator: " and "))]
    }

    /// `palette: { named: x }` must name one of the set's `palettes`.
    private static let namedPalettesExistRule: Rule = { values, _, _ in
        let names = (values.records["palettes"] ?? []).compactMap { $0.value("name")?.stringValue }
        return (values.records["items"] ?? []).enumerated().compactMap { i, item in
            guard let name = item.value("palette.named")?.stringValue, !names.contains(name),
                  let location = item.locations["palette.named"] else { return nil }
            return ConfigDiagnostic(at: location, keyPath: "items[\(i)].palette.named", message: "unknown palette",
                                    found: quoted(name),
                                    expected: names.isEmpty ? "a palette defined under `palettes`" : "one of: " + names.joined(separator: ", "),
                                    suggestion: suggestion(for: name, among: names))
        }
    }

    /// Both references, as `neurossia themes reference` prints them and the README shows them.
    public static func referenceMarkdown(catalog: ThemeCatalog?) -> String {
        themeReferenceMarkdown(catalog: catalog) + "\n### Seasonal set files (`Themes/sets/*.yaml`)\n\n"
            + seasonalSet.referenceTable().joined(separator: "\n") + "\n"
    }
}
