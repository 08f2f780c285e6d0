import XCTest
@testable import Imaging

/// The Float conversions against the Double ones they stand in for.
final class LabFloatTests: XCTestCase {
    /// Every 8-bit red and green against 18 levels of blue (1.2 million colours): the largest ΔE to `Lab(_:)`.
    func testPlanarConversionMatchesLabOverEightBitColours() {
        let blues = Array(stride(from: 0, through: 255, by: 15))
        let n = 256 * 256 * blues.count
        var rgb = [Float](repeating: 0, count: 3 * n), lab = [Float](repeating: 0, count: 3 * n)
        var i = 0
        for r in 0..<256 {
            for g in 0..<256 {
                for b in blues {
                    (rgb[i], rgb[n + i], rgb[2 * n + i]) = (Float(r) / 255, Float(g) / 255, Float(b) / 255)
                    i += 1
                }
            }
        }
        rgb.withUnsafeBufferPointer { source in lab.withUnsafeMutableBufferPointer { Lab.convert(planarRGB: source, into: $0) } }
        var worst: Float = 0
        for i in 0..<n {
            let exact = Lab(RGB(rgb[i], rgb[n + i], rgb[2 * n + i]))
            worst = max(worst, exact.distance(to: Lab(l: lab[i], a: lab[n + i], b: lab[2 * n + i])))
        }
        XCTAssertLessThan(worst, 0.001)
    }

    /// Pixels off the 8-bit lattice and outside [0, 1] (clamped like `Lab(_:)`).
    func testPlanarConversionBetweenAndBeyondTheLattice() {
        let values: [Float] = [-0.5, 0, 1e-4, 0.0031, 0.0405, 0.04046, 0.3333, 0.77777, 0.99999, 1, 1.5]
        let colours = values.flatMap { r in values.flatMap { g in values.map { b in RGB(r, g, b) } } }
        let n = colours.count
        let rgb = colours.map(\.r) + colours.map(\.g) + colours.map(\.b)
        var lab = [Float](repeating: 0, count: 3 * n)
        rgb.withUnsafeBufferPointer { source in lab.withUnsafeMutableBufferPointer { Lab.convert(planarRGB: source, into: $0) } }
        for (i, colour) in colours.enumerated() {
            XCTAssertLessThan(Lab(colour).distance(to: Lab(l: lab[i], a: lab[n + i], b: lab[2 * n + i])), 0.001, "\(colour)")
        }
    }

    /// Back to sRGB through linear light: the lattice of `Lab(_:)` values returns to `rgb.clamped`,
    /// and out-of-gamut Lab colours show a linear channel outside [0, 1] exactly when `rgb` does.
    func testLinearRGBAndClampedSRGBFollowRGB() {
        var worst: Float = 0
        for l in stride(from: Float(0), through: 100, by: 2.5) {
            for a in stride(from: Float(-120), through: 120, by: 6) {
                for b in stride(from: Float(-120), through: 120, by: 6) {
                    let lab = Lab(l: l, a: a, b: b), exact = lab.rgb, linear = lab.linearRGB
                    let fast = Lab.clampedSRGB(linear: linear)
                    worst = max(worst, abs(fast.r - exact.clamped.r), abs(fast.g - exact.clamped.g), abs(fast.b - exact.clamped.b))
                    for (e, f) in [(exact.r, linear.x), (exact.g, linear.y), (exact.b, linear.z)] where abs(e) > 1e-3 && abs(e - 1) > 1e-3 {
                        XCTAssertEqual(e < 0, f < 0, "\(lab)")
                        XCTAssertEqual(e > 1, f > 1, "\(lab)")
                    }
                }
            }
        }
        XCTAssertLessThan(worst, 1e-4)
    }
}
