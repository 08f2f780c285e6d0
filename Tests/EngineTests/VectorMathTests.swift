import CVectorMath
import Foundation
import XCTest

/// The vectorised kernels against the same functions in Double, over the whole float range, with
/// lengths that leave every possible tail after the vector part.
final class VectorMathTests: XCTestCase {
    /// Arguments from −100 to 100 in steps of 1e-3, extremes and infinities.
    let arguments: [Float] = (-100_000...100_000).map { Float($0) * 1e-3 }
        + [-1e30, -88.5, -87.5, 87.5, 88.5, 1e30, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity]

    func sigmoid(_ x: Float) -> Double { 1 / (1 + Foundation.exp(-Double(x))) }

    func testSigmoidIsWithinHalfAMillionthRelative() {
        var y = [Float](repeating: 0, count: arguments.count)
        neurossia_sigmoid(arguments, &y, arguments.count)
        for (x, y) in zip(arguments, y) {
            let exact = sigmoid(x)
            // Below about e^-87 the kernel's clamp keeps a tiny positive value instead of the exact one.
            if exact < 1e-37 { XCTAssertLessThan(Double(y), 1e-37, "σ(\(x))"); continue }
            XCTAssertLessThan(Swift.abs(Double(y) - exact) / exact, 5e-7, "σ(\(x)) = \(y), exactly \(exact)")
        }
    }

    func testGLUAndItsGradientsMatchDouble() {
        for count in [0, 1, 15, 16, 17, 31, 33, 1000] {
            let b = (0..<count).map { Float($0 % 37) * 0.7 - 12 }, a = (0..<count).map { Float($0 % 11) - 5 }
            let dout = (0..<count).map { Float($0 % 5) * 0.25 - 0.5 }
            var out = [Float](repeating: 0, count: count)
            neurossia_glu(a, b, &out, count)
            var da = [Float](repeating: 1, count: count), db = [Float](repeating: -1, count: count)
            neurossia_glu_backward(a, b, dout, &da, &db, count)
            for i in 0..<count {
                let s = sigmoid(b[i])
                XCTAssertEqual(Double(out[i]), Double(a[i]) * s, accuracy: 1e-6 * Swift.abs(Double(a[i])) + 1e-30)
                XCTAssertEqual(Double(da[i]), 1 + Double(dout[i]) * s, accuracy: 1e-6, "da[\(i)] of \(count): added to what was there")
                XCTAssertEqual(Double(db[i]), -1 + Double(dout[i]) * Double(a[i]) * s * (1 - s), accuracy: 1e-6)
            }
        }
    }

    func testNaNStaysNaN() {
        let x: [Float] = [.nan, 1, -.nan, 0]
        var y = [Float](repeating: 0, count: 4), t = y, g = y
        neurossia_sigmoid(x, &y, 4)
        neurossia_tanh(x, &t, 4, 0)
        neurossia_glu([1, 1, 1, 1], x, &g, 4)
        for values in [y, t, g] { XCTAssertEqual(values.map(\.isNaN), [true, false, true, false]) }
    }

    func testSumsMatchDoubleForEveryTail() {
        for count in [0, 1, 7, 15, 16, 17, 100, 4099] {
            let p = (0..<count).map { Float(($0 * 7919) % 1000) * 1e-3 - 0.4 }
            let d = (0..<count).map { Float(($0 * 104_729) % 997) * 1e-3 - 0.5 }
            let mean: Float = 0.1
            var sum: Float = 0, squares: Float = 0, dSum: Float = 0, centred: Float = 0
            neurossia_sum_squares(p, count, &sum, &squares)
            neurossia_sum_products(d, p, mean, count, &dSum, &centred)
            let tolerance = 1e-5 * Double(max(count, 1))
            XCTAssertEqual(Double(sum), p.reduce(0) { $0 + Double($1) }, accuracy: tolerance, "Σp of \(count)")
            XCTAssertEqual(Double(squares), p.reduce(0) { $0 + Double($1) * Double($1) }, accuracy: tolerance)
            XCTAssertEqual(Double(dSum), d.reduce(0) { $0 + Double($1) }, accuracy: tolerance)
            XCTAssertEqual(Double(centred), zip(d, p).reduce(0) { $0 + Double($1.0) * (Double($1.1) - Double(mean)) },
                           accuracy: tolerance)
        }
    }
}
