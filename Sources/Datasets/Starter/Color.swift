import Engine

/// A straight (not premultiplied) RGBA colour, components in [0, 1]; alpha is how much of it
/// covers what is already on the canvas.
struct Color {
    var r: Float, g: Float, b: Float, a: Float

    init(_ r: Float, _ g: Float, _ b: Float, _ a: Float = 1) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }

    /// From 0xRRGGBB, the way palettes are written down.
    init(hex: UInt32, alpha: Float = 1) {
        self.init(Float((hex >> 16) & 0xFF) / 255, Float((hex >> 8) & 0xFF) / 255, Float(hex & 0xFF) / 255, alpha)
    }

    static let white = Color(1, 1, 1)
    static let black = Color(0, 0, 0)

    /// Linear interpolation of all four components; t = 0 gives `self`.
    func mixed(with other: Color, _ t: Float) -> Color {
        Color(r + (other.r - r) * t, g + (other.g - g) * t, b + (other.b - b) * t, a + (other.a - a) * t)
    }

    /// RGB times `factor` (shade below 1, light above), alpha kept.
    func scaled(_ factor: Float) -> Color { Color(r * factor, g * factor, b * factor, a) }

    func opacity(_ alpha: Float) -> Color { Color(r, g, b, alpha) }

    /// Each channel moved by up to ±`amount` with one shared brightness shift, so a palette entry
    /// yields many nearby shades instead of one flat value.
    func varied(by amount: Float, _ rng: inout RandomGenerator) -> Color {
        let shift = rng.uniform(-amount, amount)
        func jitter(_ v: Float) -> Float { min(max(v + shift + rng.uniform(-amount, amount) / 2, 0), 1) }
        return Color(jitter(r), jitter(g), jitter(b), a)
    }
}
