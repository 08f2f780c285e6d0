import Engine

/// Per-channel batch normalisation with learned scale and shift (γ starts near 1 as in DCGAN).
public final class BatchNorm2d: Module {
    public let gamma: Tensor
    public let beta: Tensor
    public let runningMean: Tensor
    public let runningVar: Tensor
    /// How far one training batch moves the running statistics (PyTorch's 0.1).
    public var momentum: Float = 0.1

    public init(channels: Int, gammaStd: Float = 0, rng: inout RandomGenerator) {
        gamma = Tensor(randomNormal: [channels], std: gammaStd, rng: &rng).affine(scale: 1, shift: 1).requiringGrad()
        beta = Tensor(zeros: [channels], requiresGrad: true)
        runningMean = Tensor(zeros: [channels])
        runningVar = Tensor(repeating: 1, shape: [channels])
    }

    /// Added to the variance before its square root.
    public static let epsilon: Float = 1e-5

    /// activation(normalised x), in one pass.
    public func callAsFunction(_ x: Tensor, activation: Activation = .identity) -> Tensor {
        batchNorm(x, gamma: gamma, beta: beta, runningMean: runningMean, runningVar: runningVar, training: training,
                  momentum: momentum, epsilon: Self.epsilon, activation: activation)
    }

    /// GLU(normalised x): [N, 2C, H, W] → [N, C, H, W], in one pass (`batchNormGLU`, whose `noise` it passes).
    public func gated(_ x: Tensor, noise: (planes: Tensor, weight: Tensor)? = nil) -> Tensor {
        batchNormGLU(x, gamma: gamma, beta: beta, runningMean: runningMean, runningVar: runningVar, training: training,
                     momentum: momentum, epsilon: Self.epsilon, noise: noise)
    }

    /// In evaluation the normalisation is affine per channel, y = scale · x + shift [C], so it can be
    /// folded into the layer before it.
    public var evaluationAffine: (scale: [Float], shift: [Float]) {
        let count = gamma.count
        let scale = (0..<count).map { gamma.data[$0] / (runningVar.data[$0] + Self.epsilon).squareRoot() }
        return (scale, (0..<count).map { beta.data[$0] - runningMean.data[$0] * scale[$0] })
    }
}
