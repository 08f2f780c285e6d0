/// DiffAugment's colour transform (Zhao et al. 2020) as one op: per image a brightness shift β, then
/// the distance from each pixel's channel mean scaled by σ (saturation), then the distance from the
/// image's mean scaled by κ (contrast). Composed, that is linear in the image,
///   out = κσ · x + κ(1 − σ) · x̄ₚ + (1 − κ) · x̄ + β,
/// with x̄ₚ the pixel's mean over channels and x̄ the image's mean: one pass each way instead of eight
/// taped broadcast ops.
extension Tensor {
    /// [N, C, H, W] → same shape; each array has one value per image.
    public func colourJittered(brightness: [Float], saturation: [Float], contrast: [Float]) -> Tensor {
        let (n, c, plane) = (shape[0], shape[1], shape[2] * shape[3])
        precondition(rank == 4 && [brightness, saturation, contrast].allSatisfy { $0.count == n },
                     "colour jitter of \(shape) with \(brightness.count) draws")
        let out = Tensor(uninitialized: shape)
        let (x, y) = (data, out.data)
        Parallel.chunks(n) { images in
            var pixelMeans = [Float](repeating: 0, count: plane)
            for i in images {
                let (src, dst) = (x + i * c * plane, y + i * c * plane)
                let imageMean = channelMeans(src, channels: c, plane: plane, into: &pixelMeans)
                let (s, k) = (saturation[i], contrast[i])
                let (scale, meanScale) = (k * s, k * (1 - s))
                let shift = (1 - k) * imageMean + brightness[i]
                for ch in 0..<c {
                    let (p, q) = (src + ch * plane, dst + ch * plane)
                    for l in 0..<plane { q[l] = scale * p[l] + meanScale * pixelMeans[l] + shift }
                }
            }
        }
        return out.recorded(from: [self]) { out in
            let (dy, dx) = (UnsafePointer(out.gradBuffer), self.gradBuffer)
            // The same map transposed: the means of dy go where the means of x came from.
            Parallel.chunks(n) { images in
                var pixelMeans = [Float](repeating: 0, count: plane)
                for i in images {
                    let (g, d) = (dy + i * c * plane, dx + i * c * plane)
                    let imageMean = channelMeans(g, channels: c, plane: plane, into: &pixelMeans)
                    let (s, k) = (saturation[i], contrast[i])
                    let (scale, meanScale, shift) = (k * s, k * (1 - s), (1 - k) * imageMean)
                    for ch in 0..<c {
                        let (p, q) = (g + ch * plane, d + ch * plane)
                        for l in 0..<plane { q[l] += scale * p[l] + meanScale * pixelMeans[l] + shift }
                    }
                }
            }
        }
    }
}

/// means[l] = the mean over channels of pixel l of one image [C, plane]; returns the mean of those.
private func channelMeans(_ image: UnsafePointer<Float>, channels: Int, plane: Int, into means: inout [Float]) -> Float {
    means.withUnsafeMutableBufferPointer { m in
        m.update(repeating: 0)
        for ch in 0..<channels {
            let p = image + ch * plane
            for l in 0..<plane { m[l] += p[l] }
        }
        var total: Float = 0
        for l in 0..<plane {
            m[l] /= Float(channels)
            total += m[l]
        }
        return total / Float(plane)
    }
}
