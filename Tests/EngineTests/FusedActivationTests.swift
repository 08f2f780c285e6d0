import CVectorMath
import Foundation
import XCTest
@testable import Engine

/// Bias and activation applied as a transposed convolution writes its output (the inference path)
/// against the naive loops followed by the activation in Double.
final class FusedActivationTests: XCTestCase {
    func testVectorTanhIsWithinTwoTenMillionthsOfLibm() {
        var xs = (-20_000...20_000).map { Float($0) * 1e-3 }
        xs += [-1e30, -88, -20, 20, 88, 1e30, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity]
        var ys = xs
        Activation.tanh.apply(&ys, count: ys.count, shift: 0)
        let worst = zip(xs, ys).map { Swift.abs($1 - Foundation.tanh($0)) }.max()!
        XCTAssertLessThan(worst, 2e-7)
        // In place (told to the vectoriser) and into another array: the same bits.
        var apart = [Float](repeating: 0, count: xs.count)
        neurossia_tanh(xs, &apart, xs.count, 0)
        XCTAssertEqual(apart.map(\.bitPattern), ys.map(\.bitPattern))
        var p: [Float] = [.nan, 1, -.nan, -1, 0, .nan, 2, 3, .nan]
        for activation in [Activation.relu, .leakyReLU(0.2), .tanh, .identity] {
            activation.apply(&p, count: p.count, shift: 0)
            XCTAssertEqual(p.map(\.isNaN), [true, false, true, false, false, true, false, false, true], "\(activation)")
        }
    }

    /// Every path: a 1×1 input (a matrix product), stride 1 (added into zeros) and stride 2 (phase
    /// planes, where the epilogue runs per row); plane sizes not a multiple of eight for the scalar tail.
    func testFusedBiasAndActivationMatchTheNaiveLoops() {
        let cases: [(h: Int, k: Int, stride: Int, padding: Int)] = [(1, 4, 1, 0), (5, 3, 1, 1), (6, 4, 2, 1), (3, 4, 2, 1)]
        for (index, (h, k, stride, padding)) in cases.enumerated() {
            let (n, cin, cout) = (3, 8, 5)
            let seed = UInt64(40 + index)
            let x = random([n, cin, h, h], seed: seed), weight = random([cin, cout, k, k], seed: seed + 10, scale: 0.3)
            let bias = random([cout], seed: seed + 20)
            let linear = Reference.convTranspose2d(x.scalars.map(Double.init), weight.scalars.map(Double.init),
                                                   bias.scalars.map(Double.init), n: n, cin: cin, h: h, wd: h, cout: cout,
                                                   k: k, stride: stride, padding: padding)
            for (activation, f) in [(Activation.relu, { max($0, 0) }), (.tanh, Foundation.tanh), (.identity, { $0 })]
                as [(Activation, (Double) -> Double)] {
                let out = withoutGradients {
                    convTranspose2d(x, weight, bias: bias, stride: stride, padding: padding, activation: activation)
                }
                let expected = linear.map(f)
                let error = zip(out.scalars, expected).map { Swift.abs(Double($0) - $1) }.max()!
                XCTAssertLessThan(error, 1e-5, "case \(index) \(activation)")
            }
        }
    }

    /// On the tape the activation is an op of its own, so gradients flow through it.
    func testActivationOnTheTapeStillDifferentiates() {
        let x = random([2, 4, 3, 3], seed: 60).requiringGrad(), weight = random([4, 3, 4, 4], seed: 61, scale: 0.3)
        let out = convTranspose2d(x, weight, stride: 2, padding: 1, activation: .tanh)
        out.sum().backward()
        let y = withoutGradients { convTranspose2d(x, weight, stride: 2, padding: 1) }
        let expected = y.scalars.map { 1 - Foundation.tanh($0) * Foundation.tanh($0) }
        // d/dx of Σ tanh(convT(x)) is convT's adjoint of (1 − tanh²): compare against that adjoint.
        let dy = Tensor(expected, shape: y.shape)
        let x2 = Tensor(x.scalars, shape: x.shape).requiringGrad()
        convTranspose2d(x2, weight, stride: 2, padding: 1).backward(gradient: dy)
        let error = zip(x.grad!, x2.grad!).map { Swift.abs($0 - $1) }.max()!
        XCTAssertLessThan(error, 1e-5)
    }

    /// Batch norm with its activation fused, forward and backward, against the two ops on the tape, with
    /// the batch's statistics and with running ones (a frozen norm still passes gradients back); a ReLU's
    /// or leaky ReLU's derivative gates the gradient where batch norm reads it, tanh's is a pass.
    func testBatchNormWithActivationMatchesTheTwoOps() {
        for activation in [Activation.relu, .leakyReLU(0.2), .tanh, .identity] {
            for training in [true, false] {
                func run(fused: Bool) -> [[Float]] {
                    let x = random([3, 4, 5, 7], seed: 70).requiringGrad()
                    let gamma = random([4], seed: 71).requiringGrad(), beta = random([4], seed: 72).requiringGrad()
                    let (mean, variance) = (random([4], seed: 74, scale: 0.3), Tensor(repeating: 1.5, shape: [4]))
                    let y = fused
                        ? batchNorm(x, gamma: gamma, beta: beta, runningMean: mean, runningVar: variance, training: training, activation: activation)
                        : activation(batchNorm(x, gamma: gamma, beta: beta, runningMean: mean, runningVar: variance, training: training))
                    let weights = random(y.shape, seed: 73)
                    (y * weights).sum().backward()
                    return [y.scalars, x.grad!, gamma.grad!, beta.grad!, mean.scalars, variance.scalars]
                }
                let (fused, separate) = (run(fused: true), run(fused: false))
                for (name, (a, b)) in zip(["y", "dx", "dγ", "dβ", "running mean", "running var"], zip(fused, separate)) {
                    let error = zip(a, b).map { Swift.abs($0 - $1) }.max()!
                    XCTAssertLessThan(error, 2e-5, "\(activation) training \(training) \(name)")
                }
            }
        }
    }

    /// In training both convolutions apply the activation to their output tiles or planes and scale the
    /// incoming gradient in place; everything must match the convolution followed by the activation op.
    func testConvolutionsWithActivationTrainLikeTheTwoOps() {
        typealias Op = (Tensor, Tensor, Tensor, Activation) -> Tensor
        let cases: [(name: String, x: [Int], weight: [Int], op: Op)] = [
            ("conv2d strided", [2, 3, 8, 8], [5, 3, 4, 4], { conv2d($0, $1, bias: $2, stride: 2, padding: 1, activation: $3) }),
            ("conv2d 3×3", [2, 4, 6, 6], [5, 4, 3, 3], { conv2d($0, $1, bias: $2, stride: 1, padding: 1, activation: $3) }),
            ("conv2d whole", [2, 4, 4, 4], [5, 4, 4, 4], { conv2d($0, $1, bias: $2, activation: $3) }),
            ("convT strided", [2, 4, 3, 3], [4, 5, 4, 4], { convTranspose2d($0, $1, bias: $2, stride: 2, padding: 1, activation: $3) }),
            ("convT 1×1 in", [2, 4, 1, 1], [4, 5, 4, 4], { convTranspose2d($0, $1, bias: $2, activation: $3) }),
        ]
        for (index, c) in cases.enumerated() {
            for activation in [Activation.leakyReLU(0.2), .tanh, .relu] {
                func run(fused: Bool) -> [[Float]] {
                    let seed = UInt64(80 + 3 * index)
                    let x = random(c.x, seed: seed).requiringGrad(), weight = random(c.weight, seed: seed + 1, scale: 0.3).requiringGrad()
                    let bias = random([5], seed: seed + 2).requiringGrad()
                    let y = fused ? c.op(x, weight, bias, activation) : activation(c.op(x, weight, bias, .identity))
                    (y * random(y.shape, seed: seed + 3)).sum().backward()
                    return [y.scalars, x.grad!, weight.grad!, bias.grad!]
                }
                let (fused, separate) = (run(fused: true), run(fused: false))
                for (name, (a, b)) in zip(["y", "dx", "dW", "db"], zip(fused, separate)) {
                    XCTAssertEqual(a.count, b.count)
                    let error = zip(a, b).map { Swift.abs($0 - $1) }.max()!
                    XCTAssertLessThan(error, 1e-5, "\(c.name) \(activation) \(name)")
                }
            }
        }
    }
}
