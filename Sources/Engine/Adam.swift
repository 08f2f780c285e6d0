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
        step += 1
        for i in parameters.indices { apply(i) }
    }

    /// Back-propagates `loss`, the last pass of this step, and takes the update within it: each
    /// parameter is updated, and its gradient let go, as soon as the pass has finished that gradient
    /// (`Tensor.backward(watching:final:)`); gradients the pass does not reach (left by an earlier
    /// pass) are applied at its end. The same arithmetic as `loss.backward()` then `update()`, but
    /// backward reaches a network's last layers first, which hold most of its weights: at DCGAN-128
    /// D's 44 MB of gradients are mostly gone before backward reaches the first layers, where the
    /// activations' gradients are largest. Only where nothing else must see the gradients first (a
    /// data-parallel step sums them over processes before updating).
    public func update(backPropagating loss: Tensor) {
        step += 1
        loss.backward(watching: parameters.map(\.tensor), final: apply)
        for i in parameters.indices { apply(i) }
    }

    /// Applies parameter `i`'s gradient, if it has one, at the current step and lets it go.
    private func apply(_ i: Int) {
        let p = parameters[i].tensor
        guard let g = p.gradData else { return }
        OpClock.measure(.optimizer) {
            let correction1 = 1 - pow(beta1, Float(step))
            let correction2 = (1 - pow(beta2, Float(step))).squareRoot()
            let stepSize = learningRate / correction1
            let (b1, b2, eps) = (beta1, beta2, epsilon)
            let (w, m, v) = (p.data, firstMoments[i].data, secondMoments[i].data)
            Parallel.chunks(p.count) { r in
                for j in r {
                    m[j] = b1 * m[j] + (1 - b1) * g[j]
                    v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j]
                    w[j] -= stepSize * m[j] / (v[j].squareRoot() / correction2 + eps)
                }
            }
        }
        p.zeroGrad()
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
