import CVectorMath
import Foundation
import XCTest
@testable import Engine

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

    /// Batch norm then GLU on a plane pair, its gradient sums with du (kept or not: the same sums) and its
    /// backward from that du (written, added, and in place over du), against the same formulas in Double.
    func testNormGLUKernelsMatchDouble() {
        let a = neurossia_norm(mean: 0.3, inv: 1.7, gamma: 0.9, beta: -0.2)
        let b = neurossia_norm(mean: -0.5, inv: 0.6, gamma: 1.3, beta: 0.4)
        let coefficients: [Float] = [0.7, -0.1, 0.25, 1.1, 0.05, -0.3]
        for count in [0, 1, 15, 16, 17, 31, 33, 1000] {
            let za = (0..<count).map { Float($0 % 37) * 0.3 - 5 }, zb = (0..<count).map { Float($0 % 11) * 2 - 9 }
            let dout = (0..<count).map { Float($0 % 5) * 0.25 - 0.5 }
            var out = [Float](repeating: 0, count: count), sums: [Float] = [1, 2, 3, 4], sumsAlone: [Float] = [1, 2, 3, 4]
            var du = (a: [Float](repeating: .nan, count: count), b: [Float](repeating: .nan, count: count))
            neurossia_norm_glu(za, zb, nil, 0, &out, count, a, b)
            neurossia_norm_glu_sums(za, zb, nil, 0, dout, count, a, b, &sums, &du.a, &du.b)
            neurossia_norm_glu_sums(za, zb, nil, 0, dout, count, a, b, &sumsAlone, nil, nil)
            XCTAssertEqual(sums.map(\.bitPattern), sumsAlone.map(\.bitPattern), "sums of \(count), du kept or not")
            var written = (dza: [Float](repeating: .nan, count: count), dzb: [Float](repeating: .nan, count: count))
            var added = (dza: [Float](repeating: 1, count: count), dzb: [Float](repeating: -1, count: count))
            var inPlace = du
            neurossia_norm_glu_backward(za, zb, nil, 0, du.a, du.b, &written.dza, &written.dzb, count, a, b, coefficients, 0)
            neurossia_norm_glu_backward(za, zb, nil, 0, du.a, du.b, &added.dza, &added.dzb, count, a, b, coefficients, 1)
            inPlace.a.withUnsafeMutableBufferPointer { dua in
                inPlace.b.withUnsafeMutableBufferPointer { dub in
                    neurossia_norm_glu_backward(za, zb, nil, 0, dua.baseAddress, dub.baseAddress, dua.baseAddress, dub.baseAddress, count, a, b,
                                                coefficients, 0)
                }
            }
            XCTAssertEqual(inPlace.a.map(\.bitPattern), written.dza.map(\.bitPattern), "dza of \(count) in place")
            XCTAssertEqual(inPlace.b.map(\.bitPattern), written.dzb.map(\.bitPattern), "dzb of \(count) in place")
            var expectedSums: [Double] = [1, 2, 3, 4]
            for i in 0..<count {
                let xa = (Double(za[i]) - 0.3) * 1.7, xb = (Double(zb[i]) + 0.5) * 0.6
                let ua = 0.9 * xa - 0.2, s = sigmoid(Float(1.3 * xb + 0.4))
                let dua = Double(dout[i]) * s, dub = Double(dout[i]) * ua * s * (1 - s)
                XCTAssertEqual(Double(out[i]), ua * s, accuracy: 1e-5 * Swift.abs(ua) + 1e-30, "out[\(i)] of \(count)")
                XCTAssertEqual(Double(du.a[i]), dua, accuracy: 1e-6)
                XCTAssertEqual(Double(du.b[i]), dub, accuracy: 1e-6)
                let (ga, gb) = (0.7 * dua - 0.1 + 0.25 * xa, 1.1 * dub + 0.05 - 0.3 * xb)
                XCTAssertEqual(Double(written.dza[i]), ga, accuracy: 1e-5)
                XCTAssertEqual(Double(written.dzb[i]), gb, accuracy: 1e-5)
                XCTAssertEqual(Double(added.dza[i]), 1 + ga, accuracy: 1e-5)
                XCTAssertEqual(Double(added.dzb[i]), -1 + gb, accuracy: 1e-5)
                expectedSums[0] += dua; expectedSums[1] += dua * xa; expectedSums[2] += dub; expectedSums[3] += dub * xb
            }
            for k in 0..<4 { XCTAssertEqual(Double(sums[k]), expectedSums[k], accuracy: 1e-4 * Double(max(count, 1)), "sum \(k) of \(count)") }
        }
    }

    /// Noise read in (z + weight · noise formed where each kernel reads z) gives the very bits of the sum
    /// written out first and read plainly, for every tail: forward, statistics, gradient sums and du, backward.
    func testNoiseReadInEqualsNoiseWrittenOut() {
        let a = neurossia_norm(mean: 0.3, inv: 1.7, gamma: 0.9, beta: -0.2)
        let b = neurossia_norm(mean: -0.5, inv: 0.6, gamma: 1.3, beta: 0.4)
        let coefficients: [Float] = [0.7, -0.1, 0.25, 1.1, 0.05, -0.3]
        let weight: Float = 0.37
        for count in [0, 1, 15, 16, 17, 31, 33, 1000] {
            let za = (0..<count).map { Float($0 % 37) * 0.3 - 5 }, zb = (0..<count).map { Float($0 % 11) * 2 - 9 }
            let noise = (0..<count).map { Float(($0 * 7919) % 101) * 0.02 - 1 }, dout = (0..<count).map { Float($0 % 5) * 0.25 - 0.5 }
            let (na, nb) = (zip(za, noise).map { $0 + weight * $1 }, zip(zb, noise).map { $0 + weight * $1 })
            func run(_ za: [Float], _ zb: [Float], _ noise: [Float]?) -> [[Float]] {
                var out = [Float](repeating: 0, count: count), sums: [Float] = [1, 2, 3, 4], (sum, squares): (Float, Float) = (0, 0)
                var (dza, dzb) = ([Float](repeating: 1, count: count), [Float](repeating: -1, count: count))
                var (dua, dub) = ([Float](repeating: 0, count: count), [Float](repeating: 0, count: count))
                let w = noise == nil ? 0 : weight
                noise.withOptionalPointer { n in
                    neurossia_norm_glu(za, zb, n, w, &out, count, a, b)
                    neurossia_norm_glu_sums(za, zb, n, w, dout, count, a, b, &sums, &dua, &dub)
                    neurossia_norm_glu_backward(za, zb, n, w, dua, dub, &dza, &dzb, count, a, b, coefficients, 1)
                    if let n { neurossia_sum_squares_noisy(za, n, w, count, &sum, &squares) }
                    else { neurossia_sum_products(za, za, 0, count, &sum, &squares) }
                }
                return [out, sums, dza, dzb, [sum, squares], dua, dub]
            }
            let (readIn, writtenOut) = (run(za, zb, noise), run(na, nb, nil))
            for (k, name) in ["out", "sums", "dza", "dzb", "statistics", "dua", "dub"].enumerated() {
                XCTAssertEqual(readIn[k].map(\.bitPattern), writtenOut[k].map(\.bitPattern), "\(name) of \(count)")
            }
        }
    }

    /// Batch norm's output kernel gives what an affine pass and `Activation.apply` gave, bit for bit (−0
    /// to +0, NaN kept), for each activation it takes, at every tail, in place or not.
    func testNormActivationIsAffineThenActivation() {
        let (scale, shift): (Float, Float) = (1.7, -0.3)
        for count in [0, 1, 15, 16, 17, 33, 100] {
            /// Spread over [−5, 5), with NaNs and values whose normalised value is zero or nearly.
            func value(_ i: Int) -> Float {
                if i % 13 == 5 { return .nan }
                if i % 11 == 3 { return shift / -scale }
                return Float((i * 7919) % 200) * 0.05 - 5
            }
            let x = (0..<count).map(value)
            let kinds: [(Int32, Activation)] = [(0, .identity), (1, .relu), (2, .leakyReLU(0.2))]
            for (kind, activation) in kinds {
                var expected = x.map { $0 * scale + shift }
                activation.apply(&expected, count: count, shift: 0)
                var y = [Float](repeating: 7, count: count), inPlace = x
                neurossia_norm_activation(x, &y, count, scale, shift, kind, activation.negativeSlope ?? 0)
                inPlace.withUnsafeMutableBufferPointer { neurossia_norm_activation($0.baseAddress, $0.baseAddress, count, scale, shift, kind,
                                                                                   activation.negativeSlope ?? 0) }
                let bits = expected.map { $0.bitPattern }
                XCTAssertEqual(y.map { $0.bitPattern }, bits, "\(activation) of \(count)")
                XCTAssertEqual(inPlace.map { $0.bitPattern }, bits, "\(activation) of \(count) in place")
            }
        }
    }

    /// Gating a gradient by an output's kept sign bits is gating it by the output itself, to the bit, for
    /// ReLU and leaky ReLU, over every tail and any stretch (the cores' chunks start anywhere): outputs
    /// of zero, −0 and NaN included, and gradients of ±∞ and NaN (ReLU's gate writes 0, not d · 0).
    func testGatingBySignBitsIsGatingByTheOutput() {
        for count in [0, 1, 7, 8, 9, 31, 33, 100] {
            let outputs: [Float] = [.nan, 0, -0.0, 1e-30, -1e-30, 1, -1, 2.5, -2.5]
            let y = (0..<count).map { outputs[($0 * 5) % outputs.count] }
            let dy: [Float] = (0..<count).map { i in i % 5 == 0 ? [.infinity, -.infinity, .nan][i % 3] : Float(i) * 0.25 - 3 }
            var bits = [UInt8](repeating: 0xAA, count: (count + 7) / 8)
            neurossia_nonpositive_bits(y, &bits, count)
            for activation in [Activation.relu, .leakyReLU(0.2)] {
                var expected = dy
                expected.withUnsafeMutableBufferPointer { activation.backward($0.baseAddress!, output: y, count: count) }
                for split in Set([0, count / 3, count]) {
                    var gated = dy
                    for (start, length) in [(0, split), (split, count - split)] {
                        neurossia_gate_by_bits(&gated, bits, start, length, activation == .relu ? 1 : 0, activation.negativeSlope!)
                    }
                    XCTAssertEqual(gated.map(\.bitPattern), expected.map(\.bitPattern), "\(activation) of \(count), split at \(split)")
                }
            }
        }
    }

    func testNaNStaysNaN() {
        let x: [Float] = [.nan, 1, -.nan, 0]
        var y = [Float](repeating: 0, count: 4), t = y, g = y
        neurossia_sigmoid(x, &y, 4)
        neurossia_tanh(x, &t, 4, 0)
        let identity = neurossia_norm(mean: 0, inv: 1, gamma: 1, beta: 0)
        neurossia_norm_glu([1, 1, 1, 1], x, nil, 0, &g, 4, identity, identity)
        for values in [y, t, g] { XCTAssertEqual(values.map(\.isNaN), [true, false, true, false]) }
    }

    func testSumsMatchDoubleForEveryTail() {
        for count in [0, 1, 7, 15, 16, 17, 100, 4099] {
            let p = (0..<count).map { Float(($0 * 7919) % 1000) * 1e-3 - 0.4 }
            let d = (0..<count).map { Float(($0 * 104_729) % 997) * 1e-3 - 0.5 }
            let mean: Float = 0.1
            var sum: Float = 0, squares: Float = 0, dSum: Float = 0, centred: Float = 0
            neurossia_sum_products(p, p, 0, count, &sum, &squares)
            neurossia_sum_products(d, p, mean, count, &dSum, &centred)
            let tolerance = 1e-5 * Double(max(count, 1))
            XCTAssertEqual(Double(sum), p.reduce(0) { $0 + Double($1) }, accuracy: tolerance, "Σp of \(count)")
            XCTAssertEqual(Double(squares), p.reduce(0) { $0 + Double($1) * Double($1) }, accuracy: tolerance)
            XCTAssertEqual(Double(dSum), d.reduce(0) { $0 + Double($1) }, accuracy: tolerance)
            XCTAssertEqual(Double(centred), zip(d, p).reduce(0) { $0 + Double($1.0) * (Double($1.1) - Double(mean)) },
                           accuracy: tolerance)
        }
    }

    /// Box–Muller pairs against the same formula in Double from the same bits, over bits that reach the
    /// extremes (u1 at its smallest, angles at every quadrant boundary), and the moments of a million values.
    func testNormalPairsMatchDoubleBoxMuller() {
        var rng = RandomGenerator(seed: 5)
        var bits = (0..<100_000).map { _ in rng.next() }
        bits += [0, UInt64.max, 0xffffff << 40, 1 << 16] + (0...16).map { UInt64($0) << 36 }
        var out = [Float](repeating: 0, count: 2 * bits.count)
        neurossia_normal_pairs(bits, &out, bits.count)
        for (i, b) in bits.enumerated() {
            let u1 = Double((b >> 40) + 1) * 0x1p-24, u2 = Double((b >> 16) & 0xffffff) * 0x1p-24
            let r = (-2 * Foundation.log(u1)).squareRoot(), angle = 2 * Double.pi * u2
            XCTAssertEqual(Double(out[2 * i]), r * Foundation.cos(angle), accuracy: 1e-6 * max(1, r), "bits \(b)")
            XCTAssertEqual(Double(out[2 * i + 1]), r * Foundation.sin(angle), accuracy: 1e-6 * max(1, r), "bits \(b)")
        }
        var values = [Float](repeating: 0, count: 1_000_000)
        rng.fillNormal(&values, count: values.count)
        let mean = values.reduce(0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        let fourth = values.reduce(0) { $0 + pow(Double($1) - mean, 4) } / Double(values.count) / (variance * variance)
        XCTAssertEqual(mean, 0, accuracy: 0.005)
        XCTAssertEqual(variance, 1, accuracy: 0.005)
        XCTAssertEqual(fourth, 3, accuracy: 0.05, "kurtosis of a normal")
    }

    /// fillNormal gives the pairs of its generator's next draws, in order, to exactly `count` floats: an odd
    /// count ends with the first value of the last pair, and the float after the buffer is left alone.
    func testFillNormalWritesTheDrawsPairsAndNothingBeyond() {
        for count in [1, 2, 7, 64] {
            var draws = RandomGenerator(seed: 11)
            let bits = (0..<(count + 1) / 2).map { _ in draws.next() }
            var pairs = [Float](repeating: 0, count: 2 * bits.count)
            neurossia_normal_pairs(bits, &pairs, bits.count)
            var rng = RandomGenerator(seed: 11)
            var values = [Float](repeating: 42, count: count + 1)
            rng.fillNormal(&values, count: count)
            XCTAssertEqual(Array(values[..<count]), Array(pairs[..<count]), "count \(count)")
            XCTAssertEqual(values[count], 42, "past the buffer")
            XCTAssertEqual(rng, draws, "one draw per pair")
        }
    }
}

extension Optional where Wrapped == [Float] {
    /// `body` with a pointer to the array's floats, or nil.
    func withOptionalPointer<T>(_ body: (UnsafePointer<Float>?) -> T) -> T {
        guard let self else { return body(nil) }
        return self.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
