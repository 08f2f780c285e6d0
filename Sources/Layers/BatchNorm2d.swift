import Engine

/// Per-channel batch normalisation with learned scale and shift (γ starts near 1 as in DCGAN).
public final class BatchNorm2d: Module {
    public let gamma: Tensor
    public let beta: Tensor
    public let runningMean: Tensor
    public let runningVar: Tensor

    public init(channels: Int, gammaStd: Float = 0, rng: inout RandomGenerator) {
        gamma = Tensor(randomNormal: [channels], std: gammaStd, rng: &rng).affine(scale: 1, shift: 1).requiringGrad()
        beta = Tensor(zeros: [channels], requiresGrad: true)
        runningMean = Tensor(zeros: [channels])
        runningVar = Tensor(repeating: 1, shape: [channels])
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        batchNorm(x, gamma: gamma, beta: beta, runningMean: runningMean, runningVar: runningVar, training: training)
    }
}
