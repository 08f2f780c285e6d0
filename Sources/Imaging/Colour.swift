import Foundation

/// An sRGB colour, channels in [0, 1]: the one colour type of pictures, palettes and the starter renderer.
public struct RGB: Codable, Hashable, Sendable {
    public var r: Float, g: Float, b: Float

    public init(_ r: Float, _ g: Float, _ b: Float) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// From 0xRRGGBB, the way palettes are written down.
    public init(hex: UInt32) {
        self.init(Float((hex >> 16) & 0xFF) / 255, Float((hex >> 8) & 0xFF) / 255, Float(hex & 0xFF) / 255)
    }

    /// From "#rrggbb" (the "#" optional, either case); nil for anything else.
    public init?(hex text: String) {
        let digits = text.hasPrefix("#") ? text.dropFirst() : Substring(text)
        guard digits.count == 6, digits.allSatisfy(\.isHexDigit), let value = UInt32(digits, radix: 16) else { return nil }
        self.init(hex: value)
    }

    public static let white = RGB(1, 1, 1)
    public static let black = RGB(0, 0, 0)

    /// "#rrggbb", each channel clamped and rounded to 8 bits.
    public var hex: String {
        func byte(_ v: Float) -> Int { Int((min(max(v, 0), 1) * 255).rounded()) }
        return String(format: "#%02x%02x%02x", byte(r), byte(g), byte(b))
    }

    /// Each channel clamped to [0, 1].
    public var clamped: RGB { RGB(min(max(r, 0), 1), min(max(g, 0), 1), min(max(b, 0), 1)) }

    /// Linear interpolation; t = 0 gives `self`.
    public func mixed(with other: RGB, _ t: Float) -> RGB {
        RGB(r + (other.r - r) * t, g + (other.g - g) * t, b + (other.b - b) * t)
    }

    /// Codable as its hex string, the way YAML, manifests and people write colours.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let colour = RGB(hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a colour like #1b3a5c")
        }
        self = colour
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// A colour in CIELAB (D65 white): L in [0, 100], a and b roughly in [−128, 127]; one unit is about
/// one just-noticeable difference, which is why colours are compared, clustered and blended here.
public struct Lab: Codable, Hashable, Sendable {
    public var l: Float, a: Float, b: Float

    public init(l: Float, a: Float, b: Float) {
        self.l = l
        self.a = a
        self.b = b
    }

    /// From sRGB (clamped to [0, 1]): undo the sRGB curve, linear RGB → XYZ (IEC 61966-2-1 matrix),
    /// then CIE 1976 L*a*b* against the D65 white point.
    public init(_ colour: RGB) {
        func linear(_ c: Float) -> Double {
            let v = Double(min(max(c, 0), 1))
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        let (r, g, b) = (linear(colour.r), linear(colour.g), linear(colour.b))
        let x = 0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b
        let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b
        let z = 0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b
        let (fx, fy, fz) = (Self.f(x / Self.d65.x), Self.f(y / Self.d65.y), Self.f(z / Self.d65.z))
        self.init(l: Float(116 * fy - 16), a: Float(500 * (fx - fy)), b: Float(200 * (fy - fz)))
    }

    /// Back to sRGB: the inverse of `init(_:)`, unclamped, so a Lab colour outside the sRGB gamut gives
    /// channels outside [0, 1] (use `.clamped` to show it).
    public var rgb: RGB {
        let fy = (Double(l) + 16) / 116
        let (fx, fz) = (fy + Double(a) / 500, fy - Double(b) / 200)
        let (x, y, z) = (Self.fInverse(fx) * Self.d65.x, Self.fInverse(fy) * Self.d65.y, Self.fInverse(fz) * Self.d65.z)
        let r = 3.240_454_2 * x - 1.537_138_5 * y - 0.498_531_4 * z
        let g = -0.969_266_0 * x + 1.876_010_8 * y + 0.041_556_0 * z
        let b = 0.055_643_4 * x - 0.204_025_9 * y + 1.057_225_2 * z
        func encoded(_ v: Double) -> Float {
            let magnitude = abs(v)
            let curve = magnitude <= 0.003_130_8 ? 12.92 * magnitude : 1.055 * pow(magnitude, 1 / 2.4) - 0.055
            return Float(v < 0 ? -curve : curve)
        }
        return RGB(encoded(r), encoded(g), encoded(b))
    }

    /// CIE 1976 colour difference ΔE*ab: the Euclidean distance in Lab.
    public func distance(to other: Lab) -> Float {
        let (dl, da, db) = (l - other.l, a - other.a, b - other.b)
        return (dl * dl + da * da + db * db).squareRoot()
    }

    /// Linear interpolation; t = 0 gives `self`.
    public func mixed(with other: Lab, _ t: Float) -> Lab {
        Lab(l: l + (other.l - l) * t, a: a + (other.a - a) * t, b: b + (other.b - b) * t)
    }

    /// XYZ of D65 white: the matrix's row sums, so sRGB white lands exactly on a = b = 0.
    @usableFromInline static let d65 = (x: 0.950_470, y: 1.0, z: 1.088_830)
    @usableFromInline static let delta = 6.0 / 29

    /// Cube root with the linear toe below δ³ that keeps the slope finite at black.
    static func f(_ t: Double) -> Double {
        t > delta * delta * delta ? cbrt(t) : t / (3 * delta * delta) + 4.0 / 29
    }

    static func fInverse(_ t: Double) -> Double {
        t > delta ? t * t * t : 3 * delta * delta * (t - 4.0 / 29)
    }
}
