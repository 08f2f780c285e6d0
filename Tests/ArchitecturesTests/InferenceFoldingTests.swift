import Architectures
import Engine
import XCTest

/// In evaluation without a graph, DCGAN's generator folds each batch norm into the transposed
/// convolution before it and applies ReLU/tanh as the output is written; with a graph it runs the
/// layers one by one. Both must give the same pictures: within a few 1e-5 of the [-1, 1] range (an 8-bit
/// level is 7.8e-3), since without a graph the upsampling layers run by Winograd, whose sums round
/// differently from a direct convolution's.
final class InferenceFoldingTests: XCTestCase {
    func testFoldedGeneratorMatchesTheLayerByLayerOne() {
        for resolution in [32, 64] {
            var rng = RandomGenerator(seed: 7)
            let generator = DCGAN.Generator(latent: 16, width: 8, resolution: resolution, rng: &rng)
            // Weights far larger than the initial std 0.02, so the pictures span [-1, 1]; running statistics
            // away from (0, 1): a few training-mode batches move them.
            for (name, tensor) in generator.namedParameters() where name.hasPrefix("layers") {
                for i in 0..<tensor.count { tensor.data[i] *= 15 }
            }
            withoutGradients { for _ in 0..<5 { _ = generator(Tensor(randomNormal: [8, 16], std: 2, rng: &rng)) } }
            generator.train(false)
            let z = Tensor(randomNormal: [6, 16], rng: &rng)
            let folded = withoutGradients { generator(z) }
            let layered = generator(z)
            XCTAssertTrue(layered.requiresGrad, "the reference must take the layer-by-layer path")
            let error = zip(folded.scalars, layered.scalars).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(error, 1e-4, "\(resolution) px")
            XCTAssertGreaterThan(layered.scalars.map(abs).max()!, 0.5, "pictures, not zeros")
        }
    }
}
