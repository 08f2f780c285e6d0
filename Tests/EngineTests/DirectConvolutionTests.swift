import CGEMM
import XCTest
@testable import Engine

/// oneDNN's direct kernels against im2col + GEMM on the same layer: output, dx, dweight and dbias, entry by
/// entry within fp32 summation error of the entry's magnitudes (computed by running the layer on |x|,
/// |weight|, |dy|, so activations here are piecewise linear). im2col itself is checked against Float64
/// references in OpGradientTests.
final class DirectConvolutionTests: XCTestCase {
    struct Pass {
        let out: [Float], dx: [Float], dweight: [Float], dbias: [Float]
    }

    /// Forward and backward of `op` on copies of the operands; x feeds `op` twice when `twice`, so its
    /// gradient is added into, not written.
    func pass(_ x: Tensor, _ weight: Tensor, _ bias: Tensor, _ dy: Tensor, _ algorithm: ConvolutionAlgorithm, twice: Bool = false,
              op: (Tensor, Tensor, Tensor) -> Tensor) -> Pass {
        var result: Pass?
        withConvolution(algorithm) {
            let x = Tensor(x.scalars, shape: x.shape, requiresGrad: true)
            let weight = Tensor(weight.scalars, shape: weight.shape, requiresGrad: true)
            let bias = Tensor(bias.scalars, shape: bias.shape, requiresGrad: true)
            let out = twice ? op(x, weight, bias) + op(x, weight, bias) : op(x, weight, bias)
            out.backward(gradient: dy)
            result = Pass(out: out.scalars, dx: x.grad!, dweight: weight.grad!, dbias: bias.grad!)
        }
        return result!
    }

    func check(x: Tensor, weight: Tensor, channels: Int, reduction: Int, twice: Bool = false,
               direct: @autoclosure () -> DirectConvolution?, op: @escaping (Tensor, Tensor, Tensor) -> Tensor) {
        withConvolution(.direct) { XCTAssertNotNil(direct(), "oneDNN offers no JIT kernel for this shape, so nothing direct ran") }
        let bias = random([channels], seed: 81)
        let dy = random(op(x, weight, bias).shape, seed: 82)
        let magnitude = { (t: Tensor) in Tensor(t.scalars.map { Swift.abs($0) }, shape: t.shape) }
        let directPass = pass(x, weight, bias, dy, .direct, twice: twice, op: op)
        let im2col = pass(x, weight, bias, dy, .im2col, twice: twice, op: op)
        let size = pass(magnitude(x), magnitude(weight), magnitude(bias), magnitude(dy), .im2col, twice: twice, op: op)
        let allowed = 2 * fp32SumBound(reduction)
        for (name, a, b, m) in [("output", directPass.out, im2col.out, size.out), ("dx", directPass.dx, im2col.dx, size.dx),
                                ("dweight", directPass.dweight, im2col.dweight, size.dweight),
                                ("dbias", directPass.dbias, im2col.dbias, size.dbias)] {
            XCTAssertEqual(a.count, b.count)
            let worst = zip(zip(a, b), m).map { pair, s in Swift.abs(Double(pair.0) - Double(pair.1)) / (allowed * Double(s) + 1e-30) }.max()!
            XCTAssertLessThanOrEqual(worst, 1, "\(name): direct differs from im2col by more than fp32 summation error")
        }
    }

    func testStridedConv2dMatchesIm2col() {
        // Five images: the two cores' shares (2 and 3) run different primitives.
        let x = random([5, 16, 12, 12], seed: 83), weight = random([32, 16, 4, 4], seed: 84, scale: 0.1)
        check(x: x, weight: weight, channels: 32, reduction: 5 * 6 * 6 * 16,
              direct: DirectConvolution(batch: 5, channels: 16, height: 12, width: 12, outChannels: 32, kernel: 4, stride: 2, padding: 1, training: true)) {
            conv2d($0, $1, bias: $2, stride: 2, padding: 1, activation: .leakyReLU(0.2))
        }
    }

    func testSameSizeConv2dWithAddedGradientMatchesIm2col() {
        let x = random([4, 24, 10, 10], seed: 85), weight = random([16, 24, 3, 3], seed: 86, scale: 0.1)
        check(x: x, weight: weight, channels: 16, reduction: 2 * 4 * 10 * 10 * 24, twice: true,
              direct: DirectConvolution(batch: 4, channels: 24, height: 10, width: 10, outChannels: 16, kernel: 3, stride: 1, padding: 1, training: true)) {
            conv2d($0, $1, bias: $2, padding: 1)
        }
    }

    func testTransposedConvolutionMatchesIm2col() {
        let x = random([3, 32, 6, 6], seed: 87), weight = random([32, 16, 4, 4], seed: 88, scale: 0.1)
        // Its adjoint convolution: 16 channels at 12 × 12 down to 32 at 6 × 6.
        check(x: x, weight: weight, channels: 16, reduction: 3 * 12 * 12 * 32, twice: true,
              direct: DirectConvolution(batch: 3, channels: 16, height: 12, width: 12, outChannels: 32, kernel: 4, stride: 2, padding: 1, training: true)) {
            convTranspose2d($0, $1, bias: $2, stride: 2, padding: 1, activation: .relu)
        }
    }

    func testImagesInGroupsMatchIm2col() {
        let before = DirectConvolution.workspaceBytes
        DirectConvolution.workspaceBytes = 2 * 4 * (16 * 12 * 12 + 32 * 6 * 6)  // two images a call: groups of 2 and a remainder
        defer { DirectConvolution.workspaceBytes = before }
        var direct: DirectConvolution?
        withConvolution(.direct) {
            direct = DirectConvolution(batch: 5, channels: 16, height: 12, width: 12, outChannels: 32, kernel: 4, stride: 2, padding: 1, training: true)
        }
        XCTAssertEqual(direct?.group, 2)
        let x = random([5, 16, 12, 12], seed: 93), weight = random([32, 16, 4, 4], seed: 94, scale: 0.1)
        check(x: x, weight: weight, channels: 32, reduction: 5 * 6 * 6 * 16, twice: true, direct: direct) {
            conv2d($0, $1, bias: $2, stride: 2, padding: 1)
        }
        let xt = random([5, 32, 6, 6], seed: 95), weightT = random([32, 16, 4, 4], seed: 96, scale: 0.1)
        check(x: xt, weight: weightT, channels: 16, reduction: 5 * 12 * 12 * 32, twice: true, direct: direct) {
            convTranspose2d($0, $1, bias: $2, stride: 2, padding: 1)
        }
    }

    /// With both gradients wanted and x kept, a layer's two backward passes run group by group from one
    /// conversion of its output gradient (`neurossia_conv_weights_and_map`): the same bits as each pass on
    /// its own (the weight frozen for dx, x a constant for dweight), in float32 and bfloat16, plain and
    /// transposed, written and added, in groups and a remainder. The layouts really are shared here, so
    /// the tests above check that path against im2col.
    func testBothBackwardPassesFromOneConversionGiveEachPassAlonesBits() throws {
        let before = DirectConvolution.workspaceBytes
        DirectConvolution.workspaceBytes = 2 * 4 * (16 * 12 * 12 + 32 * 6 * 6)  // two images a call: groups of 2 and a remainder
        defer { DirectConvolution.workspaceBytes = before }
        let x = random([5, 16, 12, 12], seed: 121), weight = random([32, 16, 4, 4], seed: 122, scale: 0.1)
        let xt = random([5, 32, 6, 6], seed: 123)
        let layers: [(name: String, x: Tensor, op: (Tensor, Tensor) -> Tensor)] = [
            ("conv2d", x, { conv2d($0, $1, stride: 2, padding: 1) }),
            ("convTranspose2d", xt, { convTranspose2d($0, $1, stride: 2, padding: 1) }),
        ]
        for backend in [GEMMBackend.fastestFP32] + (GEMMBackend.cpuHasBF16 ? [.oneDNNBF16] : []) {
            try withBackend(backend) {
                try withConvolution(.direct) {
                    let conv = try XCTUnwrap(DirectConvolution(batch: 5, channels: 16, height: 12, width: 12, outChannels: 32, kernel: 4,
                                                               stride: 2, padding: 1, training: true))
                    for images in [2, 1] {
                        var shape = neurossia_conv_shape(batch: images, channels: 16, height: 12, width: 12, out_channels: 32, kernel: 4,
                                                         stride: 2, padding: 1, bf16: conv.bf16 ? 1 : 0)
                        let primitives = try XCTUnwrap(neurossia_conv_prepare(&shape))
                        for pass in [NEUROSSIA_CONV_FORWARD, NEUROSSIA_CONV_BACKWARD_DATA].map(Int32.init) {
                            XCTAssertEqual(neurossia_conv_shares_input(primitives, pass), 1, "\(backend), \(images) images, pass \(pass)")
                        }
                    }
                    for layer in layers {
                        let dy = random(layer.op(layer.x, weight).shape, seed: 124)
                        for twice in [false, true] {
                            /// dx and dweight of the layer (twice: x feeds it twice, so dx is added into), each when wanted.
                            func gradients(dx wantsDX: Bool, dweight wantsDWeight: Bool) -> (dx: [Float]?, dweight: [Float]?) {
                                let input = Tensor(layer.x.scalars, shape: layer.x.shape, requiresGrad: wantsDX)
                                let kernel = Tensor(weight.scalars, shape: weight.shape, requiresGrad: wantsDWeight)
                                let out = twice ? layer.op(input, kernel) + layer.op(input, kernel) : layer.op(input, kernel)
                                out.backward(gradient: dy)
                                return (input.grad, kernel.grad)
                            }
                            let both = gradients(dx: true, dweight: true)
                            let (dx, dweight) = (gradients(dx: true, dweight: false).dx, gradients(dx: false, dweight: true).dweight)
                            let what = "\(backend) \(layer.name)\(twice ? ", added" : "")"
                            XCTAssertEqual(both.dx?.map(\.bitPattern), dx?.map(\.bitPattern), "dx, \(what)")
                            XCTAssertEqual(both.dweight?.map(\.bitPattern), dweight?.map(\.bitPattern), "dweight, \(what)")
                        }
                    }
                }
            }
        }
    }

    func testAutoTimesBothWaysOnceAndItsTrialsLeaveTheCallAlone() {
        // A shape no other test uses, so its first call here is its first in the process; large enough
        // (38.5 M multiply-adds) to be timed.
        let x = random([8, 32, 28, 28], seed: 89), weight = random([48, 32, 4, 4], seed: 90, scale: 0.1)
        let bias = random([48], seed: 91), dy = random([8, 48, 14, 14], seed: 92)
        let op = { (x: Tensor, w: Tensor, b: Tensor) in conv2d(x, w, bias: b, stride: 2, padding: 1) }
        let tried = { ConvolutionTuning.trials.withLock { $0.keys.filter { $0.convolution.channels == 32 && $0.convolution.height == 28 }.count } }
        XCTAssertEqual(tried(), 0)
        let auto = pass(x, weight, bias, dy, .auto, op: op)
        XCTAssertEqual(tried(), 1, "the first call times both ways")
        let again = pass(x, weight, bias, dy, .auto, op: op)
        XCTAssertEqual(tried(), 1, "later calls reuse the choice")
        XCTAssertEqual(again.dx, auto.dx)
        // The trials' gradients went to their own leaves: the call's are one pass's, either way's, and its dx
        // the transposed layer of dy by Winograd (float32 training under auto).
        let im2col = pass(x, weight, bias, dy, .im2col, op: op), direct = pass(x, weight, bias, dy, .direct, op: op)
        let winograd = Tensor(zeros: x.shape)
        winogradConvTranspose2d(dy.data, dy.shape, weight.data, outChannels: 32, bias: nil, activation: .identity, into: winograd.data,
                                batchIndependent: false)
        XCTAssertEqual(auto.dx, winograd.scalars)
        XCTAssertTrue(auto.dweight == im2col.dweight || auto.dweight == direct.dweight)
        XCTAssertEqual(auto.dbias, im2col.dbias)
    }

    /// A training state records the trials; a new process that adopts them runs each shape the recorded
    /// way without timing it, and a shape it has already timed keeps its own choice.
    func testRecordedTrialsAreAdoptedUntimed() throws {
        let shape = { (batch: Int, channels: Int) in
            ConvolutionTuning.Shape(convolution: withConvolution(.auto) {
                DirectConvolution(batch: batch, channels: channels, height: 24, width: 24, outChannels: 64, kernel: 3, stride: 1,
                                  padding: 1, training: true)!
            }, transposed: false, training: true, inputGradient: true, alternative: .im2col)
        }
        // Shapes no other test uses, each ≥ 4M multiply-adds.
        let (recorded, own) = (shape(6, 40), shape(7, 40))
        ConvolutionTuning.trials.withLock {
            $0[recorded] = .init(direct: 1, alternative: 2)
            $0[own] = .init(direct: 2, alternative: 1)
        }
        let record = ConvolutionTuning.record
        ConvolutionTuning.trials.withLock {
            $0[recorded] = nil
            $0[own] = .init(direct: 1, alternative: 2)
        }
        try ConvolutionTuning.adopt(record)
        let runsDirect = { (shape: ConvolutionTuning.Shape) in
            withConvolution(.auto) { ConvolutionTuning.runsDirect(shape) { XCTFail("timed again") } }
        }
        XCTAssertTrue(runsDirect(recorded), "as recorded")
        XCTAssertTrue(runsDirect(own), "timed in this process before the record came: its own choice")
        XCTAssertThrowsError(try ConvolutionTuning.adopt("{\"direct\": 1}"))
        ConvolutionTuning.trials.withLock { $0[recorded] = nil; $0[own] = nil }
    }

    func testAutoInferenceFollowsTheChannelRuleUntimed() {
        // Shapes no other test uses; 38 M and 28 M multiply-adds, large enough to be timed in training.
        let wide = random([8, 16, 48, 48], seed: 101), narrow = random([8, 3, 96, 96], seed: 102)
        let (wideWeight, narrowWeight) = (random([32, 16, 4, 4], seed: 103), random([64, 3, 4, 4], seed: 104))
        let before = ConvolutionTuning.trials.withLock { $0.count }
        withConvolution(.auto) {
            withoutGradients {
                let direct = withConvolution(.direct) { conv2d(wide, wideWeight, stride: 2, padding: 1).scalars }
                XCTAssertTrue(conv2d(wide, wideWeight, stride: 2, padding: 1).scalars == direct, "16 channels in: direct")
                let im2col = withConvolution(.im2col) { conv2d(narrow, narrowWeight, stride: 2, padding: 1).scalars }
                XCTAssertTrue(conv2d(narrow, narrowWeight, stride: 2, padding: 1).scalars == im2col, "3 channels in: im2col")
            }
        }
        XCTAssertEqual(ConvolutionTuning.trials.withLock { $0.count }, before, "nothing timed")
    }

    func testAutoInferenceTakesIm2colForTransposedLayersFromFewPixels() {
        let weight = random([64, 32, 4, 4], seed: 105)
        let before = ConvolutionTuning.trials.withLock { $0.count }
        withConvolution(.auto) {
            withoutGradients {
                // Stride 1, so neither Winograd nor the narrow kernel takes them: the rule decides.
                for (side, expected) in [(4, ConvolutionAlgorithm.im2col), (5, .direct)] {
                    let x = random([4, 64, side, side], seed: 106)
                    let (direct, im2col) = (withConvolution(.direct) { convTranspose2d(x, weight).scalars },
                                            withConvolution(.im2col) { convTranspose2d(x, weight).scalars })
                    XCTAssertNotEqual(direct, im2col, "the two ways must differ in bits for the check to tell them apart")
                    XCTAssertTrue(convTranspose2d(x, weight).scalars == (expected == .im2col ? im2col : direct),
                                  "transposed from \(side)×\(side): \(expected)")
                }
            }
        }
        XCTAssertEqual(ConvolutionTuning.trials.withLock { $0.count }, before, "nothing timed")
    }

    /// Training calls too small to time take im2col; in inference the rule decides at every size, so a
    /// picture is made by the same kernels in a batch of one as in a batch of 64.
    func testAutoLeavesSmallTrainingCallsToIm2col() {
        withConvolution(.auto) {
            for training in [true, false] {
                let direct = DirectConvolution(batch: 2, channels: 16, height: 14, width: 14, outChannels: 24, kernel: 4, stride: 2,
                                               padding: 1, training: training)
                XCTAssertEqual(direct == nil, training, "training \(training)")
            }
        }
    }

    func testNarrowLayersMatchIm2col() {
        // FastGAN's toImage: 16 channels to RGB, where oneDNN pads the 3 output channels to a block.
        let x = random([3, 16, 10, 10], seed: 97), weight = random([3, 16, 3, 3], seed: 98, scale: 0.1)
        check(x: x, weight: weight, channels: 3, reduction: 3 * 10 * 10 * 16, twice: true,
              direct: DirectConvolution(batch: 3, channels: 16, height: 10, width: 10, outChannels: 3, kernel: 3, stride: 1, padding: 1, training: true)) {
            conv2d($0, $1, bias: $2, padding: 1, activation: .leakyReLU(0.2))
        }
    }

    /// fastgan-lite's logits layer: one output channel, which oneDNN pads to a block whose padding its
    /// kernels read. With NaN left in pooled buffers of the sizes its packed weights and workspaces take,
    /// the output and gradients must still match im2col's. (The NaN this guards against came and went with
    /// the pool's history: TrainingSessionTests.testResumeIsExact, forced direct with every pooled buffer
    /// filled with NaN, failed 2–3 runs in 8 before the buffers were zeroed and none after.)
    func testPaddedChannelsNeverReadStaleMemory() {
        var shape = neurossia_conv_shape(batch: 2, channels: 128, height: 8, width: 8, out_channels: 1, kernel: 4, stride: 1,
                                         padding: 0, bf16: 0)
        let conv = try! XCTUnwrap(neurossia_conv_prepare(&shape))
        var sizes: [Int] = []
        for pass in [NEUROSSIA_CONV_FORWARD, NEUROSSIA_CONV_BACKWARD_DATA, NEUROSSIA_CONV_BACKWARD_WEIGHTS].map(Int32.init) {
            let both = pass == NEUROSSIA_CONV_BACKWARD_WEIGHTS ? 0 : neurossia_conv_weights_and_map_workspace_bytes(conv, pass)
            for bytes in [neurossia_conv_weights_bytes(conv, pass), neurossia_conv_workspace_bytes(conv, pass), both] where bytes > 4 {
                let floats = (Int(bytes) + 3) / 4
                sizes.append(1 << (Int.bitWidth - (floats - 1).leadingZeroBitCount))
            }
        }
        do {
            let stale = sizes.flatMap { size in (0..<8).map { _ in Tensor(repeating: .nan, shape: [size]) } }
            XCTAssertTrue(stale.allSatisfy { $0.scalars.first!.isNaN })
        }
        let x = random([4, 128, 8, 8], seed: 111), weight = random([1, 128, 4, 4], seed: 112, scale: 0.1)
        check(x: x, weight: weight, channels: 1, reduction: 4 * 5 * 5 * 128 * 16,
              direct: DirectConvolution(batch: 4, channels: 128, height: 8, width: 8, outChannels: 1, kernel: 4, stride: 1, padding: 0,
                                        training: true)) {
            conv2d($0, $1, bias: $2)
        }
    }

    func testPrimitivesAreMadeOncePerShapeWhateverThePaddingBytes() {
        // The C struct has tail padding that Swift never writes: two shapes equal field by field, in
        // memory that held different bytes before, must find the same cached primitives.
        func prepared(garbage: UInt8) -> OpaquePointer? {
            let room = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<neurossia_conv_shape>.stride, alignment: 16)
            defer { room.deallocate() }
            room.initializeMemory(as: UInt8.self, repeating: garbage, count: MemoryLayout<neurossia_conv_shape>.stride)
            let shape = room.bindMemory(to: neurossia_conv_shape.self, capacity: 1)
            (shape.pointee.batch, shape.pointee.channels, shape.pointee.height, shape.pointee.width) = (2, 16, 8, 8)
            (shape.pointee.out_channels, shape.pointee.kernel, shape.pointee.stride, shape.pointee.padding) = (16, 3, 1, 1)
            shape.pointee.bf16 = 0
            return neurossia_conv_prepare(shape)
        }
        let first = prepared(garbage: 0xAB)
        XCTAssertNotNil(first)
        XCTAssertEqual(prepared(garbage: 0xCD), first)
    }

    func testIm2colTakesNoDirectKernels() {
        withConvolution(.im2col) {
            XCTAssertNil(DirectConvolution(batch: 4, channels: 64, height: 16, width: 16, outChannels: 64, kernel: 4, stride: 2, padding: 1, training: true))
        }
    }
}
