import Imaging
import Palettes

/// A set on one picture for people: its title, then a row per item with a label on the left (theme,
/// palette, strength, truncation), the pictures magnified (nearest neighbour, so pixels stay sharp) and
/// the palette as a vertical strip beside them, on white. Every picture takes the same room: the smallest
/// at 2×, larger ones (a 128 px theme beside 64 px ones) by as much less as they are larger.
public struct ContactSheet {
    public let image: Image
    /// Where each item's pictures were pasted, row by row.
    public let pictureFrames: [[Frame]]
    /// Where each item's palette strip was drawn; nil for the theme's own colours.
    public let swatchFrames: [Frame?]
    /// The text of the title line: the set's title when the font has all its characters, else its name.
    public let heading: String

    public struct Frame: Equatable, Sendable {
        public var x: Int, y: Int, width: Int, height: Int
    }

    static let margin = 24
    /// Of the smallest pictures; the rest are shown as large as these.
    static let magnification = 2
    static let pictureGap = 4
    static let rowGap = 20
    static let labelGap = 16
    static let swatchGap = 12
    static let swatchWidth = 24
    /// Characters per label line at scale 1 before it wraps.
    static let labelColumns = 28
    static let ink = RGB(hex: 0x1D1F24), muted = RGB(hex: 0x5C6370), rule = RGB(hex: 0xE4E4E4)

    private struct Line {
        let text: String, scale: Int, colour: RGB
        var height: Int { BitmapFont.glyphHeight * scale }
        var width: Int { BitmapFont.width(of: text, scale: scale) }
    }

    /// `pictures[row]`: the item's pictures as written, at their own size.
    public init(manifest: SetManifest, pictures: [[Image]]) {
        precondition(pictures.count == manifest.items.count, "one row of pictures per item")
        let side = Self.displaySide(pictures.flatMap { $0 })
        let factor = { (picture: Image) in max(1, side / picture.width) }
        heading = BitmapFont.canDraw(manifest.set.title) ? manifest.set.title : manifest.set.name
        let count = pictures.reduce(0) { $0 + $1.count }
        let header = [Line(text: heading, scale: 2, colour: Self.ink),
                      Line(text: "\(manifest.set.season) - \(count) picture\(count == 1 ? "" : "s")", scale: 1, colour: Self.muted)]
        let labels = manifest.items.map(Self.label)

        let labelWidth = labels.flatMap { $0 }.map(\.width).max() ?? 0
        let picturesLeft = Self.margin + labelWidth + Self.labelGap
        let rowWidths = pictures.map { row in row.reduce(0) { $0 + $1.width * factor($1) + Self.pictureGap } - Self.pictureGap }
        let swatchLeft = picturesLeft + (rowWidths.max() ?? 0) + Self.swatchGap
        let width = max(swatchLeft + Self.swatchWidth, Self.margin + header.map(\.width).max()!) + Self.margin

        var y = Self.margin
        var headerTops: [Int] = []
        for line in header {
            headerTops.append(y)
            y += line.height + 8
        }
        y += Self.rowGap - 8
        var frames: [[Frame]] = [], swatches: [Frame?] = [], rowTops: [Int] = []
        for (row, item) in manifest.items.enumerated() {
            let pictureHeight = pictures[row].map { $0.height * factor($0) }.max() ?? 0
            let labelHeight = labels[row].reduce(0) { $0 + $1.height + 6 } - 6
            var x = picturesLeft
            frames.append(pictures[row].map { picture in
                defer { x += picture.width * factor(picture) + Self.pictureGap }
                return Frame(x: x, y: y, width: picture.width * factor(picture), height: picture.height * factor(picture))
            })
            swatches.append(item.palette.colours == nil ? nil : Frame(x: swatchLeft, y: y, width: Self.swatchWidth, height: pictureHeight))
            rowTops.append(y)
            y += max(pictureHeight, labelHeight) + Self.rowGap
        }
        let height = y - Self.rowGap + Self.margin

        var sheet = Image(width: width, height: height, fill: .white)
        for (line, top) in zip(header, headerTops) {
            BitmapFont.draw(line.text, into: &sheet, x: Self.margin, y: top, colour: line.colour, scale: line.scale)
        }
        for (row, item) in manifest.items.enumerated() {
            if row > 0 {
                sheet.fill(x: Self.margin, y: rowTops[row] - Self.rowGap / 2, width: width - 2 * Self.margin, height: 1, colour: Self.rule)
            }
            var top = rowTops[row]
            for line in labels[row] {
                BitmapFont.draw(line.text, into: &sheet, x: Self.margin, y: top, colour: line.colour, scale: line.scale)
                top += line.height + 6
            }
            for (picture, frame) in zip(pictures[row], frames[row]) { sheet.paste(picture.magnified(by: factor(picture)), x: frame.x, y: frame.y) }
            if let frame = swatches[row], let palette = try? item.palette.palette() {
                sheet.paste(palette.strip(width: frame.width, height: frame.height), x: frame.x, y: frame.y)
            }
        }
        (image, pictureFrames, swatchFrames) = (sheet, frames, swatches)
    }

    /// The width every picture is shown at: the smallest magnified, or the largest if that is wider.
    static func displaySide(_ pictures: [Image]) -> Int {
        max(magnification * (pictures.map(\.width).min() ?? 0), pictures.map(\.width).max() ?? 0)
    }

    /// Theme at 2×, then the palette (wrapped), its strength (none for the theme's own colours) and truncation.
    private static func label(_ item: SetManifest.Item) -> [Line] {
        var lines = [Line(text: item.theme, scale: 2, colour: ink)]
        let palette = item.palette.colours == nil ? "own colours" : "palette " + item.palette.label
        lines += wrapped(palette).map { Line(text: $0, scale: 1, colour: ink) }
        if item.palette.colours != nil {
            lines.append(Line(text: String(format: "strength %g", item.strength), scale: 1, colour: muted))
        }
        lines.append(Line(text: String(format: "truncation %g", item.truncation), scale: 1, colour: muted))
        return lines
    }

    /// Words joined into lines of at most `labelColumns` characters (a longer word stands alone).
    private static func wrapped(_ text: String) -> [String] {
        var lines: [String] = []
        for word in text.split(separator: " ") {
            if let last = lines.last, last.count + 1 + word.count <= labelColumns {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(String(word))
            }
        }
        return lines
    }
}
