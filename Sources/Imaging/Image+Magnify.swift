extension Image {
    /// Each pixel as a `factor`×`factor` block (nearest neighbour): small generated pictures shown
    /// larger on a contact sheet without the blur of a filtered resize.
    public func magnified(by factor: Int) -> Image {
        precondition(factor >= 1, "magnification must be at least 1, got \(factor)")
        let (w, h) = (width * factor, height * factor)
        var out = [Float](repeating: 0, count: 3 * w * h)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for c in 0..<3 {
                    for y in 0..<h {
                        let from = (c * height + y / factor) * width, to = (c * h + y) * w
                        for x in 0..<w { target[to + x] = source[from + x / factor] }
                    }
                }
            }
        }
        return Image(width: w, height: h, pixels: out)
    }
}
