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
