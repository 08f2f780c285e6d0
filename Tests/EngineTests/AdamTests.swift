import XCTest
@testable import Engine

final class AdamTests: XCTestCase {
    /// With a constant gradient the bias-corrected step is lr · g / (|g| + ε′) ≈ lr · sign(g), every step.
    func testConstantGradientMovesByLearningRateEachStep() {
        let p = Tensor([1, -2], shape: [2], requiresGrad: true)
        let adam = Adam(parameters: [("p", p)], learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        var expected: [Float] = [1, -2]
        for _ in 1...3 {
            adam.zeroGrad()
            (p * Tensor([0.5, -1], shape: [2])).sum().backward()
            adam.update()
            expected = [expected[0] - 0.1, expected[1] + 0.1]
            XCTAssertEqual(p.scalars[0], expected[0], accuracy: 1e-6)
            XCTAssertEqual(p.scalars[1], expected[1], accuracy: 1e-6)
        }
    }

    /// Gradients 1, 2, −1 on one weight, worked by hand with β1 = 0.5, β2 = 0.75, lr = 1, ε = 0:
    /// t1: m = .5, v = .25, m̂ = 1, v̂ = 1 → step 1;  t2: m = 1.25, v = 1.1875, m̂ = 5/3, v̂ = 2.7142857 → 1.01163;
    /// t3: m = .125, v = 1.140625, m̂ = 1/7, v̂ = 1.9729730 → 0.10170.
    func testThreeStepsAgainstHandComputedValues() {
        let p = Tensor([0], shape: [1], requiresGrad: true)
        let adam = Adam(parameters: [("p", p)], learningRate: 1, beta1: 0.5, beta2: 0.75, epsilon: 0)
        let gradients: [Float] = [1, 2, -1]
        let after: [Float] = [-1, -2.011_63, -2.113_33]
        for (g, value) in zip(gradients, after) {
            adam.zeroGrad()
            (p * g).sum().backward()
            adam.update()
            XCTAssertEqual(p.item, value, accuracy: 2e-4)
        }
        XCTAssertEqual(adam.step, 3)
    }

    /// An update lets go of the gradients it applied, so no gradient memory outlives a step; a
    /// parameter nothing flowed into in a step stays where it was (PyTorch skips it too).
    func testUpdateLetsGoOfGradientsAndSkipsParametersWithoutOne() {
        let (used, unused) = (Tensor([1], shape: [1], requiresGrad: true), Tensor([3], shape: [1], requiresGrad: true))
        let adam = Adam(parameters: [("used", used), ("unused", unused)], learningRate: 0.1)
        (used * unused).sum().backward()
        adam.update()
        XCTAssertNil(used.grad)
        XCTAssertNil(unused.grad)
        let before = unused.item
        adam.zeroGrad()
        (used * 2).sum().backward()
        adam.update()
        XCTAssertEqual(unused.item, before, "no gradient this step: left alone")
        XCTAssertEqual(adam.step, 2)
    }

    /// A GAN step runs G forward before it clears G's gradients (D trains in between): a parameter
    /// reached through a view (reshape, as a convolution's weights are) still gets its gradient.
    func testGradientsClearedBetweenForwardAndBackwardStillArrive() {
        let w = Tensor([1, 2, 3, 4], shape: [2, 2], requiresGrad: true)
        let adam = Adam(parameters: [("w", w)], learningRate: 0.1)
        for _ in 0..<2 {
            let y = (w.reshaped([4]) * Tensor([1, -1, 2, -2], shape: [4])).sum()
            adam.zeroGrad()
            y.backward()
            XCTAssertEqual(w.grad, [1, -1, 2, -2])
            adam.update()
        }
    }
}
