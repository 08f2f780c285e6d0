import CVectorMath

extension Tensor {
    /// x + w · noise: x [N, C, H, W], noise [N, 1, H, W] (one plane per sample, shared by its channels)
    /// and w a learned [1]. FastGAN's noise injection in one pass each way, where a broadcast product
    /// and sum would take three passes and an extra tensor; backward hands dy to x as it is and gives
    /// w Σ dy · noise.
    public func addingNoise(_ noise: Tensor, scaledBy weight: Tensor) -> Tensor {
        precondition(rank == 4 && noise.shape == [shape[0], 1, shape[2], shape[3]] && weight.count == 1,
                     "noise \(noise.shape) with weight \(weight.shape) for \(shape)")
        let (channels, plane) = (shape[1], shape[2] * shape[3])
        let out = Tensor(uninitialized: shape)
        let (x, y, w) = (data, out.data, weight.data[0])
        let grain = max(1, 16_384 / max(plane, 1))
        Parallel.chunks(shape[0] * channels, grain: grain) { planes in
            for p in planes {
                let (src, dst, n) = (x + p * plane, y + p * plane, noise.data + p / channels * plane)
                for l in 0..<plane { dst[l] = src[l] + w * n[l] }
            }
        }
        // The closure holds `noise` itself, not a pointer into it: backward reads the planes, and a pointer
        // alone would let them go back to the pool when the forward pass drops the tensor.
        return out.recorded(from: [self, weight]) { out in
            let dy = out.gradBuffer
            if self.requiresGrad && !self.tookGradient(of: out) {
                accumulate(into: self.gradBuffer, shape: self.shape, from: dy, shape: self.shape)
            }
            guard weight.requiresGrad else { return }
            var dots = [Float](repeating: 0, count: self.shape[0] * channels)
            dots.withUnsafeMutableBufferPointer { dots in
                Parallel.chunks(dots.count, grain: grain) { planes in
                    for p in planes {
                        var sum: Float = 0
                        neurossia_sum_products(dy + p * plane, noise.data + p / channels * plane, 0, plane, &sum, &dots[p])
                    }
                }
            }
            weight.gradBuffer[0] += dots.reduce(0, +)
        }
    }
}
