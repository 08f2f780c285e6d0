import Foundation
import Imaging

/// A colour in CIELAB (D65 white): L in [0, 100], a and b roughly in [−128, 127]; one unit is about
/// one just-noticeable difference, which is why colour distances are measured here.
public struct LabColour: Sendable, Equatable {
    public var l: Float, a: Float, b: Float

    public init(l: Float, a: Float, b: Float) {
        self.l = l
        self.a = a
        self.b = b
    }

    /// From sRGB channels in [0, 1] (clamped): undo the sRGB curve, linear RGB → XYZ (IEC 61966-2-1
    /// matrix), then CIE 1976 L*a*b* against the D65 white point.
    public init(sRGB colour: Image.Colour) {
        func linear(_ c: Float) -> Double {
            let v = Double(min(max(c, 0), 1))
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        let (r, g, b) = (linear(colour.r), linear(colour.g), linear(colour.b))
        let x = 0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b
        let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b
        let z = 0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b
        let (fx, fy, fz) = (Self.f(x / Self.white.x), Self.f(y / Self.white.y), Self.f(z / Self.white.z))
        self.init(l: Float(116 * fy - 16), a: Float(500 * (fx - fy)), b: Float(200 * (fy - fz)))
    }

    /// XYZ of D65 white: the matrix's row sums, so sRGB white lands exactly on a = b = 0.
    static let white = (x: 0.950_470, y: 1.0, z: 1.088_830)

    /// Cube root with the linear toe below (6/29)³ that keeps the slope finite at black.
    static func f(_ t: Double) -> Double {
        let delta = 6.0 / 29
        return t > delta * delta * delta ? cbrt(t) : t / (3 * delta * delta) + 4.0 / 29
    }
}
