import Engine
import XCTest
@testable import Layers

/// A transposed convolution's output of `ConvTranspose2d.remadeOutputValues` or more, read by its batch
/// norm (`callAsFunction(_:normalizedBy:activation:)`), is let go after the norm and made again in
/// backward: less held between forward and backward, and not one bit of the step changed.
final class RemadeOutputTests: XCTestCase {
    /// A three-layer generator stack (latent → 4×4 → 8×8 → 16×16 RGB): after forward, the bytes on loan
    /// and the gradients of a backward from the same loss, with every normalised output remade or none.
    func step(remadeOutputValues: Int) -> (live: Int, gradients: [[UInt32]]) {
        let saved = ConvTranspose2d.remadeOutputValues
        ConvTranspose2d.remadeOutputValues = remadeOutputValues
        defer { ConvTranspose2d.remadeOutputValues = saved }
        var rng = RandomGenerator(seed: 8)
        let layers = [(6, 16, 1, 0), (16, 8, 2, 1), (8, 3, 2, 1)].map { input, output, stride, padding in
            ConvTranspose2d(inputChannels: input, outputChannels: output, kernelSize: 4, stride: stride, padding: padding, bias: false,
                            rng: &rng)
        }
        let norms = [16, 8].map { BatchNorm2d(channels: $0, gammaStd: 0.3, rng: &rng) }
        let z = Tensor(randomNormal: [16, 6, 1, 1], rng: &rng)
        let hidden = zip(layers, norms).reduce(z) { x, pair in pair.0(x, normalizedBy: pair.1, activation: .relu) }
        let images = layers[2](hidden, activation: .tanh)
        BufferPool.shared.restartPeakLive()
        let live = BufferPool.shared.peakLiveBytes
        (images * images).sum().backward()
        let parameters = layers.map(\.weight) + norms.flatMap { [$0.gamma, $0.beta] }
        return (live, parameters.map { $0.grad!.map(\.bitPattern) })
    }

    func testLargeOutputsAreRemadeForTheSameBits() {
        let kept = step(remadeOutputValues: .max), remade = step(remadeOutputValues: 16 * 8 * 8 * 8)
        XCTAssertEqual(remade.gradients, kept.gradients)
        // Under AddressSanitizer every buffer comes from the system allocator and none is counted.
        guard BufferPool.shared.reservedBytes > 0 else { return }
        // Only the 8×8 layer's output (16 × 8 × 8 × 8 floats) reaches the threshold: it is not held, the
        // copy of its weight (16 × 8 × 4 × 4) it is remade with is.
        XCTAssertEqual(kept.live - remade.live, (16 * 8 * 8 * 8 - 16 * 8 * 4 * 4) * 4)
    }
}
