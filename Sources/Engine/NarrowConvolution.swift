import CVectorMath

/// A 3×3 convolution (stride 1, padding 1) to at most four channels: a generator's last layer, features
/// to RGB. oneDNN's kernels pad the output channels to a block of 16, and im2col's GEMM has three rows,
/// so both run this layer at a few percent of the machine (fastgan-lite's 32 → 3 at 64 px took 20 ms of
/// a training step for 0.1 GFLOP). Here each image's rows go through CVectorMath's kernels
/// (NarrowConvolution.c), one core per share of the batch, in float32 at every precision. In training
/// `ConvolutionTuning` times it against oneDNN's direct kernel; in inference it always runs.
struct NarrowConvolution {
    let batch: Int, channels: Int, outChannels: Int, height: Int, width: Int

    /// nil unless the convolution is 3×3 with stride 1 and padding 1, to at most four channels, under
    /// `ConvolutionAlgorithm.auto` or `.narrow`.
    init?(x: Tensor, weight: Tensor, stride: Int, padding: Int) {
        guard [.auto, .narrow].contains(ConvolutionAlgorithm.current), stride == 1, padding == 1, weight.shape[2] == 3,
              weight.shape[0] <= Int(NEUROSSIA_NARROW_CHANNELS) else { return nil }
        (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        outChannels = weight.shape[0]
    }

    /// activation(x ⊛ weight + bias): x [N, C, H, W], weight [O, C, 3, 3] → [N, O, H, W].
    func callAsFunction(_ x: Tensor, _ weight: Tensor, bias: Tensor?, activation: Activation) -> Tensor {
        let (inPlane, outPlane) = (channels * height * width, outChannels * height * width)
        let (out, xData) = (Tensor(uninitialized: [batch, outChannels, height, width]), x.data)
        perImage { _, images, scratch in
            for n in images {
                let y = out.data + n * outPlane
                neurossia_conv3x3_forward(xData + n * inPlane, channels, height, width, weight.data, outChannels, bias?.data, y, scratch)
                if activation != .identity {
                    for o in 0..<outChannels { activation.apply(y + o * height * width, count: height * width, shift: 0) }
                }
            }
        }
        return out.recorded(from: [x, weight] + (bias.map { [$0] } ?? []), readsOutput: activation != .identity) { out in
            let dy = out.gradBuffer
            activation.backward(inPlace: dy, output: out)
            // The weight gradient first: it alone reads x, whose values, if remade for it, go before dx is made.
            if weight.requiresGrad {
                let partials = WeightGradients(into: weight.gradBuffer, count: weight.count, parts: min(batch, Parallel.workers))
                let xData = x.data  // remade here, before the cores share the work, if it was let go
                perImage { core, images, scratch in
                    for n in images {
                        neurossia_conv3x3_backward_weights(xData + n * inPlane, channels, height, width, dy + n * outPlane, outChannels,
                                                           partials.part(core), scratch)
                    }
                }
                partials.addBufferedParts()
                x.letGoOfValuesIfRemakeable()
            }
            if x.requiresGrad {
                let (dx, adding) = x.gradBuffer(writesAll: true)
                perImage { _, images, scratch in
                    for n in images {
                        neurossia_conv3x3_backward_data(dy + n * outPlane, outChannels, height, width, weight.data, channels,
                                                        dx + n * inPlane, adding ? 1 : 0, scratch)
                    }
                }
            }
            if let bias, bias.requiresGrad {
                addChannelSums(dy, batch: batch, channels: outChannels, inner: height * width, into: bias.gradBuffer)
            }
        }
    }

    /// Runs `body` on each core's share of the batch with padded-row scratch of its own.
    private func perImage(_ body: (_ core: Int, _ images: Range<Int>, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        narrowPerImage(batch: batch, scratch: Int(NEUROSSIA_NARROW_SCRATCH_ROWS) * (width + 2),
                       multiplyAdds: outChannels * channels * 9 * height * width, body)
    }
}

/// Runs `body` on each core's share of a batch with `scratch` floats of its own, timed as the layer's
/// products (as oneDNN's direct kernels are) with `multiplyAdds` per image.
private func narrowPerImage(batch: Int, scratch: Int, multiplyAdds: Int,
                            _ body: (_ core: Int, _ images: Range<Int>, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
    Parallel.parts(batch) { core, images in
        let buffer = Tensor(uninitialized: [scratch])
        let started = OpClock.startGEMM()
        body(core, images, buffer.data)
        OpClock.stopGEMM(started, multiplyAdds: images.count * multiplyAdds)
    }
}

/// The transposed 4×4 convolution with stride 2 and padding 1 to at most four channels (DCGAN's RGB
/// layer), for inference: im2col's GEMM has 16 · 3 rows and a 64-deep sum, and ran DCGAN-64's
/// 64 → 3 layer at about half the machine's rate (4 ms of a 64-picture batch's 45); Winograd's input
/// transform would cost more than the layer. Here each image's rows go through CVectorMath's kernel
/// (NarrowConvolution.c), all four phases of sixteen columns at a time, in float32 at every precision.
/// Training keeps im2col, which gives the gradients.
struct NarrowTransposedConvolution {
    let batch: Int, channels: Int, outChannels: Int, height: Int, width: Int

    /// nil unless the call is inference of a 4×4 transposed convolution with stride 2 and padding 1 to
    /// at most four channels, under `ConvolutionAlgorithm.auto` or `.narrow`.
    init?(x: Tensor, weight: Tensor, stride: Int, padding: Int, recording: Bool) {
        guard !recording, [.auto, .narrow].contains(ConvolutionAlgorithm.current), stride == 2, padding == 1,
              weight.shape[2] == 4, weight.shape[1] <= Int(NEUROSSIA_NARROW_CHANNELS) else { return nil }
        (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        outChannels = weight.shape[1]
    }

    /// activation(convT(x) + bias): x [N, C, H, W], weight [C, O, 4, 4] → [N, O, 2H, 2W].
    func callAsFunction(_ x: Tensor, _ weight: Tensor, bias: Tensor?, activation: Activation) -> Tensor {
        let (inPlane, outPlane) = (channels * height * width, outChannels * 4 * height * width)
        let (out, xData) = (Tensor(uninitialized: [batch, outChannels, 2 * height, 2 * width]), x.data)
        narrowPerImage(batch: batch, scratch: channels * (height + 2) * (width + 2), multiplyAdds: outPlane * channels * 4) { _, images, pad in
            for n in images {
                let y = out.data + n * outPlane
                neurossia_conv_transpose4x4s2_forward(xData + n * inPlane, channels, height, width, weight.data, outChannels,
                                                      bias?.data, y, pad)
                if activation != .identity { activation.apply(y, count: outPlane, shift: 0) }
            }
        }
        return out
    }
}
