import Engine
import Imaging

/// A straight (not premultiplied) colour with coverage: `alpha` is how much of `rgb` covers what is
/// already on the canvas.
struct RGBA {
    var rgb: RGB
    var alpha: Float

    init(_ r: Float, _ g: Float, _ b: Float, _ alpha: Float = 1) {
        self.init(RGB(r, g, b), alpha: alpha)
    }

    init(_ rgb: RGB, alpha: Float = 1) {
        self.rgb = rgb
        self.alpha = alpha
    }

    /// From 0xRRGGBB, the way palettes are written down.
    init(hex: UInt32, alpha: Float = 1) {
        self.init(RGB(hex: hex), alpha: alpha)
    }

    static let white = RGBA(.white)
    static let black = RGBA(.black)

    /// Linear interpolation of colour and coverage; t = 0 gives `self`.
    func mixed(with other: RGBA, _ t: Float) -> RGBA {
        RGBA(rgb.mixed(with: other.rgb, t), alpha: alpha + (other.alpha - alpha) * t)
    }

    /// RGB times `factor` (shade below 1, light above), coverage kept.
    func scaled(_ factor: Float) -> RGBA { RGBA(rgb.r * factor, rgb.g * factor, rgb.b * factor, alpha) }

    func opacity(_ alpha: Float) -> RGBA { RGBA(rgb, alpha: alpha) }

    /// Each channel moved by up to ±`amount` with one shared brightness shift, so a palette entry
    /// yields many nearby shades instead of one flat value.
    func varied(by amount: Float, _ rng: inout RandomGenerator) -> RGBA {
        let shift = rng.uniform(-amount, amount)
        func jitter(_ v: Float) -> Float { min(max(v + shift + rng.uniform(-amount, amount) / 2, 0), 1) }
        return RGBA(jitter(rgb.r), jitter(rgb.g), jitter(rgb.b), alpha)
    }
}
