import Engine

/// k×k convolution over [N, inputChannels, H, W]; weight [outputChannels, inputChannels, k, k].
public final class Conv2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int, padding: Int
    let spectral: SpectralVectors?

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, spectralNorm: Bool = false, initializer: Initializer = .normal(std: 0.02),
                rng: inout RandomGenerator) {
        let fanIn = inputChannels * kernelSize * kernelSize
        weight = initializer.weight([outputChannels, inputChannels, kernelSize, kernelSize], fanIn: fanIn, rng: &rng)
        self.bias = bias ? Tensor(zeros: [outputChannels], requiresGrad: true) : nil
        self.stride = stride
        self.padding = padding
        spectral = spectralNorm ? SpectralVectors(rows: outputChannels, columns: fanIn, rng: &rng) : nil
    }

    /// activation(conv(x)), the activation applied as the output is written.
    public func callAsFunction(_ x: Tensor, activation: Activation = .identity) -> Tensor {
        conv2d(x, appliedWeight(), bias: bias, stride: stride, padding: padding, activation: activation)
    }

    /// activation(conv(x upsampled ×2 by nearest neighbour)) [N, O, 2H, 2W] for a 3×3 conv with padding 1,
    /// run as one transposed convolution of x (`upsamplingKernel`): 16 multiply-adds per input pixel and
    /// channel pair instead of 36, and no upsampled copy. Benchmarks count the layer's 36 (`OpClock.counting`).
    public func upsampling(_ x: Tensor, activation: Activation = .identity) -> Tensor {
        precondition(weight.shape[2] == 3 && padding == 1 && stride == 1, "upsampling needs a 3×3 conv with padding 1 and stride 1")
        let kernel = upsamplingKernel(appliedWeight())
        return OpClock.counting(definedPerRun: 36.0 / 16) {
            convTranspose2d(x, kernel, bias: bias, stride: 2, padding: 1, activation: activation)
        }
    }

    /// The weight the layer applies: spectrally normalised when asked for (a power iteration while training).
    func appliedWeight() -> Tensor { spectral?.normalize(weight, training: training) ?? weight }
}

/// Transposed k×k convolution (upsampling by `stride`); weight [inputChannels, outputChannels, k, k].
/// Spectral norm views the weight as [inputChannels, outputChannels·k·k]: on a 1×1 input (a latent)
/// that matrix is the whole layer, so σ is its exact gain (PyTorch views it per output channel instead).
public final class ConvTranspose2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int, padding: Int
    let spectral: SpectralVectors?

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, spectralNorm: Bool = false, initializer: Initializer = .normal(std: 0.02),
                rng: inout RandomGenerator) {
        let fanIn = inputChannels * kernelSize * kernelSize
        weight = initializer.weight([inputChannels, outputChannels, kernelSize, kernelSize], fanIn: fanIn, rng: &rng)
        self.bias = bias ? Tensor(zeros: [outputChannels], requiresGrad: true) : nil
        self.stride = stride
        self.padding = padding
        spectral = spectralNorm
            ? SpectralVectors(rows: inputChannels, columns: outputChannels * kernelSize * kernelSize, rng: &rng) : nil
    }

    /// The weight the layer applies: spectrally normalised when asked for (a power iteration while training).
    func appliedWeight() -> Tensor { spectral?.normalize(weight, training: training) ?? weight }

    /// activation(convT(x)), the activation applied as the output is written.
    public func callAsFunction(_ x: Tensor, activation: Activation = .identity) -> Tensor {
        convTranspose2d(x, appliedWeight(), bias: bias, stride: stride, padding: padding, activation: activation)
    }

    /// Outputs of at least this many values that a batch norm reads are made again in backward rather
    /// than held from forward (`convTranspose2d`'s `remakeable`): one more pass of the layer, about 2% of
    /// DCGAN-128's multiply-adds a step at batch 64, for 56–61 MB off its live peak. Remaking the 32 MB
    /// layer before it too lowered nothing: smaller ones are cheaper to keep.
    public nonisolated(unsafe) static var remadeOutputValues = 16 << 20

    /// activation(norm(self(x))). For inference (norm evaluating, no graph) one pass: the norm is folded
    /// into a scaled copy of the weight and a bias, and bias and activation go with the output's writing.
    public func callAsFunction(_ x: Tensor, normalizedBy norm: BatchNorm2d, activation: Activation) -> Tensor {
        guard !norm.training && !gradientsAreRecorded else {
            let side = { transposedConvolutionSide(x.shape[$0], kernel: self.weight.shape[2], stride: self.stride, padding: self.padding) }
            let outputs = x.shape[0] * weight.shape[1] * side(2) * side(3)
            return norm(convTranspose2d(x, appliedWeight(), bias: bias, stride: stride, padding: padding,
                                        remakeable: outputs >= Self.remadeOutputValues), activation: activation)
        }
        let (scale, shift) = norm.evaluationAffine
        let weight = appliedWeight()
        let (cin, cout, taps) = (weight.shape[0], weight.shape[1], weight.shape[2] * weight.shape[3])
        let folded = Tensor(uninitialized: weight.shape)
        let (source, target) = (UnsafePointer(weight.data), folded.data)
        // On both cores: DCGAN-64's 512 → 256 layer folds 2 M weights for every batch it generates.
        Parallel.chunks(cin, grain: max(1, 32_768 / (cout * taps))) { inputs in
            for i in inputs {
                for o in 0..<cout {
                    let offset = (i * cout + o) * taps
                    for t in 0..<taps { target[offset + t] = source[offset + t] * scale[o] }
                }
            }
        }
        let foldedBias = (0..<cout).map { o in shift[o] + (bias?.data[o] ?? 0) * scale[o] }
        return convTranspose2d(x, folded, bias: Tensor(foldedBias, shape: [cout]), stride: stride, padding: padding,
                               activation: activation)
    }
}
