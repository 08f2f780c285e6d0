/// Flat-colour primitives for swatches and labels, clipped to the image so callers need not check bounds.
extension Image {
    /// Paints the rectangle [x, x + width) × [y, y + height) in `colour`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, colour: RGB) {
        let left = max(0, x), right = min(width, x + w)
        let top = max(0, y), bottom = min(height, y + h)
        guard left < right && top < bottom else { return }
        let plane = width * height
        for row in top..<bottom {
            for column in left..<right {
                let i = row * width + column
                pixels[i] = colour.r
                pixels[plane + i] = colour.g
                pixels[2 * plane + i] = colour.b
            }
        }
    }

    /// Mixes `colour` over the pixel at (`x`, `y`) with opacity `alpha` in [0, 1].
    public mutating func blend(x: Int, y: Int, colour: RGB, alpha: Float) {
        guard x >= 0 && x < width && y >= 0 && y < height else { return }
        let plane = width * height
        let i = y * width + x
        pixels[i] += (colour.r - pixels[i]) * alpha
        pixels[plane + i] += (colour.g - pixels[plane + i]) * alpha
        pixels[2 * plane + i] += (colour.b - pixels[2 * plane + i]) * alpha
    }
}
