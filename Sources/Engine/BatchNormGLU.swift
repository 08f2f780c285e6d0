import CVectorMath

/// Batch normalisation of z [N, 2C, H, W] followed by the gated linear unit over channels:
/// [N, C, H, W] = u_a · σ(u_b), with u = BN(z), a its first C channels and b the rest. FastGAN's block
/// ends this way; fused, BN's output (twice the GLU's size) is neither written nor kept: one pass over
/// z forward, two backward, which recompute u from z. Statistics as in `batchNorm`.
/// In evaluation without a graph, `noise` (planes [N, 1, H, W] and a scale w) normalises
/// z.addingNoise(planes, scaledBy: w) as it reads z, with the same values: generation's noise
/// injection without a pass of its own.
public func batchNormGLU(
    _ z: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor,
    training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5, noise: (planes: Tensor, weight: Tensor)? = nil
) -> Tensor {
    OpClock.measure(.batchNorm) {
        precondition(z.rank == 4 && z.shape[1] % 2 == 0, "batchNormGLU of \(z.shape): expected [N, 2C, H, W]")
        precondition(noise == nil || !training && !isRecordingGradients,
                     "batchNormGLU adds noise only in evaluation without a graph")
        precondition(noise.map { $0.planes.shape == [z.shape[0], 1, z.shape[2], z.shape[3]] && $0.weight.count == 1 } ?? true,
                     "noise planes \(noise?.planes.shape ?? []) for \(z.shape)")
        let (n, c2, plane) = (z.shape[0], z.shape[1], z.shape[2] * z.shape[3])
        let c = c2 / 2
        let (mean, invStd, m) = channelStatistics(z, runningMean: runningMean, runningVar: runningVar, training: training,
                                                  momentum: momentum, epsilon: epsilon)
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
                    neurossia_norm_glu(za, zb, noise.map { UnsafePointer($0.planes.data + i * plane) }, noise?.weight.data[0] ?? 0,
                                       out.data + (i * c + ch) * plane, plane, a, b)
                }
            }
        }
        return out.recorded(from: [z, gamma, beta]) { out in
            let dout = out.gradBuffer
            let dgamma = gamma.requiresGrad ? gamma.gradBuffer : nil, dbeta = beta.requiresGrad ? beta.gradBuffer : nil
            // Σdu and Σdu·x̂ of each of the 2C channels (sums[k] and sums[2C + k]): local ones feed γ and β
            // (whose gradients are summed with the rest), the whole batch's feed dz.
            var sums = [Double](repeating: 0, count: 2 * c2)
            sums.withUnsafeMutableBufferPointer { sums in
                Parallel.chunks(c, grain: grain) { pairs in
                    for ch in pairs {
                        let (a, b) = (norm(ch), norm(c + ch))
                        var pair: [Float] = [0, 0, 0, 0]  // Σdu_a, Σdu_a·x̂_a, Σdu_b, Σdu_b·x̂_b
                        for i in 0..<n {
                            let (za, zb) = planes(z.data, i, ch)
                            neurossia_norm_glu_sums(za, zb, dout + (i * c + ch) * plane, plane, a, b, &pair)
                        }
                        for (k, sumDu, sumDuXhat) in [(ch, pair[0], pair[1]), (c + ch, pair[2], pair[3])] {
                            dgamma?[k] += sumDuXhat
                            dbeta?[k] += sumDu
                            (sums[k], sums[c2 + k]) = (Double(sumDu), Double(sumDuXhat))
                        }
                    }
                }
                if training && z.requiresGrad { BatchNormSync.sum?(sums) }
            }
            guard z.requiresGrad else { return }
            let (dz, adding) = z.gradBuffer(writesAll: true)
            Parallel.chunks(c, grain: grain) { pairs in
                for ch in pairs {
                    let (a, b) = (norm(ch), norm(c + ch))
                    // dz = p · du + q + r · x̂ per channel: BN's backward with the batch's statistics, or its
                    // affine map's in evaluation.
                    let coefficients: [Float] = [ch, c + ch].flatMap { k -> [Float] in
                        let p = gamma.data[k] * invStd.data[k]
                        guard training else { return [p, 0, 0] }
                        return [p, -p * Float(sums[k]) / m, -p * Float(sums[c2 + k]) / m]
                    }
                    for i in 0..<n {
                        let (za, zb) = planes(z.data, i, ch), (da, db) = planes(dz, i, ch)
                        neurossia_norm_glu_backward(za, zb, dout + (i * c + ch) * plane, da, db, plane, a, b, coefficients,
                                                    adding ? 1 : 0)
                    }
                }
            }
        }
    }
}
