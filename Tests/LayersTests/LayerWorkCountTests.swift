@testable import Engine
import XCTest
@testable import Layers

/// `OpClock.layerFLOPs` counts what the layers' shapes define, whichever way they run: benchmarks
/// compare architectures by it (`bench train`'s layer work).
final class LayerWorkCountTests: XCTestCase {
    override func tearDown() {
        OpClock.isOn = false
        super.tearDown()
    }

    /// Multiply-adds counted while `body` runs: run, and from the layers' shapes.
    private func counted(_ body: () -> Void) -> (run: Double, layer: Double) {
        OpClock.reset()
        OpClock.isOn = true
        body()
        OpClock.isOn = false
        return (OpClock.gemmFLOPs / 2, OpClock.layerFLOPs / 2)
    }

    /// An up-block's conv runs as a transposed 4×4 conv of the small image (16 multiply-adds per input
    /// pixel and channel pair) but counts the 3×3 conv of the upsampled image it is (36 per input pixel,
    /// 9 per output pixel), in each of forward, input gradient and weight gradient; a plain conv counts
    /// what it runs. Every way a convolution runs here is tried.
    func testUpsamplingConvCountsTheThreeByThreeConvOfTheUpsampledImage() {
        let before = ConvolutionAlgorithm.current
        defer { ConvolutionAlgorithm.current = before }
        let (n, i, o, h, w) = (2, 8, 16, 6, 5)
        for way in [ConvolutionAlgorithm.im2col, .direct] {
            ConvolutionAlgorithm.current = way
            var rng = RandomGenerator(seed: 5)
            let conv = Conv2d(inputChannels: i, outputChannels: o, kernelSize: 3, padding: 1, bias: false, rng: &rng)
            let x = Tensor(randomNormal: [n, i, h, w], rng: &rng).requiringGrad()
            let definition = Double(3 * n * o * i * 9 * (2 * h) * (2 * w))
            let upsampled = counted { conv.upsampling(x).sum().backward() }
            XCTAssertEqual(upsampled.layer, definition, "\(way)")
            XCTAssertEqual(upsampled.run, definition * 16 / 36, "\(way)")
            let plain = counted { conv(x).sum().backward() }
            XCTAssertEqual(plain.layer, Double(3 * n * o * i * 9 * h * w), "\(way)")
            XCTAssertEqual(plain.layer, plain.run, "\(way)")
        }
    }

    /// Generating, an up-block's conv of 16 channels or more runs by Winograd's minimal filtering, whose
    /// products follow its tiles, not the layer; it counts the same 36 per input pixel and channel pair,
    /// once (forward only), and a transposed 4×4 layer run so counts its own 16.
    func testWinogradCountsTheLayerItComputes() {
        let (n, i, o, h, w) = (2, 16, 32, 8, 8)
        var rng = RandomGenerator(seed: 6)
        let conv = Conv2d(inputChannels: i, outputChannels: o, kernelSize: 3, padding: 1, bias: false, rng: &rng)
        let transposed = ConvTranspose2d(inputChannels: i, outputChannels: o, kernelSize: 4, stride: 2, padding: 1, bias: false, rng: &rng)
        conv.train(false)
        transposed.train(false)
        let x = Tensor(randomNormal: [n, i, h, w], rng: &rng)
        XCTAssertTrue(Winograd.runs(channels: i, outChannels: o, height: h, width: w, kernel: 4, stride: 2, padding: 1))
        for (layer, taps) in [({ conv.upsampling(x) }, 36), ({ transposed(x) }, 16)] as [(() -> Tensor, Int)] {
            let generated = counted { _ = withoutGradients(layer) }
            XCTAssertEqual(generated.layer, Double(n * o * i * taps * h * w), "\(taps) taps")
            // What ran is the products of whole runs of tiles (padded for so small a batch): not the layer's count.
            XCTAssertGreaterThan(generated.run, 0)
        }
    }
}
