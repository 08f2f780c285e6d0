import CVectorMath
import Foundation

/// Batch normalisation over [N, C, H, W] per channel, then `activation`. In training it normalises by
/// the batch's statistics and moves the running ones (PyTorch's convention: unbiased variance, momentum
/// 0.1); in evaluation it uses the running ones. The activation runs on each plane as it is written; in
/// backward a ReLU's or leaky ReLU's derivative gates the incoming gradient where the sums and dx read
/// it, from the sign of x · scale + shift (tanh's scales it in place first): one pass and one tensor
/// fewer each way.
public func batchNorm(
    _ x: Tensor, gamma: Tensor?, beta: Tensor?, runningMean: Tensor, runningVar: Tensor,
    training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5, activation: Activation = .identity
) -> Tensor {
    OpClock.measure(.batchNorm) {
        precondition(x.rank == 4 || x.rank == 2, "batchNorm of \(x.shape): expected [N, C, H, W] or [N, C]")
        let (n, c) = (x.shape[0], x.shape[1])
        let plane = x.rank == 4 ? x.shape[2] * x.shape[3] : 1
        let out = Tensor(uninitialized: x.shape)
        let (mean, invStd, m) = channelStatistics(x, runningMean: runningMean, runningVar: runningVar, training: training,
                                                  momentum: momentum, epsilon: epsilon)
        let dst = out.data
        let grain = max(1, 16_384 / max(n * plane, 1))
        let sync = training ? BatchNormSync.sum : nil
        /// y = x · scale + shift per channel: forward writes it, backward recomputes its sign. Taken now,
        /// so a later step's γ and β never enter an output remade for a reader that let it go.
        let affines = (0..<c).map { ch -> (scale: Float, shift: Float) in
            let scale = (gamma?.data[ch] ?? 1) * invStd.data[ch]
            return (scale, (beta?.data[ch] ?? 0) - mean.data[ch] * scale)
        }
        /// Writes activation(x · scale + shift) into `dst`: the forward pass, and the output made again.
        let normalize = { (dst: UnsafeMutablePointer<Float>) in
            let src = UnsafePointer(x.data)
            Parallel.chunks(c, grain: grain) { channels in
                for ch in channels {
                    let (scale, shift) = affines[ch]
                    for i in 0..<n {
                        let p = src + (i * c + ch) * plane, q = dst + (i * c + ch) * plane
                        switch activation {
                        case .identity: neurossia_norm_activation(p, q, plane, scale, shift, 0, 0)
                        case .relu: neurossia_norm_activation(p, q, plane, scale, shift, 1, 0)
                        case .leakyReLU(let slope): neurossia_norm_activation(p, q, plane, scale, shift, 2, slope)
                        case .tanh: neurossia_norm_activation(p, q, plane, scale, shift, 0, 0); activation.apply(q, count: plane, shift: 0)
                        }
                    }
                }
            }
        }
        normalize(dst)
        let inputs = [x] + [gamma, beta].compactMap { $0 }
        // A ReLU's or leaky ReLU's gate comes from x; only tanh's derivative reads the output.
        out.recorded(from: inputs, readsOutput: activation.negativeSlope == nil && activation != .identity) { out in
            // Read now, not at forward: an input that can be remade was let go after forward.
            let src = UnsafePointer(x.data)
            let dy = out.gradBuffer
            let gate = activation.negativeSlope
            if gate == nil { activation.backward(inPlace: dy, output: out) }
            // dx overwrites dy in place where nothing has flowed into x yet: each element of dy is read (by
            // the sums' pass, then its own) before it is written, and out's gradient is dropped after this
            // rule. No buffer of x's size beside dy (DCGAN-128's last norm of G: 64 MB at the step's peak).
            let (dx, adding) = !x.requiresGrad ? (nil, true) : x.tookGradient(of: out) ? (dy, false) : x.gradBuffer(writesAll: true)
            let dgamma = gamma?.requiresGrad == true ? gamma!.gradBuffer : nil
            let dbeta = beta?.requiresGrad == true ? beta!.gradBuffer : nil
            // Σdy and Σdy·x̂ per channel: local ones feed γ and β (whose gradients are summed with the rest),
            // the whole batch's feed dx.
            var sums = [Double](repeating: 0, count: 2 * c)
            sums.withUnsafeMutableBufferPointer { buffer in
                let sums = buffer  // not inout: the passes below are handed on as closures
                func sum(_ ch: Int) {
                    let (mu, inv) = (mean.data[ch], invStd.data[ch])
                    var sumDy: Float = 0, sumDyXhat: Float = 0
                    let (scale, shift) = affines[ch]
                    for i in 0..<n {
                        var s: Float = 0, centred: Float = 0
                        let (d, p) = (dy + (i * c + ch) * plane, src + (i * c + ch) * plane)
                        if let gate {
                            neurossia_sum_products_gated(d, p, mu, scale, shift, gate, plane, &s, &centred)
                        } else {
                            neurossia_sum_products(d, p, mu, plane, &s, &centred)
                        }
                        sumDy += s
                        sumDyXhat += centred * inv
                    }
                    dgamma?[ch] += sumDyXhat
                    dbeta?[ch] += sumDy
                    (sums[ch], sums[c + ch]) = (Double(sumDy), Double(sumDyXhat))
                }
                func inputGradient(_ ch: Int) {
                    let (mu, inv, g) = (mean.data[ch], invStd.data[ch], gamma?.data[ch] ?? 1)
                    let (sumDy, sumDyXhat) = (Float(sums[ch]), Float(sums[c + ch]))
                    let (scale, shift) = affines[ch]
                    // In evaluation the statistics are constants: dx = γ · inv · dy.
                    let gradient = training
                        ? neurossia_norm_gradient(mean: mu, k: g * inv / m, weight: m, base: sumDy, centring: inv * sumDyXhat,
                                                  scale: scale, shift: shift, slope: gate ?? 1)
                        : neurossia_norm_gradient(mean: mu, k: g * inv, weight: 1, base: 0, centring: 0, scale: scale, shift: shift,
                                                  slope: gate ?? 1)
                    for i in 0..<n {
                        let offset = (i * c + ch) * plane
                        neurossia_norm_input_gradient(src + offset, dy + offset, dx! + offset, plane, gradient, adding ? 1 : 0)
                    }
                }
                BatchNormSync.backward(count: c, grain: grain, sums: sums, exchange: sync, first: sum, second: dx == nil ? nil : inputGradient)
            }
        }
        // `normalize` holds x, which backward keeps anyway, as long as the output lives. An x that can be
        // remade itself (a large transposed convolution's output) goes now: backward reads it next.
        if out.node != nil {
            let count = out.count
            out.remake = {
                // x first, if it was let go: what remaking it takes is given back before this buffer is taken.
                _ = x.data
                let remade = Storage(count: count)
                normalize(remade.base)
                return remade
            }
            x.letGoOfValuesIfRemakeable()
        }
        return out
    }
}

/// Per-channel mean and 1/√(variance + ε) of x [N, C, H, W] or [N, C] (plus `noise`, planes [N, 1, H, W]
/// times a weight, as `batchNormGLU` injects them), and the number of values each summarises. In
/// training they are the batch's (over every process when synchronised), and the running statistics
/// move towards them (PyTorch's convention: unbiased variance); in evaluation they are the running ones.
func channelStatistics(_ x: Tensor, runningMean: Tensor, runningVar: Tensor, training: Bool, momentum: Float,
                       epsilon: Float, noise: (planes: UnsafePointer<Float>, weight: Float)? = nil) -> (mean: Tensor, invStd: Tensor, count: Float) {
    let (n, c) = (x.shape[0], x.shape[1])
    let plane = x.rank == 4 ? x.shape[2] * x.shape[3] : 1
    let mean = Tensor(uninitialized: [c]), invStd = Tensor(uninitialized: [c])
    guard training else {
        for ch in 0..<c {
            mean.data[ch] = runningMean.data[ch]
            invStd.data[ch] = 1 / (runningVar.data[ch] + epsilon).squareRoot()
        }
        return (mean, invStd, Float(n * plane))
    }
    // Σx and Σx² per channel, then the element count: the layout summed over processes when synchronised.
    var sums = [Double](repeating: 0, count: 2 * c + 1)
    sums[2 * c] = Double(n * plane)
    let src = x.data
    sums.withUnsafeMutableBufferPointer { sums in
        Parallel.chunks(c, grain: max(1, 16_384 / max(n * plane, 1))) { channels in
            for ch in channels {
                var sum: Double = 0, squares: Double = 0
                for i in 0..<n {
                    var s: Float = 0, q: Float = 0
                    let p = src + (i * c + ch) * plane
                    if let noise {
                        neurossia_sum_squares_noisy(p, noise.planes + i * plane, noise.weight, plane, &s, &q)
                    } else {
                        neurossia_sum_products(p, p, 0, plane, &s, &q)
                    }
                    sum += Double(s); squares += Double(q)
                }
                (sums[ch], sums[c + ch]) = (sum, squares)
            }
        }
        BatchNormSync.sum?(sums)
    }
    let m = Float(sums[2 * c])
    for ch in 0..<c {
        let mu = sums[ch] / sums[2 * c]
        let variance = Float(max(sums[c + ch] / sums[2 * c] - mu * mu, 0))
        mean.data[ch] = Float(mu)
        invStd.data[ch] = 1 / (variance + epsilon).squareRoot()
        runningMean.data[ch] = (1 - momentum) * runningMean.data[ch] + momentum * Float(mu)
        let unbiased = m > 1 ? variance * m / (m - 1) : variance
        runningVar.data[ch] = (1 - momentum) * runningVar.data[ch] + momentum * unbiased
    }
    return (mean, invStd, m)
}
