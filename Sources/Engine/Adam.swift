/// Adam (Kingma & Ba 2015) in PyTorch's form: p −= lr / (1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε).
/// Moments are kept per parameter, by name, so checkpoints can store and restore them.
public final class Adam {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    /// Updates taken so far (t in the bias corrections).
    public var step = 0
    public let parameters: [(name: String, tensor: Tensor)]
    let firstMoments: [Tensor], secondMoments: [Tensor]

    public init(parameters: [(name: String, tensor: Tensor)], learningRate: Float, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoments = parameters.map { Tensor(zeros: $0.tensor.shape) }
        secondMoments = parameters.map { Tensor(zeros: $0.tensor.shape) }
    }

    /// Clears every parameter's gradient before the next backward pass.
    public func zeroGrad() { for p in parameters { p.tensor.zeroGrad() } }

    /// One update from the gradients accumulated since `zeroGrad`, each let go once applied: between
    /// updates a network holds no gradient memory, so a GAN step holds one network's at a time (at
    /// DCGAN-128 the generator's 51 MB are free while the discriminator trains, and its 44 MB while
    /// the generator does). A parameter nothing flowed into is left alone, as PyTorch's Adam does.
    public func update() {
        OpClock.measure(.optimizer) {
            step += 1
            let correction1 = 1 - pow(beta1, Float(step))
            let correction2 = (1 - pow(beta2, Float(step))).squareRoot()
            let stepSize = learningRate / correction1
            let (b1, b2, eps) = (beta1, beta2, epsilon)
            for (i, p) in parameters.enumerated() {
                guard let g = p.tensor.gradData else { continue }
                let (w, m, v) = (p.tensor.data, firstMoments[i].data, secondMoments[i].data)
                Parallel.chunks(p.tensor.count) { r in
                    for j in r {
                        m[j] = b1 * m[j] + (1 - b1) * g[j]
                        v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j]
                        w[j] -= stepSize * m[j] / (v[j].squareRoot() / correction2 + eps)
                    }
                }
                p.tensor.zeroGrad()
            }
        }
    }

    /// The moments as named tensors ("m/<name>", "v/<name>") for checkpoints.
    public var state: [(name: String, tensor: Tensor)] {
        zip(parameters, zip(firstMoments, secondMoments)).flatMap { p, moments in
            [("m/\(p.name)", moments.0), ("v/\(p.name)", moments.1)]
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
