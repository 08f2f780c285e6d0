import Foundation

/// CIELAB conversions in Float for many colours at once: `Lab(_:)` and `rgb` compute in Double with
/// `pow` and `cbrt` (about 0.1 µs a colour), which made extracting a 64×64 picture's palette and
/// building its recolouring grid cost milliseconds. Here the sRGB curve is read from tables with
/// linear interpolation and the cube root is a bit trick refined by two Halley steps; the results
/// agree with the Double conversions within 0.001 ΔE over 8-bit colours (ImagingTests).
extension Lab {
    /// [3, N] planar sRGB (an `Image`'s layout, red plane first, clamped to [0, 1]) into [3, N]
    /// planar L, a, b. Two passes: table lookups into linear light, then arithmetic only, which
    /// the compiler vectorises.
    public static func convert(planarRGB rgb: UnsafeBufferPointer<Float>, into lab: UnsafeMutableBufferPointer<Float>) {
        precondition(rgb.count % 3 == 0 && lab.count == rgb.count, "Lab.convert needs [3, N] in and out, got \(rgb.count) and \(lab.count)")
        let n = rgb.count / 3
        let (xn, yn, zn) = (Float(d65.x), Float(d65.y), Float(d65.z))
        decodingTable.withUnsafeBufferPointer { curve in
            for i in 0..<(3 * n) { lab[i] = interpolated(rgb[i], curve) }
        }
        for i in 0..<n {
            let (r, g, b) = (lab[i], lab[n + i], lab[2 * n + i])
            let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) / xn
            let y = (0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b) / yn
            let z = (0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b) / zn
            let (fx, fy, fz) = (fFloat(x), fFloat(y), fFloat(z))
            (lab[i], lab[n + i], lab[2 * n + i]) = (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
        }
    }

    /// Linear-light RGB (before the sRGB curve), unclamped: out of the sRGB gamut exactly when a
    /// channel leaves [0, 1], which gamut mapping tests without paying for the curve. Inlinable:
    /// gamut mapping calls it in a bisection for every grid colour.
    @inlinable public var linearRGB: SIMD3<Float> {
        let fy = (l + 16) / 116
        let (fx, fz) = (fy + a / 500, fy - b / 200)
        let x = Self.fInverseFloat(fx) * Float(Self.d65.x), y = Self.fInverseFloat(fy), z = Self.fInverseFloat(fz) * Float(Self.d65.z)
        return SIMD3(3.240_454_2 * x - 1.537_138_5 * y - 0.498_531_4 * z,
                     -0.969_266_0 * x + 1.876_010_8 * y + 0.041_556_0 * z,
                     0.055_643_4 * x - 0.204_025_9 * y + 1.057_225_2 * z)
    }

    /// The sRGB of linear-light `linear`, each channel clamped to [0, 1]: `rgb.clamped` from `linearRGB`.
    public static func clampedSRGB(linear: SIMD3<Float>) -> RGB {
        encodingTable.withUnsafeBufferPointer { curve in
            RGB(interpolated(linear.x, curve), interpolated(linear.y, curve), interpolated(linear.z, curve))
        }
    }

    /// Intervals of the curve tables over [0, 1]: interpolation error under 2e-5 (encoding, steepest
    /// just above its linear toe) and 1e-7 (decoding), far below an 8-bit step.
    static let curveSteps = 4096

    /// sRGB value → linear light at `curveSteps + 1` evenly spaced sRGB values.
    static let decodingTable: [Float] = (0...curveSteps).map { step in
        let v = Double(step) / Double(curveSteps)
        return Float(v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4))
    }

    /// Linear light → sRGB value at `curveSteps + 1` evenly spaced linear values.
    static let encodingTable: [Float] = (0...curveSteps).map { step in
        let v = Double(step) / Double(curveSteps)
        return Float(v <= 0.003_130_8 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055)
    }

    /// `table` read at `v` clamped to [0, 1], interpolating between its entries.
    static func interpolated(_ v: Float, _ table: UnsafeBufferPointer<Float>) -> Float {
        let position = min(max(v, 0), 1) * Float(curveSteps)
        let step = min(Int(position), curveSteps - 1)
        let t = position - Float(step)
        return table[step] + t * (table[step + 1] - table[step])
    }

    /// `f` in Float without branches (so loops over it vectorise): the cube root from a bit trick
    /// (within 4 %) and two Halley steps (each cubes the error), or the linear toe.
    static func fFloat(_ t: Float) -> Float {
        let delta = Float(Self.delta)
        let t = max(t, 0)
        var y = Float(bitPattern: t.bitPattern / 3 &+ 709_921_077)
        for _ in 0..<2 {
            let y3 = y * y * y
            y *= (y3 + 2 * t) / (2 * y3 + t)
        }
        return t > delta * delta * delta ? y : t / (3 * delta * delta) + 4.0 / 29
    }

    @inlinable static func fInverseFloat(_ t: Float) -> Float {
        let delta = Float(Self.delta)
        return t > delta ? t * t * t : 3 * delta * delta * (t - 4.0 / 29)
    }
}
