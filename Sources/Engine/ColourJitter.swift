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
        colourMap(data, into: out.data, images: n, channels: c, plane: plane, saturation: saturation, contrast: contrast,
                  brightness: brightness, adding: false)
        return out.recorded(from: [self]) { out in
            // The linear part is its own transpose (both means are averages), so dy goes through it unshifted.
            colourMap(out.gradBuffer, into: self.gradBuffer, images: n, channels: c, plane: plane, saturation: saturation,
                      contrast: contrast, brightness: nil, adding: true)
        }
    }
}

/// dst = κσ · src + κ(1 − σ) · src̄ₚ + (1 − κ) · src̄ (+ β when `brightness` is given), per image of
/// [C, plane]; written, or added to dst when `adding`.
private func colourMap(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, images n: Int, channels c: Int,
                       plane: Int, saturation: [Float], contrast: [Float], brightness: [Float]?, adding: Bool) {
    Parallel.chunks(n) { images in
        var pixelMeans = [Float](repeating: 0, count: plane)
        for i in images {
            let (x, y) = (src + i * c * plane, dst + i * c * plane)
            let imageMean = channelMeans(x, channels: c, plane: plane, into: &pixelMeans)
            let (s, k) = (saturation[i], contrast[i])
            let (scale, meanScale) = (k * s, k * (1 - s))
            let shift = (1 - k) * imageMean + (brightness?[i] ?? 0)
            for ch in 0..<c {
                let (p, q) = (x + ch * plane, y + ch * plane)
                for l in 0..<plane { q[l] = (adding ? q[l] : 0) + (scale * p[l] + meanScale * pixelMeans[l] + shift) }
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
