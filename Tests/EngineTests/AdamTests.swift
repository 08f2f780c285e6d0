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

    /// A small discriminator with what a fused update could get wrong: a convolution reading a batch
    /// norm's output (let go after forward, remade in backward from what batch norm kept), a weight
    /// read by two ops, a weight reached through a view, and `onlyReal`, which only the first pass reads.
    private struct Passes {
        let parameters: [(name: String, tensor: Tensor)]
        let (w1, gamma, beta, w2, head, shared, onlyReal): (Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)
        let runningMean = Tensor(zeros: [4]), runningVar = Tensor(zeros: [4])

        init(seed: UInt64) {
            var rng = RandomGenerator(seed: seed)
            func parameter(_ shape: [Int]) -> Tensor {
                let t = Tensor(randomNormal: shape, std: 0.5, rng: &rng)
                t.requiresGrad = true
                return t
            }
            (w1, gamma, beta, w2) = (parameter([4, 3, 3, 3]), parameter([4]), parameter([4]), parameter([2, 4, 3, 3]))
            (head, shared, onlyReal) = (parameter([1, 18]), parameter([1]), parameter([1]))
            parameters = [("w1", w1), ("gamma", gamma), ("beta", beta), ("w2", w2), ("head", head), ("shared", shared),
                          ("onlyReal", onlyReal)]
        }

        func logits(_ x: Tensor) -> Tensor {
            let h = batchNorm(conv2d(x, w1, padding: 1), gamma: gamma, beta: beta, runningMean: runningMean,
                              runningVar: runningVar, training: true, activation: .leakyReLU(0.2))
            let y = linear(conv2d(h, w2, stride: 2, padding: 1).reshaped([2, 18]), head.reshaped([1, 18]))
            return y * shared + (y * y) * shared
        }

        /// (real pass, fake pass) on fresh pictures of a seed.
        func losses(_ seed: UInt64) -> (Tensor, Tensor) {
            var rng = RandomGenerator(seed: seed)
            let real = Tensor(randomNormal: [2, 3, 6, 6], rng: &rng), fake = Tensor(randomNormal: [2, 3, 6, 6], rng: &rng)
            return ((logits(real).bceWithLogits(target: 1) * onlyReal).sum(), logits(fake).bceWithLogits(target: 0))
        }
    }

    /// Updating within the last backward pass is the same arithmetic as back-propagating it and updating
    /// after: the same bits in every parameter over three steps, including `onlyReal`, whose gradient
    /// the last pass never reaches (applied at its end), and every gradient let go.
    func testUpdateWithinTheLastPassMatchesUpdatingAfter() {
        let (after, within) = (Passes(seed: 3), Passes(seed: 3))
        let adamAfter = Adam(parameters: after.parameters, learningRate: 0.01, beta1: 0.5)
        let adamWithin = Adam(parameters: within.parameters, learningRate: 0.01, beta1: 0.5)
        for step in 0..<3 {
            adamAfter.zeroGrad()
            let (realA, fakeA) = after.losses(UInt64(step))
            realA.backward()
            fakeA.backward()
            adamAfter.update()

            adamWithin.zeroGrad()
            let (realW, fakeW) = within.losses(UInt64(step))
            realW.backward()
            adamWithin.update(backPropagating: fakeW)
            XCTAssertEqual(realA.item, realW.item)
            XCTAssertEqual(fakeA.item, fakeW.item)
        }
        XCTAssertEqual(adamWithin.step, 3)
        for ((name, a), (_, w)) in zip(after.parameters, within.parameters) {
            XCTAssertEqual(a.scalars, w.scalars, name)
            XCTAssertNil(w.grad, "\(name): let go once applied")
        }
    }

    /// A watched tensor is handed over once its last reader has sent its gradient back: a chain's last
    /// layer first, a weight read twice after both reads, and never a tensor the pass does not reach.
    func testBackwardHandsOverEachWatchedTensorAfterItsLastReader() {
        let net = Passes(seed: 4)
        var handed: [String: [Float]] = [:]
        var order: [String] = []
        let (_, fake) = net.losses(9)
        fake.backward(watching: net.parameters.map(\.tensor)) { index in
            let (name, tensor) = net.parameters[index]
            order.append(name)
            handed[name] = tensor.grad
        }
        XCTAssertEqual(Set(order), ["w1", "gamma", "beta", "w2", "head", "shared"], "onlyReal is not read by this pass")
        XCTAssertEqual(order.count, 6, "each once")
        XCTAssertLessThan(order.firstIndex(of: "w2")!, order.firstIndex(of: "w1")!)
        XCTAssertLessThan(order.firstIndex(of: "head")!, order.firstIndex(of: "w2")!)
        // What was handed over is the whole gradient: the same as after the pass.
        for (name, tensor) in net.parameters where name != "onlyReal" {
            XCTAssertEqual(handed[name], tensor.grad, name)
        }
    }
}
