import CGEMM
import CVectorMath
import XCTest
@testable import Engine

/// Winograd's transposed convolution against the definition: its transform matrices against a plain
/// correlation, and the whole layer against the Float64 reference (References.swift), entry by entry
/// within a bound scaled by the entry's magnitude (the reference run on |x| and |w|).
final class WinogradConvolutionTests: XCTestCase {
    /// Aᵀ[(G g) ⊙ (Bᵀ d)] is the correlation y_j = d_j g_0 + d_(j+1) g_1, for both tile sizes.
    func testTransformsMakeTheCorrelation() {
        var rng = RandomGenerator(seed: 5)
        for m in [2, 4] {
            let alpha = m + 1
            var (bt, g, at) = ([Float](repeating: 0, count: alpha * alpha), [Float](repeating: 0, count: alpha * 2),
                               [Float](repeating: 0, count: m * alpha))
            neurossia_winograd_matrices(Int32(m), &bt, &g, &at)
            for _ in 0..<20 {
                let d = (0..<alpha).map { _ in Double(rng.normal()) }, taps = (0..<2).map { _ in Double(rng.normal()) }
                let products = (0..<alpha).map { i in
                    (0..<2).reduce(0.0) { $0 + Double(g[i * 2 + $1]) * taps[$1] }
                        * (0..<alpha).reduce(0.0) { $0 + Double(bt[i * alpha + $1]) * d[$1] }
                }
                for j in 0..<m {
                    let y = (0..<alpha).reduce(0.0) { $0 + Double(at[j * alpha + $1]) * products[$1] }
                    XCTAssertEqual(y, d[j] * taps[0] + d[j + 1] * taps[1], accuracy: 1e-5, "F(\(m), 2) output \(j)")
                }
            }
        }
    }

    /// The layer against the Float64 definition, each entry within 2e-5 of its magnitude reference.
    func compare(n: Int, cin: Int, cout: Int, h: Int, w: Int, activation: Activation, file: StaticString = #filePath, line: UInt = #line) {
        let x = random([n, cin, h, w], seed: 11), weight = random([cin, cout, 4, 4], seed: 12, scale: 0.2)
        let bias = random([cout], seed: 13)
        let out = winogradConvTranspose2d(x, weight, bias: bias.data, activation: activation).scalars
        XCTAssertEqual(out.count, n * cout * 4 * h * w, file: file, line: line)
        let worst = Reference.upsamplingError(out, x: x, weight: weight, bias: bias, activation: activation)
        XCTAssertLessThan(worst, 2e-5, "\(n)×\(cin)×\(h)×\(w) → \(cout): worst error over magnitude", file: file, line: line)
    }

    /// In bf16 (U kept rounded, V made rounded) a product moves by 2⁻⁷ of itself, as
    /// in a direct bf16 GEMM, but U and V sum taps and patch pixels through G and Bᵀ and Aᵀ sums the
    /// products with coefficients up to 8 (F(4×4, 2×2)'s point ½), so an output moves by more of its
    /// magnitude reference than a direct product's bf16ProductBound: 6× at worst here for F(4×4) and 11×
    /// in ConvolutionReferenceTests, under 1× for F(2×2). `bf16Growth` leaves room for other data and
    /// still fails a wrong tile, phase or offset (an error of the output's own size, 128 bounds).
    func testBF16ProductsStayWithinTheirGrownBound() throws {
        try skipWithoutBF16()
        for (h, w, m) in [(4, 8, 4), (8, 8, 4), (6, 2, 2)] {
            let x = random([2, 24, h, w], seed: 14), weight = random([24, 20, 4, 4], seed: 15, scale: 0.2)
            let bias = random([20], seed: 16)
            withBackend(.oneDNNBF16) {
                XCTAssertEqual(Winograd.tile(height: h, width: w, inputs: 24, outputs: 20, keeping: true), m)
                let out = winogradConvTranspose2d(x, weight, bias: bias.data, activation: .relu).scalars
                let worst = Reference.upsamplingError(out, x: x, weight: weight, bias: bias, activation: .relu)
                print(String(format: "bf16 Winograd F(%d×%d, 2×2): worst error %.2f direct bf16 bounds", m, m, worst / bf16ProductBound))
                XCTAssertLessThan(worst, Winograd.bf16Growth * bf16ProductBound, "F(\(m)×\(m), 2×2) over \(h)×\(w) in bf16")
                XCTAssertGreaterThan(worst, 1e-4, "bf16 did not run")
            }
        }
    }

    /// V made straight in bf16 is V made in float32 then rounded as the GEMMs would round it, bit for
    /// bit, for both tile sizes, a channel count that is not a multiple of 16, and values that round
    /// specially (denormals, NaN, infinity, halfway cases).
    func testInputTransformInBF16IsTheRoundedFloatTransform() {
        var rng = RandomGenerator(seed: 17)
        let channels = 21
        for m in [2, 4] {
            let alpha = m + 1
            var d = (0..<(alpha * alpha * channels)).map { _ in rng.normal() * 3 }
            (d[4], d[30], d[31], d[50]) = (Float.leastNonzeroMagnitude * 3, .nan, .infinity, Float(bitPattern: 0x3F80_8000))
            var floats = [Float](repeating: 0, count: alpha * alpha * channels)
            var halves = [UInt16](repeating: 0, count: alpha * alpha * channels)
            neurossia_winograd_input(Int32(m), d, alpha * channels, channels, channels, &floats, channels)
            neurossia_winograd_input_bf16(Int32(m), d, alpha * channels, channels, channels, &halves, channels)
            XCTAssertEqual(halves, floats.map(neurossia_to_bf16_scalar), "F(\(m)×\(m), 2×2)")
        }
    }

    func testFourByFourTilesMatchTheDefinition() {
        compare(n: 3, cin: 16, cout: 24, h: 4, w: 8, activation: .identity)
        compare(n: 2, cin: 33, cout: 16, h: 8, w: 8, activation: .relu)
        compare(n: 1, cin: 16, cout: 19, h: 4, w: 12, activation: .tanh)   // 16 channels at a time, and the rest
        compare(n: 2, cin: 20, cout: 27, h: 4, w: 4, activation: .leakyReLU(0.2))   // 16, then 8, then the rest
    }

    func testTwoByTwoTilesMatchTheDefinition() {
        compare(n: 2, cin: 17, cout: 20, h: 6, w: 2, activation: .tanh)
        compare(n: 1, cin: 16, cout: 16, h: 2, w: 10, activation: .leakyReLU(0.2))
    }

    /// Tiles cut into many short runs (units of work split across the cores, the last one short) give
    /// the same pictures.
    func testShortRunsGiveTheSameOutput() {
        let before = (Winograd.unitBytes, Winograd.shortestRun)
        defer { (Winograd.unitBytes, Winograd.shortestRun) = before }
        (Winograd.unitBytes, Winograd.shortestRun) = (1, 4)
        compare(n: 5, cin: 16, cout: 16, h: 4, w: 12, activation: .relu)
    }

    /// Which layers take Winograd: DCGAN's and fastgan-lite's upsampling layers (DCGAN-128's 1024 → 512
    /// too, its transform made for every call), not the RGB layer (3 channels out), not another kernel size.
    func testWinogradTakesTheWideUpsamplingLayers() {
        func runs(_ cin: Int, _ cout: Int, _ size: Int, kernel: Int = 4) -> Bool {
            Winograd.runs(channels: cin, outChannels: cout, height: size, width: size, kernel: kernel, stride: 2, padding: 1)
        }
        XCTAssertTrue(runs(512, 256, 4))
        XCTAssertTrue(runs(128, 64, 16))
        XCTAssertTrue(runs(32, 16, 32))
        XCTAssertFalse(runs(64, 3, 32))
        XCTAssertFalse(runs(64, 32, 16, kernel: 3))
        XCTAssertTrue(runs(1024, 512, 4))
    }

    /// F(4×4, 2×2) where a layer's weights are transformed once for many batches or its grid holds more than
    /// one tile; on a 4×4 grid whose weights are transformed for every call (training, or too large to keep:
    /// DCGAN-128's 1024 → 512, 210 MB for F(4×4)) F(2×2), in groups of output channels; against the
    /// Float64 definition, inside the keeping scope too.
    func testWeightsTooLargeToKeepAreTransformedForEveryCallInGroups() {
        XCTAssertEqual(Winograd.tile(height: 4, width: 4, inputs: 1024, outputs: 512, keeping: true), 2)
        XCTAssertEqual(Winograd.tile(height: 4, width: 4, inputs: 512, outputs: 256, keeping: true), 4)
        XCTAssertEqual(Winograd.tile(height: 4, width: 4, inputs: 512, outputs: 256, keeping: false), 2)
        XCTAssertEqual(Winograd.tile(height: 8, width: 4, inputs: 1024, outputs: 512, keeping: false), 4)
        XCTAssertEqual(Winograd.tile(height: 6, width: 8, inputs: 16, outputs: 16, keeping: true), 2)
        XCTAssertGreaterThan(Winograd.outputGroups(inputs: 1024, outputs: 512, tile: 2, keeping: true).count, 1)
        let before = (Winograd.largestTransform, Winograd.largestTrainingTransform)
        defer { (Winograd.largestTransform, Winograd.largestTrainingTransform) = before }
        (Winograd.largestTransform, Winograd.largestTrainingTransform) = (1, 1)
        XCTAssertEqual(Winograd.tile(height: 4, width: 4, inputs: 16, outputs: 40, keeping: true), 2)
        XCTAssertEqual(Winograd.outputGroups(inputs: 16, outputs: 40, tile: 2, keeping: true), [0..<16, 16..<32, 32..<40])
        compare(n: 3, cin: 16, cout: 40, h: 4, w: 4, activation: .relu)
        Winograd.keepingTransformedWeights { compare(n: 2, cin: 20, cout: 33, h: 4, w: 4, activation: .tanh) }
    }

    /// Inference in float32 under `auto` takes Winograd for these layers: with another algorithm chosen, the
    /// same call runs the other kernels (the numbers differ in rounding only). A training call takes it too,
    /// in runs that end with the batch's tiles.
    func testInferenceAndTrainingCallsRunWinogradUnderAuto() {
        let x = random([2, 32, 8, 8], seed: 21), weight = random([32, 16, 4, 4], seed: 22, scale: 0.2)
        let winograd = winogradConvTranspose2d(x, weight, bias: nil, activation: .relu).scalars
        XCTAssertEqual(withoutGradients { convTranspose2d(x, weight, stride: 2, padding: 1, activation: .relu) }.scalars, winograd)
        let im2col = withConvolution(.im2col) { withoutGradients { convTranspose2d(x, weight, stride: 2, padding: 1, activation: .relu) }.scalars }
        XCTAssertNotEqual(im2col, winograd)
        for (a, b) in zip(im2col, winograd) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        let weights = Tensor(weight.scalars, shape: weight.shape, requiresGrad: true)
        let training = Tensor(zeros: [2, 16, 16, 16])
        winogradConvTranspose2d(x.data, x.shape, weight.data, outChannels: 16, bias: nil, activation: .relu, into: training.data,
                                batchIndependent: false)
        XCTAssertEqual(withConvolution(.auto) { convTranspose2d(x, weights, stride: 2, padding: 1, activation: .relu).scalars }, training.scalars)
    }

    /// The strided layer (`winogradConv2d`) against the Float64 definition, each entry within 2e-5 of its
    /// magnitude reference: F(4×4) and F(2×2) grids, channel counts off the 16-lane blocks, several runs and
    /// groups of output channels.
    func testStridedLayerMatchesTheDefinition() {
        let before = (Winograd.unitBytes, Winograd.shortestRun, Winograd.largestTrainingTransform)
        defer { (Winograd.unitBytes, Winograd.shortestRun, Winograd.largestTrainingTransform) = before }
        for (n, c, o, h, w, runs) in [(3, 24, 32, 16, 16, false), (2, 20, 18, 12, 8, false), (5, 16, 40, 8, 16, true)] {
            if runs { (Winograd.unitBytes, Winograd.shortestRun, Winograd.largestTrainingTransform) = (1, 2, 1) }
            let x = random([n, c, h, w], seed: 51), weight = random([o, c, 4, 4], seed: 52, scale: 0.2), bias = random([o], seed: 53)
            for activation in [Activation.identity, .leakyReLU(0.2), .tanh] {
                let out = Tensor(zeros: [n, o, h / 2, w / 2])
                winogradConv2d(x.data, x.shape, weight.data, outChannels: o, bias: bias.data, activation: activation, into: out.data)
                XCTAssertLessThan(Reference.downsamplingError(out.scalars, x: x, weight: weight, bias: bias, activation: activation), 2e-5,
                                  "\(n)×\(c)×\(h)×\(w) → \(o), \(activation)")
            }
        }
    }

    /// A training call's transposed layer in groups of 16 output channels (each its own transform) and in
    /// runs that end with the batch's tiles, against the Float64 definition; groups are never made for kept
    /// transforms (inference).
    func testTrainingCallsInGroupsOfOutputChannels() {
        let before = Winograd.largestTrainingTransform
        defer { Winograd.largestTrainingTransform = before }
        Winograd.largestTrainingTransform = 1
        XCTAssertEqual(Winograd.outputGroups(inputs: 16, outputs: 40, tile: 4, keeping: false), [0..<16, 16..<32, 32..<40])
        XCTAssertEqual(Winograd.outputGroups(inputs: 16, outputs: 40, tile: 4, keeping: true), [0..<40])
        let x = random([3, 16, 8, 12], seed: 61), weight = random([16, 40, 4, 4], seed: 62, scale: 0.2), bias = random([40], seed: 63)
        let out = Tensor(zeros: [3, 40, 16, 24])
        winogradConvTranspose2d(x.data, x.shape, weight.data, outChannels: 40, bias: bias.data, activation: .relu, into: out.data,
                                batchIndependent: false)
        XCTAssertLessThan(Reference.upsamplingError(out.scalars, x: x, weight: weight, bias: bias, activation: .relu), 2e-5)
    }

    /// In float32 training all four passes that map through a 4×4 stride-2 layer's weights run by Winograd:
    /// the forward passes of the convolution and its transposed layer (with bias and activation), and each
    /// one's input gradient (the other's layer of dy), added into where x feeds the layer twice; whichever
    /// way, im2col or direct, runs the weight gradients (each forced here as in `auto`'s trials): every one
    /// against the Float64 definition, the weight gradients the way's own bits. In bf16 training none does.
    func testTrainingTakesWinogradForTheFourMappingPasses() {
        let weight = random([32, 24, 4, 4], seed: 42, scale: 0.2)
        let small = random([3, 32, 8, 8], seed: 41), large = random([3, 24, 16, 16], seed: 43)
        let (bias24, bias32) = (random([24], seed: 44), random([32], seed: 45))
        let activation = Activation.leakyReLU(0.2)
        let before = ConvolutionTuning.trialling
        defer { ConvolutionTuning.trialling = before }
        /// The op on a copy of x (a leaf) and of the weight, forward and then backward from dy, once or twice.
        func run(_ op: (Tensor, Tensor) -> Tensor, _ x: Tensor, dy: Tensor, twice: Bool = false) -> (out: [Float], dx: [Float], dweight: [Float]) {
            let input = Tensor(x.scalars, shape: x.shape, requiresGrad: true)
            let kernel = Tensor(weight.scalars, shape: weight.shape, requiresGrad: true)
            let out = twice ? op(input, kernel) + op(input, kernel) : op(input, kernel)
            out.backward(gradient: dy)
            return (out.scalars, input.grad!, kernel.grad!)
        }
        let up = { (x: Tensor, w: Tensor) in convTranspose2d(x, w, stride: 2, padding: 1) }
        let down = { (x: Tensor, w: Tensor) in conv2d(x, w, stride: 2, padding: 1) }
        for way in [ConvolutionAlgorithm.im2col, .direct] {
            ConvolutionTuning.trialling = true
            let (upOut, downOut, upPass, downPass, upTwice, downTwice) = withConvolution(way) {
                (run({ convTranspose2d($0, $1, bias: bias24, stride: 2, padding: 1, activation: activation) }, small, dy: large).out,
                 run({ conv2d($0, $1, bias: bias32, stride: 2, padding: 1, activation: activation) }, large, dy: small).out,
                 run(up, small, dy: large), run(down, large, dy: small), run(up, small, dy: large, twice: true), run(down, large, dy: small, twice: true))
            }
            ConvolutionTuning.trialling = false
            XCTAssertLessThan(Reference.upsamplingError(upOut, x: small, weight: weight, bias: bias24, activation: activation), 2e-5,
                              "\(way) up, with bias and activation")
            XCTAssertLessThan(Reference.downsamplingError(downOut, x: large, weight: weight, bias: bias32, activation: activation), 2e-5,
                              "\(way) down, with bias and activation")
            XCTAssertLessThan(Reference.downsamplingError(upPass.dx, x: large, weight: weight, bias: nil, activation: .identity), 2e-5,
                              "\(way) up's dx")
            XCTAssertLessThan(Reference.upsamplingError(downPass.dx, x: small, weight: weight, bias: nil, activation: .identity), 2e-5,
                              "\(way) down's dx")
            XCTAssertLessThan(Reference.downsamplingError(upTwice.dx.map { $0 / 2 }, x: large, weight: weight, bias: nil, activation: .identity),
                              2e-5, "\(way) up's dx added into")
            XCTAssertLessThan(Reference.upsamplingError(downTwice.dx.map { $0 / 2 }, x: small, weight: weight, bias: nil, activation: .identity),
                              2e-5, "\(way) down's dx added into")
            // Without the trial's flag the forced way runs every pass itself: the same weight gradients, another dx.
            let (upAlone, downAlone) = withConvolution(way) { (run(up, small, dy: large), run(down, large, dy: small)) }
            XCTAssertNotEqual(upAlone.out, upPass.out, "\(way) up's output")
            XCTAssertNotEqual(downAlone.out, downPass.out, "\(way) down's output")
            XCTAssertEqual(upAlone.dweight, upPass.dweight, "\(way) up's dweight")
            XCTAssertEqual(downAlone.dweight, downPass.dweight, "\(way) down's dweight")
            XCTAssertNotEqual(upAlone.dx, upPass.dx, "\(way) up's dx")
            XCTAssertNotEqual(downAlone.dx, downPass.dx, "\(way) down's dx")
        }
        XCTAssertTrue(Winograd.runs(channels: 32, outChannels: 24, height: 8, width: 8, kernel: 4, stride: 2, padding: 1, training: true))
        withBackend(.oneDNNBF16) {
            XCTAssertFalse(Winograd.runs(channels: 32, outChannels: 24, height: 8, width: 8, kernel: 4, stride: 2, padding: 1, training: true))
            XCTAssertTrue(Winograd.runs(channels: 32, outChannels: 24, height: 8, width: 8, kernel: 4, stride: 2, padding: 1))
        }
    }

    /// Within `keepingTransformedWeights`, weights seen before (by value) reuse their transform; any
    /// change to a value makes a new one, the output always that of the weights given; outside the
    /// scope, or over the byte limit, nothing is kept.
    func testTransformedWeightsAreKeptByValueWithinTheScope() {
        let x = random([2, 16, 4, 4], seed: 31), weight = random([16, 24, 4, 4], seed: 32, scale: 0.2)
        func transformed() -> Storage { Winograd.transformedWeights(weight.data, inputs: 16, outputs: 24, tile: 4, keeping: true).buffer }
        let inScope = Winograd.keepingTransformedWeights { () -> [Float] in
            let first = transformed()
            _ = winogradConvTranspose2d(x, weight, bias: nil, activation: .identity)
            XCTAssertTrue(transformed() === first, "the same values find their transform")
            XCTAssertFalse(Winograd.transformedWeights(weight.data, inputs: 16, outputs: 24, tile: 4, keeping: false).buffer === first,
                           "a training call's transform is its own")
            weight.data[37] += 0.5
            XCTAssertFalse(transformed() === first, "a changed value makes a new transform")
            return winogradConvTranspose2d(x, weight, bias: nil, activation: .identity).scalars
        }
        XCTAssertEqual(inScope, winogradConvTranspose2d(x, weight, bias: nil, activation: .identity).scalars,
                       "the output of the weights given, as without keeping")
        XCTAssertFalse(transformed() === transformed(), "nothing kept outside the scope")
        let before = Winograd.keptBytes
        defer { Winograd.keptBytes = before }
        Winograd.keptBytes = 1000
        Winograd.keepingTransformedWeights { XCTAssertFalse(transformed() === transformed(), "nothing kept over the limit") }
    }
}

extension Winograd {
    /// How many direct bf16 product bounds a Winograd output may move in bf16 (see
    /// `testBF16ProductsStayWithinTheirGrownBound`).
    static let bf16Growth = 32.0
}
