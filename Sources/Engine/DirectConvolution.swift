import CGEMM

/// How convolutions run: `auto` times the ways a shape can run on its first call and keeps the fastest
/// (`ConvolutionTuning`); the others force one, for A/B benchmarks (`bench train --convolution`): `narrow`
/// is `NarrowConvolution` where it applies (3×3 to at most four channels) and im2col elsewhere.
public enum ConvolutionAlgorithm: String, CaseIterable, Sendable {
    case auto, direct, im2col, narrow

    /// The process's choice; set before training or generating starts, like `GEMMBackend.current`.
    public nonisolated(unsafe) static var current = ConvolutionAlgorithm.auto

    /// What `auto` measured and chose so far, a line per shape (benchmarks print it).
    public static var choices: [String] { ConvolutionTuning.summary }

    /// The same, as JSON for a training state (`ConvolutionTuning.record`), and taking such a record back
    /// for shapes not yet timed in this process.
    public static var tuningRecord: String { ConvolutionTuning.record }
    public static func adoptTuning(_ record: String) throws { try ConvolutionTuning.adopt(record) }
}

/// oneDNN's direct convolution kernels for a conv2d shape, run per core on that core's images: no
/// columns are made, only each operand reordered into the blocked layout the kernel reads (about one
/// pass over it, where im2col writes k²/s² copies). Transposed convolutions run the same kernels with
/// forward and backward-data swapped. Measured against im2col + GEMM with `bench train --convolution`.
///
/// The convolution: x [N, C, H, W] ⊛ weight [O, C, k, k] → y [N, O, Ho, Wo].
struct DirectConvolution: Hashable, Codable {
    let batch: Int, channels: Int, height: Int, width: Int
    let outChannels: Int, kernel: Int, stride: Int, padding: Int
    let bf16: Bool
    /// Images per kernel call: each core runs its share in groups this large, so the operands reordered
    /// for a call stay near `workspaceBytes` however large the batch and the images.
    let group: Int

    /// Bytes a call's reordered operands may take, about; tests lower it to force several groups.
    nonisolated(unsafe) static var workspaceBytes = 8 << 20

    var outHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    var outWidth: Int { (width + 2 * padding - kernel) / stride + 1 }

    /// nil under im2col and narrow, under auto for training calls too small to time, and where oneDNN lacks
    /// a JIT kernel for a group of images. Inference calls of any size may run direct (`ConvolutionTuning`'s
    /// rule decides): were size to count, a picture would come out of other kernels, and other bytes, in
    /// a smaller batch.
    init?(batch: Int, channels: Int, height: Int, width: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int,
          training: Bool) {
        let outPlane = ((height + 2 * padding - kernel) / stride + 1) * ((width + 2 * padding - kernel) / stride + 1)
        switch ConvolutionAlgorithm.current {
        case .direct: break
        case .auto where !training: break
        case .auto where batch * outChannels * outPlane * channels * kernel * kernel >= ConvolutionTuning.smallestTimed
                      && outChannels * channels * kernel * kernel <= ConvolutionTuning.largestTimedWeights: break
        default: return nil
        }
        (self.batch, self.channels, self.height, self.width) = (batch, channels, height, width)
        (self.outChannels, self.kernel, self.stride, self.padding) = (outChannels, kernel, stride, padding)
        bf16 = GEMMBackend.current == .oneDNNBF16
        // An image's input and output, each reordered once (float32 at most).
        let bytesPerImage = 4 * (channels * height * width + outChannels * outPlane)
        group = max(1, Self.workspaceBytes / max(bytesPerImage, 1))
        for images in callSizes where primitives(images: images) == nil { return nil }
    }

    /// Images per kernel call: each core's share of the batch, as `Parallel.parts` splits it, in groups
    /// and a remainder.
    private var callSizes: Set<Int> {
        let parts = min(Parallel.workers, batch)
        let shares = Set((0..<parts).map { batch * ($0 + 1) / parts - batch * $0 / parts })
        return Set(shares.flatMap { [min($0, group), $0 % group] }.filter { $0 > 0 })
    }

    private func primitives(images: Int) -> OpaquePointer? {
        var shape = neurossia_conv_shape(batch: images, channels: channels, height: height, width: width,
                                         out_channels: outChannels, kernel: kernel, stride: stride, padding: padding,
                                         bf16: bf16 ? 1 : 0)
        return neurossia_conv_prepare(&shape)
    }

    /// The kernels oneDNN chose (forward | backward data | backward weights), for benchmarks.
    var kernels: String { String(cString: neurossia_conv_kernels(primitives(images: min(group, batch / min(Parallel.workers, batch)))!)) }

    /// Multiply-adds of `images` images, for the GEMM share the benchmarks print.
    private func multiplyAdds(_ images: Int) -> Int {
        images * outChannels * outHeight * outWidth * channels * kernel * kernel
    }

    /// Calls `body` on each core for each group of its images, with the group's primitives, the weights
    /// packed for `pass` (when given) and a workspace of `workspaceBytes` (the pass's by default). Packed
    /// weights and workspaces come from the tensor pool, so they are memory only while used. The weights
    /// are packed once per primitive and read by every core: a copy per core held twice the widest layers'
    /// weights (DCGAN-128's 512 → 1024, 32 MB each in float32) at the step's peak. `passes`: how many
    /// passes' multiply-adds a call runs.
    private func perCore(pass: Int32, weight: UnsafePointer<Float>?, passes: Int = 1,
                         workspaceBytes: ((OpaquePointer) -> Int)? = nil,
                         _ body: (_ conv: OpaquePointer, _ core: Int, _ images: Range<Int>, _ packed: UnsafeRawPointer?,
                                  _ workspace: UnsafeMutableRawPointer) -> Void) {
        // A group and the remainder may read differently packed weights: one packing per primitive.
        var packings: [OpaquePointer: Tensor] = [:]
        if let weight {
            for images in callSizes {
                let conv = primitives(images: images)!
                guard packings[conv] == nil else { continue }
                let room = Self.room(bytes: neurossia_conv_weights_bytes(conv, pass), zeroed: padsChannels)
                neurossia_conv_pack_weights(conv, pass, weight, room.data)
                packings[conv] = room
            }
        }
        Parallel.parts(batch) { core, share in
            for start in Swift.stride(from: share.lowerBound, to: share.upperBound, by: group) {
                let images = start..<min(start + group, share.upperBound)
                let conv = primitives(images: images.count)!
                let workspace = Self.room(bytes: workspaceBytes?(conv) ?? neurossia_conv_workspace_bytes(conv, pass), zeroed: padsChannels)
                let started = OpClock.startGEMM()
                body(conv, core, images, packings[conv].map { UnsafeRawPointer($0.data) }, UnsafeMutableRawPointer(workspace.data))
                OpClock.stopGEMM(started, multiplyAdds: passes * multiplyAdds(images.count))
            }
        }
    }

    /// At least `bytes` of 64-byte-aligned memory (the pool's blocks are), zeroed when asked.
    private static func room(bytes: Int, zeroed: Bool) -> Tensor {
        let shape = [max(1, (bytes + 3) / 4)]
        return zeroed ? Tensor(zeros: shape) : Tensor(uninitialized: shape)
    }

    /// Whether oneDNN's blocked layouts pad a channel count (to blocks of 16, or 8 on AVX2). Its kernels
    /// read the padding, which its reorders into the packed weights leave as they found it: pooled memory,
    /// where a stale NaN times the zero gradient of a padded channel made a layer's input gradient NaN now
    /// and then (fastgan-lite's logits layer, 128 → 1; the trainer rolled back, and
    /// `TrainingSessionTests.testResumeIsExact` failed one run in three). Those buffers, and the
    /// workspace the operands are reordered into, are zeroed first.
    private var padsChannels: Bool { channels % 16 != 0 || outChannels % 16 != 0 }

    /// Whether a training call's two mapping passes, forward and backward data (a 4×4 stride-2 convolution and
    /// its transposed layer), run by Winograd instead (`Winograd.runs`; weight gradients stay here).
    private var mapsByWinograd: Bool {
        Winograd.mapsInTraining(channels: channels, outChannels: outChannels, height: height, width: width, kernel: kernel, stride: stride,
                                padding: padding)
    }

    private var xBlock: Int { channels * height * width }
    private var yBlock: Int { outChannels * outHeight * outWidth }

    /// One of the two passes that map an activation to another through the weights (`neurossia_conv_map`):
    /// forward y = x ⊛ weight, or backward data dx = ∂(x ⊛ weight)/∂x · dy; written or added, each core's
    /// planes then passed through `epilogue` while in cache. Or, `byWinograd`, the same pass by Winograd.
    private func mapping(_ pass: Int32, _ source: UnsafePointer<Float>, _ weight: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>,
                         adding: Bool, epilogue: PlaneEpilogue?, byWinograd: Bool) {
        let forward = pass == NEUROSSIA_CONV_FORWARD
        if byWinograd {
            let (bias, activation) = (epilogue?.bias, epilogue?.activation ?? .identity)
            return writingOrAdding(batch * (forward ? yBlock : xBlock), into: target, adding: adding) { target in
                if forward {
                    winogradConv2d(source, [batch, channels, height, width], weight, outChannels: outChannels, bias: bias, activation: activation,
                                   into: target)
                } else {
                    winogradConvTranspose2d(source, [batch, outChannels, outHeight, outWidth], weight, outChannels: channels, bias: bias,
                                            activation: activation, into: target, batchIndependent: false)
                }
            }
        }
        let (sourceBlock, targetChannels, plane) = forward ? (xBlock, outChannels, outHeight * outWidth) : (yBlock, channels, height * width)
        perCore(pass: pass, weight: weight) { conv, _, images, packed, workspace in
            neurossia_conv_map(conv, pass, source + images.lowerBound * sourceBlock, packed,
                               target + images.lowerBound * targetChannels * plane, adding ? 1 : 0, workspace)
            epilogue?.apply(to: target, planes: (images.lowerBound * targetChannels)..<(images.upperBound * targetChannels),
                            channels: targetChannels, inner: plane)
        }
    }

    /// The op on these kernels, with its backward: conv2d(x, weight) when not `transposed`; else
    /// convTranspose2d(x, weight), the adjoint, whose forward is this convolution's backward-data pass, whose
    /// input gradient is its forward, and whose weight gradient swaps the roles of x and dy. Bias and
    /// activation go over each core's output planes as they are written.
    func op(_ x: Tensor, _ weight: Tensor, bias: Tensor?, activation: Activation, transposed: Bool) -> Tensor {
        let out = Tensor(uninitialized: transposed ? [batch, channels, height, width] : [batch, outChannels, outHeight, outWidth])
        let epilogue = PlaneEpilogue(bias: bias?.data, activation: activation)
        let (ahead, back) = transposed ? (Int32(NEUROSSIA_CONV_BACKWARD_DATA), Int32(NEUROSSIA_CONV_FORWARD))
                                       : (Int32(NEUROSSIA_CONV_FORWARD), Int32(NEUROSSIA_CONV_BACKWARD_DATA))
        let byWinograd = mapsByWinograd
        let training = isRecordingGradients && (x.requiresGrad || weight.requiresGrad)
        mapping(ahead, x.data, weight.data, into: out.data, adding: false, epilogue: epilogue, byWinograd: training && byWinograd)
        return out.recorded(from: [x, weight] + (bias.map { [$0] } ?? []), readsOutput: activation != .identity) { out in
            let dy = out.gradBuffer
            activation.backward(inPlace: dy, output: out)
            /// The weight gradient's convolution operands (x, dy): the adjoint's swapped. Reading x may remake it.
            func operands() -> (UnsafePointer<Float>, UnsafePointer<Float>) {
                transposed ? (UnsafePointer(dy), UnsafePointer(x.data)) : (UnsafePointer(x.data), UnsafePointer(dy))
            }
            if weight.requiresGrad && x.requiresGrad && x.remake == nil && !byWinograd && sharesInput(back) {
                let (dx, adding) = x.gradBuffer(writesAll: true)
                let (input, gradient) = operands()
                backwardWeightsAndMapping(back, input, gradient, weight.data, into: weight.gradBuffer, dx, adding: adding)
            } else {
                // The weight gradient first: it alone reads x, whose values, if remade for it, go before dx is made.
                if weight.requiresGrad {
                    let (input, gradient) = operands()
                    backwardWeights(input, gradient, into: weight.gradBuffer)
                    x.letGoOfValuesIfRemakeable()
                }
                if x.requiresGrad {
                    let (dx, adding) = x.gradBuffer(writesAll: true)
                    mapping(back, dy, weight.data, into: dx, adding: adding, epilogue: nil, byWinograd: byWinograd)
                }
            }
            if let bias, bias.requiresGrad {
                addChannelSums(dy, batch: batch, channels: out.shape[1], inner: out.shape[2] * out.shape[3], into: bias.gradBuffer)
            }
        }
    }

    /// dweight += ∂(x ⊛ weight)/∂weight · dy, summed per core and then in core order.
    private func backwardWeights(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, into dweight: UnsafeMutablePointer<Float>) {
        let partials = weightPartials(dweight)
        perCore(pass: Int32(NEUROSSIA_CONV_BACKWARD_WEIGHTS), weight: nil) { conv, core, images, _, workspace in
            neurossia_conv_backward_weights(conv, x + images.lowerBound * xBlock, dy + images.lowerBound * yBlock, partials.part(core),
                                            workspace)
        }
        partials.addBufferedParts()
    }

    /// One accumulator per core for the weight gradient. oneDNN's result is added into a core's part: the
    /// first core's part is the gradient itself.
    private func weightPartials(_ dweight: UnsafeMutablePointer<Float>) -> WeightGradients {
        WeightGradients(into: dweight, count: outChannels * channels * kernel * kernel, parts: min(batch, Parallel.workers),
                        coreZeroAddsInPlace: true)
    }

    /// Whether the layer's output gradient, which `pass` maps into the input gradient, is read in the same
    /// layout by that pass's kernel and the weight gradient's (oneDNN's blocks for both, so far on every CPU
    /// seen), for every call size.
    private func sharesInput(_ pass: Int32) -> Bool {
        callSizes.allSatisfy { neurossia_conv_shares_input(primitives(images: $0)!, pass) != 0 }
    }

    /// `backwardWeights` and then `mapping(pass, …)` (without an epilogue), group by group: the output
    /// gradient (dy, or x of a transposed layer's convolution) is converted once for both kernels, and read
    /// by the second while still in cache. Both gradients are written in the same calls, so x and dx are
    /// held at once: only for an x that is kept anyway (one that can be remade goes before dx is made).
    private func backwardWeightsAndMapping(_ pass: Int32, _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ weight: UnsafePointer<Float>,
                                           into dweight: UnsafeMutablePointer<Float>, _ target: UnsafeMutablePointer<Float>, adding: Bool) {
        let partials = weightPartials(dweight)
        let targetBlock = pass == NEUROSSIA_CONV_FORWARD ? yBlock : xBlock
        perCore(pass: pass, weight: weight, passes: 2, workspaceBytes: { neurossia_conv_weights_and_map_workspace_bytes($0, pass) }) {
            conv, core, images, packed, workspace in
            neurossia_conv_weights_and_map(conv, pass, x + images.lowerBound * xBlock, dy + images.lowerBound * yBlock, partials.part(core),
                                           packed, target + images.lowerBound * targetBlock, adding ? 1 : 0, workspace)
        }
        partials.addBufferedParts()
    }
}
