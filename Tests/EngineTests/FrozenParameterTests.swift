import XCTest
@testable import Engine

final class FrozenParameterTests: XCTestCase {
    /// A two-layer net, conv then batch norm and a conv that covers its input (a matrix product), as
    /// D sees G's pictures: frozen, the input's gradient is the same to the bit and the weights get none.
    func testFrozenWeightsPassTheSameGradientToTheInputAndKeepNone() {
        let weights = [random([4, 3, 3, 3], seed: 1, scale: 0.5), random([1, 4, 4, 4], seed: 2, scale: 0.5)].map { $0.requiringGrad() }
        let (gamma, beta) = (Tensor(repeating: 1, shape: [4], requiresGrad: true), Tensor(zeros: [4], requiresGrad: true))
        func inputGradient(frozen: Bool) -> [Float] {
            let source = random([2, 3, 4, 4], seed: 3).requiringGrad()
            let x = source * 1
            let pass = {
                let h = batchNorm(conv2d(x, weights[0], padding: 1), gamma: gamma, beta: beta, runningMean: Tensor(zeros: [4]),
                                  runningVar: Tensor(repeating: 1, shape: [4]), training: true, activation: .leakyReLU(0.2))
                conv2d(h, weights[1]).mean().backward()
            }
            if frozen { withFrozen(weights + [gamma, beta], pass) } else { pass() }
            return source.grad!
        }
        let free = inputGradient(frozen: false)
        XCTAssertNotNil(weights[0].grad)
        for tensor in weights + [gamma, beta] { tensor.gradStorage = nil }
        XCTAssertEqual(inputGradient(frozen: true), free)
        XCTAssertTrue((weights + [gamma, beta]).allSatisfy { $0.grad == nil && $0.requiresGrad }, "no gradients, and trainable again after")
    }
}

/// Backward rules that write a fresh gradient buffer instead of adding into zeros must still add when
/// a tensor feeds two ops: its gradient is the sum of what each sends.
final class GradientAccumulationTests: XCTestCase {
    func testATensorUsedTwiceGetsTheSumOfBothGradients() {
        let w = random([4, 3, 4, 4], seed: 1, scale: 0.5), wt = random([3, 2, 4, 4], seed: 2, scale: 0.5)
        let stats = (mean: Tensor(zeros: [3]), variance: Tensor(repeating: 1, shape: [3]))
        let uses: [(String, (Tensor) -> Tensor)] = [
            ("strided conv", { conv2d($0, w, stride: 2, padding: 1) }),
            ("transposed conv", { convTranspose2d($0, wt, stride: 2, padding: 1) }),
            ("batch norm", { batchNorm($0, gamma: nil, beta: nil, runningMean: stats.mean, runningVar: stats.variance, training: true) }),
        ]
        // A random weighting of each output, so every element of its gradient differs.
        func weighted(_ y: Tensor) -> Tensor { (y * random(y.shape, seed: UInt64(y.count))).mean() }
        for (name, use) in uses {
            for (otherName, other) in uses {
                func gradient(_ body: (Tensor) -> Tensor) -> [Float] {
                    let x = random([2, 3, 6, 6], seed: 4).requiringGrad()
                    body(x).backward()
                    return x.grad!
                }
                let both = gradient { x in weighted(use(x)) + weighted(other(x)) }
                let apart = zip(gradient { weighted(use($0)) }, gradient { weighted(other($0)) }).map(+)
                XCTAssertEqual(both.count, apart.count)
                for (a, b) in zip(both, apart) { XCTAssertEqual(a, b, accuracy: 1e-6, "\(name) then \(otherName)") }
            }
        }
    }
}
