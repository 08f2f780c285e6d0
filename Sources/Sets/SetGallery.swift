import Imaging

/// The set as one HTML page that opens from disk with nothing beside it: pictures inline as `data:`
/// URIs, swatches as coloured blocks, each item's parameters, inline CSS; every text from YAML escaped.
public struct SetGallery {
    public let manifest: SetManifest
    /// `pictures[row]`: each item's PNG bytes, as written.
    public let pictures: [[[UInt8]]]

    public init(manifest: SetManifest, pictures: [[[UInt8]]]) {
        precondition(pictures.count == manifest.items.count, "one row of pictures per item")
        self.manifest = manifest
        self.pictures = pictures
    }

    public var html: String {
        let set = manifest.set
        return HTML.page(title: set.title, stylesheet: Self.stylesheet, body: """
            <header>
            <h1>\(HTML.escape(set.title))</h1>
            <p class="meta">\(HTML.escape(set.season)) · set <code>\(HTML.escape(set.name))</code> · \(HTML.escape(set.file.file)) · Neurossia \(HTML.escape(manifest.programVersion))</p>
            </header>
            \(manifest.items.indices.map(section).joined(separator: "\n"))
            """)
    }

    private func section(_ row: Int) -> String {
        let item = manifest.items[row]
        let figures = zip(item.pictures, pictures[row]).map { record, png in
            "<figure><img src=\"\(HTML.dataURI(png: png))\" alt=\"\(HTML.escape(item.theme)) seed \(record.seed)\">"
                + "<figcaption>\(record.seed)</figcaption></figure>"
        }
        return """
        <section>
        <h2>\(HTML.escape(item.theme)) <span class="palette">\(item.palette.colours == nil ? "own colours" : HTML.escape(item.palette.label))</span></h2>
        <div class="pictures">
        \(figures.joined(separator: "\n"))
        </div>
        \(swatch(item.palette))
        <dl>
        <div><dt>Theme</dt><dd>\(HTML.escape(item.theme))</dd></div>
        <div><dt>Seeds</dt><dd>\(item.pictures.map { String($0.seed) }.joined(separator: ", "))</dd></div>
        <div><dt>Truncation</dt><dd>\(Self.number(item.truncation))</dd></div>
        <div><dt>Strength</dt><dd>\(item.palette.colours == nil ? "– (no palette)" : Self.number(item.strength))</dd></div>
        <div><dt>Palette</dt><dd>\(paletteFacts(item.palette))</dd></div>
        <div><dt>Generator</dt><dd><code>\(HTML.escape(item.generator.file))</code> <code>\(HTML.escape(item.generator.hash))</code></dd></div>
        </dl>
        </section>
        """
    }

    /// Bars as wide as their weights, like the contact sheet's strip; nothing for the theme's own colours.
    private func swatch(_ palette: SetManifest.PaletteRecord) -> String {
        guard let colours = palette.colours, let weights = palette.weights else { return "" }
        let bars = zip(colours, weights).map { colour, weight in
            "<div style=\"flex: \(weight) 1 0; background: \(HTML.escape(colour))\" title=\"\(HTML.escape(colour))\"></div>"
        }
        return "<div class=\"swatch\">\(bars.joined())</div>"
    }

    private func paletteFacts(_ palette: SetManifest.PaletteRecord) -> String {
        guard let colours = palette.colours, let weights = palette.weights else { return "own colours" }
        let entries = zip(colours, weights).map { colour, weight in
            "<span class=\"colour\"><i style=\"background: \(HTML.escape(colour))\"></i><code>\(HTML.escape(colour))</code> "
                + String(format: "%.0f%%", 100 * weight) + "</span>"
        }
        return HTML.escape(palette.label) + "<br>" + entries.joined(separator: " ")
    }

    private static func number(_ value: Double) -> String { String(format: "%g", value) }

    private static let stylesheet = """
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1f24; background: #f6f6f4; margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; }
    h1 { font-size: 26px; margin: 0; }
    h2 { font-size: 18px; margin: 0 0 12px; }
    .meta { color: #5c6370; margin: 4px 0 24px; }
    section { background: #fff; border: 1px solid #e4e4e4; border-radius: 8px; padding: 18px 20px; margin: 0 0 20px; }
    .palette { font-weight: normal; color: #5c6370; margin-left: 8px; }
    .pictures { display: flex; flex-wrap: wrap; gap: 8px; }
    figure { margin: 0; text-align: center; }
    figure img { width: 128px; height: 128px; image-rendering: pixelated; display: block; border-radius: 3px; }
    figcaption { font-size: 12px; color: #5c6370; }
    .swatch { display: flex; height: 18px; margin: 14px 0 4px; border-radius: 3px; overflow: hidden; max-width: 560px; }
    dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px 20px; margin: 14px 0 0; }
    dl div:last-child, dl div:nth-last-child(2) { grid-column: 1 / -1; }
    dt { font-size: 12px; color: #5c6370; text-transform: uppercase; letter-spacing: 0.04em; }
    dd { margin: 0; }
    .colour { white-space: nowrap; margin-right: 10px; }
    .colour i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; border: 1px solid rgba(0,0,0,.15); }
    code { font-size: 13px; }
    """
}
