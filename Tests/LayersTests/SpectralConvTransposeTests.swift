import Engine
import XCTest
@testable import Layers

/// A spectrally normalised transposed convolution, as FastGAN's generator starts from a latent.
final class SpectralConvTransposeTests: XCTestCase {
    /// On a 1×1 input the layer is the matrix [input, output·k·k]; once the power iteration has
    /// converged, its largest singular value (found here in Float64) is 1, so no latent is amplified.
    func testGainOnALatentIsOne() {
        var rng = RandomGenerator(seed: 21)
        let layer = ConvTranspose2d(inputChannels: 5, outputChannels: 3, kernelSize: 4, bias: false, spectralNorm: true, rng: &rng)
        let z = Tensor(randomNormal: [2, 5, 1, 1], rng: &rng)
        withoutGradients { for _ in 0..<40 { _ = layer(z) } }
        layer.train(false)
        let w = layer.appliedWeight().scalars.map(Double.init)
        let (rows, columns) = (5, 48)
        var v = [Double](repeating: 1, count: columns)
        var sigma = 0.0
        for _ in 0..<200 {
            let u = (0..<rows).map { r in (0..<columns).reduce(0) { $0 + w[r * columns + $1] * v[$1] } }
            let next = (0..<columns).map { c in (0..<rows).reduce(0) { $0 + w[$1 * columns + c] * u[$1] } }
            let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
            sigma = norm.squareRoot()
            v = next.map { $0 / norm }
        }
        XCTAssertEqual(sigma, 1, accuracy: 1e-3)
        let y = withoutGradients { layer(z) }
        for n in 0..<2 {
            let inNorm = z.scalars[(n * 5)..<((n + 1) * 5)].reduce(0) { $0 + $1 * $1 }.squareRoot()
            let outNorm = y.scalars[(n * 48)..<((n + 1) * 48)].reduce(0) { $0 + $1 * $1 }.squareRoot()
            XCTAssertLessThanOrEqual(outNorm, inNorm * 1.001)
        }
    }

    /// The inference path that folds batch norm into the weight uses the normalised weight too.
    func testFoldedBatchNormMatchesTheLayerByLayerPath() {
        var rng = RandomGenerator(seed: 22)
        let layer = ConvTranspose2d(inputChannels: 4, outputChannels: 6, kernelSize: 4, stride: 2, padding: 1, bias: false,
                                    spectralNorm: true, rng: &rng)
        let norm = BatchNorm2d(channels: 6, gammaStd: 0.3, rng: &rng)
        withoutGradients { for _ in 0..<3 { _ = norm(layer(Tensor(randomNormal: [4, 4, 3, 3], std: 2, rng: &rng))) } }
        layer.train(false)
        norm.train(false)
        let x = Tensor(randomNormal: [2, 4, 3, 3], rng: &rng)
        let (folded, layered) = withoutGradients { (layer(x, normalizedBy: norm, activation: .relu), norm(layer(x), activation: .relu)) }
        XCTAssertEqual(folded.shape, [2, 6, 6, 6])
        XCTAssertLessThan(zip(folded.scalars, layered.scalars).map { abs($0 - $1) }.max()!, 1e-5)
        XCTAssertGreaterThan(layered.scalars.max()!, 0.1, "pictures, not zeros")
    }
}
