import CVectorMath

extension Tensor {
    /// x · gate: x [N, C, H, W] with each plane scaled by its own factor, gate [N, C, 1, 1]. FastGAN's
    /// skip-layer excitation gates channels this way; as its own op the pass runs over whole planes
    /// (not the broadcast loop's rows), the input gradient is written without a zeroed buffer to add
    /// into, and each factor's gradient is one dot product of a plane: Σ dy · x.
    public func scaledPerPlane(by gate: Tensor) -> Tensor {
        precondition(rank == 4 && gate.shape == [shape[0], shape[1], 1, 1], "plane factors \(gate.shape) for \(shape)")
        let (planes, plane) = (shape[0] * shape[1], shape[2] * shape[3])
        let out = Tensor(uninitialized: shape)
        let (x, y, g) = (data, out.data, gate.data)
        let grain = max(1, 16_384 / max(plane, 1))
        Parallel.chunks(planes, grain: grain) { range in
            for p in range {
                let (src, dst, factor) = (x + p * plane, y + p * plane, g[p])
                for l in 0..<plane { dst[l] = src[l] * factor }
            }
        }
        return out.recorded(from: [self, gate]) { out in
            let dy = out.gradBuffer
            let dx = self.requiresGrad ? self.gradBuffer(writesAll: true) : nil
            let dgate = gate.requiresGrad ? gate.gradBuffer : nil
            Parallel.chunks(planes, grain: grain) { range in
                for p in range {
                    let d = dy + p * plane
                    if let (dx, adding) = dx {
                        let (o, factor) = (dx + p * plane, g[p])
                        if adding { for l in 0..<plane { o[l] += d[l] * factor } } else { for l in 0..<plane { o[l] = d[l] * factor } }
                    }
                    if let dgate {
                        var (sum, dot): (Float, Float) = (0, 0)
                        neurossia_sum_products(d, x + p * plane, 0, plane, &sum, &dot)
                        dgate[p] += dot
                    }
                }
            }
        }
    }
}
