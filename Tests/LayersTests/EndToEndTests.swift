import Engine
import XCTest
@testable import Layers

/// A tiny conv net: conv 3→8 (3×3) → batch norm → leaky ReLU → conv 8→4 (4×4, stride 2) → tanh.
final class TinyNet: Module {
    let conv1: Conv2d, norm: BatchNorm2d, conv2: Conv2d

    init(rng: inout RandomGenerator) {
        conv1 = Conv2d(inputChannels: 3, outputChannels: 8, kernelSize: 3, padding: 1, initializer: .kaiming(slope: 0.2), rng: &rng)
        norm = BatchNorm2d(channels: 8, gammaStd: 0.02, rng: &rng)
        conv2 = Conv2d(inputChannels: 8, outputChannels: 4, kernelSize: 4, stride: 2, padding: 1, rng: &rng)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { conv2(norm(conv1(x)).leakyReLU(0.2)).tanh() }
}

final class EndToEndTests: XCTestCase {
    /// Trains the tiny net for `steps` on a fixed input and target; returns the losses and final state.
    func fit(seed: UInt64, steps: Int) -> (losses: [Float], state: [[Float]]) {
        var rng = RandomGenerator(seed: seed)
        let net = TinyNet(rng: &rng)
        let x = Tensor(randomNormal: [4, 3, 8, 8], rng: &rng)
        let target = Tensor(randomNormal: [4, 4, 4, 4], std: 0.3, rng: &rng)
        let adam = Adam(parameters: net.namedParameters(), learningRate: 0.01, beta1: 0.9)
        var losses: [Float] = []
        for _ in 0..<steps {
            adam.zeroGrad()
            let loss = net(x).mseLoss(target)
            losses.append(loss.item)
            loss.backward()
            adam.update()
        }
        return (losses, net.namedState().map(\.tensor.scalars))
    }

    func testSmallConvNetFitsAFixedTarget() {
        let (losses, _) = fit(seed: 7, steps: 150)
        XCTAssertGreaterThan(losses[0], 0.08, "the target starts far away")
        XCTAssertLessThan(losses.last!, 0.005, "after 150 Adam steps the net fits the target")
    }

    func testSameSeedGivesBitIdenticalParameters() {
        let a = fit(seed: 11, steps: 20), b = fit(seed: 11, steps: 20), c = fit(seed: 12, steps: 20)
        XCTAssertEqual(a.state, b.state)
        XCTAssertEqual(a.losses, b.losses)
        XCTAssertNotEqual(a.state, c.state)
    }

    func testParametersAndBuffersAreNamedByPath() {
        var rng = RandomGenerator(seed: 1)
        let net = TinyNet(rng: &rng)
        XCTAssertEqual(net.namedParameters().map(\.name),
                       ["conv1.weight", "conv1.bias", "norm.gamma", "norm.beta", "conv2.weight", "conv2.bias"])
        XCTAssertEqual(net.namedState().count, 8)
        XCTAssertEqual(net.parameterCount, 8 * 3 * 9 + 8 + 8 + 8 + 4 * 8 * 16 + 4)
    }
}
