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

    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, spectral?.normalize(weight, training: training) ?? weight, bias: bias, stride: stride, padding: padding)
    }
}

/// Transposed k×k convolution (upsampling by `stride`); weight [inputChannels, outputChannels, k, k].
public final class ConvTranspose2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int, padding: Int

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, initializer: Initializer = .normal(std: 0.02), rng: inout RandomGenerator) {
        let fanIn = inputChannels * kernelSize * kernelSize
        weight = initializer.weight([inputChannels, outputChannels, kernelSize, kernelSize], fanIn: fanIn, rng: &rng)
        self.bias = bias ? Tensor(zeros: [outputChannels], requiresGrad: true) : nil
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        convTranspose2d(x, weight, bias: bias, stride: stride, padding: padding)
    }
}
