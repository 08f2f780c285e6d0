import Engine

/// y = x · Wᵀ + b over [N, inputs] → [N, outputs]; optionally spectrally normalised.
public final class Linear: Module {
    public let weight: Tensor
    public let bias: Tensor?
    let spectral: SpectralVectors?

    public init(inputs: Int, outputs: Int, bias: Bool = true, spectralNorm: Bool = false,
                initializer: Initializer = .normal(std: 0.02), rng: inout RandomGenerator) {
        weight = initializer.weight([outputs, inputs], fanIn: inputs, rng: &rng)
        self.bias = bias ? Tensor(zeros: [outputs], requiresGrad: true) : nil
        spectral = spectralNorm ? SpectralVectors(rows: outputs, columns: inputs, rng: &rng) : nil
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        linear(x, spectral?.normalize(weight, training: training) ?? weight, bias: bias)
    }
}
