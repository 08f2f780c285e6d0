extension Image {
    /// The `width`×`height` rectangle whose top-left pixel is (`x`, `y`); it must lie inside.
    public func cropped(x: Int, y: Int, width newWidth: Int, height newHeight: Int) -> Image {
        precondition(x >= 0 && y >= 0 && newWidth > 0 && newHeight > 0 && x + newWidth <= width && y + newHeight <= height,
                     "crop \(newWidth)×\(newHeight) at (\(x), \(y)) is outside \(width)×\(height)")
        var result = Image(width: newWidth, height: newHeight)
        for c in 0..<3 {
            for row in 0..<newHeight {
                let from = (c * height + y + row) * width + x, to = (c * newHeight + row) * newWidth
                result.pixels[to..<(to + newWidth)] = pixels[from..<(from + newWidth)]
            }
        }
        return result
    }

    /// Copies `image` over this one with its top-left pixel at (`x`, `y`); it must fit inside.
    public mutating func paste(_ image: Image, x: Int, y: Int) {
        precondition(x >= 0 && y >= 0 && x + image.width <= width && y + image.height <= height,
                     "\(image.width)×\(image.height) at (\(x), \(y)) does not fit in \(width)×\(height)")
        for c in 0..<3 {
            for row in 0..<image.height {
                let from = (c * image.height + row) * image.width, to = (c * height + y + row) * width + x
                pixels[to..<(to + image.width)] = image.pixels[from..<(from + image.width)]
            }
        }
    }

    /// The largest centred square, cutting the longer side evenly (the extra pixel goes right or down).
    public func centreCroppedSquare() -> Image {
        let side = min(width, height)
        return cropped(x: (width - side) / 2, y: (height - side) / 2, width: side, height: side)
    }

    /// The picture centred on a square of `fill` as wide as its longer side, nothing cut off.
    public func paddedSquare(fill: RGB) -> Image {
        let side = max(width, height)
        var square = Image(width: side, height: side, fill: fill)
        square.paste(self, x: (side - width) / 2, y: (side - height) / 2)
        return square
    }

    /// Mirrored left to right, the usual augmentation for photographs.
    public func flippedHorizontally() -> Image {
        var result = self
        for row in 0..<(3 * height) {
            result.pixels[(row * width)..<((row + 1) * width)].reverse()
        }
        return result
    }
}
