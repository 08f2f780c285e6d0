import Foundation

/// Batch normalisation over [N, C, H, W] per channel. In training it normalises by the batch's
/// statistics and moves the running ones (PyTorch's convention: unbiased variance, momentum 0.1);
/// in evaluation it uses the running ones.
public func batchNorm(
    _ x: Tensor, gamma: Tensor?, beta: Tensor?, runningMean: Tensor, runningVar: Tensor,
    training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5
) -> Tensor {
    precondition(x.rank == 4 || x.rank == 2, "batchNorm of \(x.shape): expected [N, C, H, W] or [N, C]")
    let (n, c) = (x.shape[0], x.shape[1])
    let plane = x.rank == 4 ? x.shape[2] * x.shape[3] : 1
    let m = Float(n * plane)
    let out = Tensor(uninitialized: x.shape)
    let mean = Tensor(uninitialized: [c]), invStd = Tensor(uninitialized: [c])
    let (src, dst) = (x.data, out.data)
    let grain = max(1, 16_384 / max(n * plane, 1))
    Parallel.chunks(c, grain: grain) { channels in
        for ch in channels {
            var mu: Float, variance: Float
            if training {
                var sum: Double = 0, squares: Double = 0
                for i in 0..<n {
                    let p = src + (i * c + ch) * plane
                    var s: Float = 0, q: Float = 0
                    for l in 0..<plane { s += p[l]; q += p[l] * p[l] }
                    sum += Double(s); squares += Double(q)
                }
                let meanD = sum / Double(m)
                mu = Float(meanD)
                variance = Float(max(squares / Double(m) - meanD * meanD, 0))
                runningMean.data[ch] = (1 - momentum) * runningMean.data[ch] + momentum * mu
                let unbiased = m > 1 ? variance * m / (m - 1) : variance
                runningVar.data[ch] = (1 - momentum) * runningVar.data[ch] + momentum * unbiased
            } else {
                mu = runningMean.data[ch]
                variance = runningVar.data[ch]
            }
            let inv = 1 / (variance + epsilon).squareRoot()
            mean.data[ch] = mu
            invStd.data[ch] = inv
            let scale = (gamma?.data[ch] ?? 1) * inv
            let shift = (beta?.data[ch] ?? 0) - mu * scale
            for i in 0..<n {
                let p = src + (i * c + ch) * plane, q = dst + (i * c + ch) * plane
                for l in 0..<plane { q[l] = p[l] * scale + shift }
            }
        }
    }
    let inputs = [x] + [gamma, beta].compactMap { $0 }
    return out.recorded(from: inputs) { out in
        let dy = out.gradBuffer
        let dx = x.requiresGrad ? x.gradBuffer : nil
        let dgamma = gamma?.requiresGrad == true ? gamma!.gradBuffer : nil
        let dbeta = beta?.requiresGrad == true ? beta!.gradBuffer : nil
        Parallel.chunks(c, grain: grain) { channels in
            for ch in channels {
                let (mu, inv, g) = (mean.data[ch], invStd.data[ch], gamma?.data[ch] ?? 1)
                var sumDy: Float = 0, sumDyXhat: Float = 0
                for i in 0..<n {
                    let p = src + (i * c + ch) * plane, d = dy + (i * c + ch) * plane
                    for l in 0..<plane {
                        sumDy += d[l]
                        sumDyXhat += d[l] * (p[l] - mu) * inv
                    }
                }
                dgamma?[ch] += sumDyXhat
                dbeta?[ch] += sumDy
                guard let dx else { continue }
                if training {
                    let k = g * inv / m
                    for i in 0..<n {
                        let p = src + (i * c + ch) * plane, d = dy + (i * c + ch) * plane, o = dx + (i * c + ch) * plane
                        for l in 0..<plane { o[l] += k * (m * d[l] - sumDy - (p[l] - mu) * inv * sumDyXhat) }
                    }
                } else {
                    for i in 0..<n {
                        let d = dy + (i * c + ch) * plane, o = dx + (i * c + ch) * plane
                        for l in 0..<plane { o[l] += g * inv * d[l] }
                    }
                }
            }
        }
    }
}
