import CVectorMath

/// Batch normalisation of z [N, 2C, H, W] followed by the gated linear unit over channels:
/// [N, C, H, W] = u_a · σ(u_b), with u = BN(z), a its first C channels and b the rest. FastGAN's block
/// ends this way; fused, BN's output (twice the GLU's size) is neither written nor kept: one pass over
/// z forward, two backward, which recompute u from z (the first, with its sigmoid, leaves the gradient at
/// u in dz for the second), channel pair by pair. Statistics as in `batchNorm`.
/// With `noise` (planes [N, 1, H, W] and a scale w, [1]) it normalises z + w · planes, FastGAN's noise
/// injection, and sends w its gradient: each pass adds the noise as it reads z, so the sum is never
/// written or kept (at 128 px, batch 32, a 67 MB tensor and two passes over it fewer per noisy up-block
/// conv and step).
public func batchNormGLU(
    _ z: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor,
    training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5, noise: (planes: Tensor, weight: Tensor)? = nil
) -> Tensor {
    OpClock.measure(.batchNorm) {
        precondition(z.rank == 4 && z.shape[1] % 2 == 0, "batchNormGLU of \(z.shape): expected [N, 2C, H, W]")
        precondition(noise.map { $0.planes.shape == [z.shape[0], 1, z.shape[2], z.shape[3]] && $0.weight.count == 1 } ?? true,
                     "noise planes \(noise?.planes.shape ?? []) for \(z.shape)")
        let (n, c2, plane) = (z.shape[0], z.shape[1], z.shape[2] * z.shape[3])
        let c = c2 / 2
        // Read through `noise` itself, which the backward closure holds, so the planes outlive forward.
        let weight = noise?.weight.data[0] ?? 0
        /// Image i's noise plane, or nil.
        func noisePlane(_ i: Int) -> UnsafePointer<Float>? { noise.map { UnsafePointer($0.planes.data + i * plane) } }
        let (mean, invStd, m) = channelStatistics(z, runningMean: runningMean, runningVar: runningVar, training: training,
                                                  momentum: momentum, epsilon: epsilon,
                                                  noise: noise.map { (UnsafePointer($0.planes.data), weight) })
        func norm(_ ch: Int) -> neurossia_norm {
            neurossia_norm(mean: mean.data[ch], inv: invStd.data[ch], gamma: gamma.data[ch], beta: beta.data[ch])
        }
        /// The a and b planes of image i, channel pair ch.
        func planes(_ base: UnsafeMutablePointer<Float>, _ i: Int, _ ch: Int) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) {
            (base + (i * c2 + ch) * plane, base + (i * c2 + c + ch) * plane)
        }
        let out = Tensor(uninitialized: [n, c, z.shape[2], z.shape[3]])
        let grain = max(1, 16_384 / max(n * plane, 1))
        Parallel.chunks(c, grain: grain) { pairs in
            for ch in pairs {
                let (a, b) = (norm(ch), norm(c + ch))
                for i in 0..<n {
                    let (za, zb) = planes(z.data, i, ch)
                    neurossia_norm_glu(za, zb, noisePlane(i), weight, out.data + (i * c + ch) * plane, plane, a, b)
                }
            }
        }
        return out.recorded(from: [z, gamma, beta] + (noise.map { [$0.weight] } ?? [])) { out in
            let dout = out.gradBuffer
            let dgamma = gamma.requiresGrad ? gamma.gradBuffer : nil, dbeta = beta.requiresGrad ? beta.gradBuffer : nil
            let dweight = noise.flatMap { $0.weight.requiresGrad ? $0.weight.gradBuffer : nil }
            let wantsDZ = z.requiresGrad || dweight != nil
            // The gradient reaching z + w · noise is z's; w's is its dot with the noise, summed per plane and
            // then in plane order. This op's share goes straight into dz (added where z already holds a
            // gradient) unless w needs it alone: then it is made in `du` first.
            let (dz, adding) = z.requiresGrad ? z.gradBuffer(writesAll: true) : (nil, false)
            let separate = dz == nil || adding && dweight != nil
            // du, the gradient at u, is kept from the first pass for the second, which then evaluates no
            // sigmoid: in dz itself where this op writes it, else in a tensor of z's size.
            let scratch = wantsDZ && (dz == nil || adding) ? Tensor(uninitialized: z.shape) : nil
            let du = scratch?.data ?? dz
            // Σdu and Σdu·x̂ of each of the 2C channels (sums[k] and sums[2C + k]): local ones feed γ and β
            // (whose gradients are summed with the rest), the whole batch's feed dz.
            var sums = [Double](repeating: 0, count: 2 * c2)
            var dots = [Float](repeating: 0, count: dweight == nil ? 0 : n * c2)
            sums.withUnsafeMutableBufferPointer { sumsBuffer in
                dots.withUnsafeMutableBufferPointer { dotsBuffer in
                    let (sums, dots) = (sumsBuffer, dotsBuffer)  // not inout: the passes below are handed on as closures
                    /// The first pass over pair ch: its sums, and du.
                    func sum(_ ch: Int) {
                        let (a, b) = (norm(ch), norm(c + ch))
                        var pair: [Float] = [0, 0, 0, 0]  // Σdu_a, Σdu_a·x̂_a, Σdu_b, Σdu_b·x̂_b
                        for i in 0..<n {
                            let (za, zb) = planes(z.data, i, ch)
                            let (dua, dub) = du.map { planes($0, i, ch) } ?? (nil, nil)
                            neurossia_norm_glu_sums(za, zb, noisePlane(i), weight, dout + (i * c + ch) * plane, plane, a, b, &pair, dua, dub)
                        }
                        for (k, sumDu, sumDuXhat) in [(ch, pair[0], pair[1]), (c + ch, pair[2], pair[3])] {
                            dgamma?[k] += sumDuXhat
                            dbeta?[k] += sumDu
                            (sums[k], sums[c2 + k]) = (Double(sumDu), Double(sumDuXhat))
                        }
                    }
                    /// The second: dz = p · du + q + r · x̂ per channel, BN's backward with the batch's statistics
                    /// (or its affine map's in evaluation), and w's dot products.
                    func backward(_ ch: Int) {
                        let (a, b) = (norm(ch), norm(c + ch))
                        let coefficients: [Float] = [ch, c + ch].flatMap { k -> [Float] in
                            let p = gamma.data[k] * invStd.data[k]
                            guard training else { return [p, 0, 0] }
                            return [p, -p * Float(sums[k]) / m, -p * Float(sums[c2 + k]) / m]
                        }
                        for i in 0..<n {
                            let (za, zb) = planes(z.data, i, ch), planeNoise = noisePlane(i)
                            let (dua, dub) = planes(du!, i, ch)
                            let (wa, wb) = separate ? (dua, dub) : planes(dz!, i, ch)
                            neurossia_norm_glu_backward(za, zb, planeNoise, weight, dua, dub, wa, wb, plane, a, b, coefficients,
                                                        !separate && adding ? 1 : 0)
                            if let planeNoise, !dots.isEmpty {
                                var sum: Float = 0
                                neurossia_sum_products(wa, planeNoise, 0, plane, &sum, &dots[i * c2 + ch])
                                neurossia_sum_products(wb, planeNoise, 0, plane, &sum, &dots[i * c2 + c + ch])
                            }
                            if separate, let dz {
                                let (da, db) = planes(dz, i, ch)
                                for l in 0..<plane { da[l] += wa[l]; db[l] += wb[l] }
                            }
                        }
                    }
                    BatchNormSync.backward(count: c, grain: grain, sums: sums, exchange: training && z.requiresGrad ? BatchNormSync.sum : nil,
                                           first: sum, second: wantsDZ ? backward : nil)
                }
            }
            dweight?[0] += dots.reduce(0, +)
        }
    }
}
