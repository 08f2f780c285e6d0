import Imaging

extension Palette {
    /// A picture of the palette for people: bars side by side, widths in proportion to weight, each
    /// labelled with its hex in black or white (whichever stands out), at 2× when the label fits the
    /// bar, else 1×, else unlabelled.
    public func swatch(width: Int = 512, height: Int = 96) -> Image {
        var image = strip(width: width, height: height)
        for (colour, span) in zip(colours, spans(length: width)) {
            let text = colour.hex
            guard let scale = [2, 1].first(where: { BitmapFont.width(of: text, scale: $0) + 4 <= span.count
                && BitmapFont.glyphHeight * $0 + 4 <= height }) else { continue }
            let ink: RGB = Lab(colour).l > 55 ? .black : .white
            BitmapFont.draw(text, into: &image, x: span.lowerBound + (span.count - BitmapFont.width(of: text, scale: scale)) / 2,
                            y: (height - BitmapFont.glyphHeight * scale) / 2, colour: ink, scale: scale)
        }
        return image
    }

    /// The palette as unlabelled bars along the strip's longer side (left to right, or top to bottom
    /// when taller than wide, to stand beside a row of a contact sheet), lengths in proportion to
    /// weight: also the palette's colour distribution as a picture.
    public func strip(width: Int, height: Int) -> Image {
        precondition(width > 0 && height > 0, "a swatch needs a positive size, got \(width)×\(height)")
        var image = Image(width: width, height: height)
        let across = width >= height
        for (colour, span) in zip(colours, spans(length: across ? width : height)) {
            if across {
                image.fill(x: span.lowerBound, y: 0, width: span.count, height: height, colour: colour)
            } else {
                image.fill(x: 0, y: span.lowerBound, width: width, height: span.count, colour: colour)
            }
        }
        return image
    }

    /// Each colour's pixel range along `length`: boundaries at the rounded cumulative weights, so
    /// every bar is within half a pixel of its share and the bars tile the length.
    func spans(length: Int) -> [Range<Int>] {
        var start = 0, cumulative: Float = 0
        return weights.enumerated().map { index, weight in
            cumulative += weight
            let end = index == weights.count - 1 ? length : min(length, Int((cumulative * Float(length)).rounded()))
            defer { start = end }
            return start..<max(start, end)
        }
    }
}
