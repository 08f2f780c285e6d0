/// Average pooling and nearest-neighbour upsampling over [N, C, H, W].
extension Tensor {
    /// Mean over non-overlapping k×k windows: [N, C, H, W] → [N, C, H/k, W/k].
    public func avgPool(_ k: Int) -> Tensor {
        precondition(rank == 4 && shape[2] % k == 0 && shape[3] % k == 0, "avgPool(\(k)) of \(shape)")
        let (planes, h, w) = (shape[0] * shape[1], shape[2], shape[3])
        let (ho, wo) = (h / k, w / k)
        let scale = 1 / Float(k * k)
        let out = Tensor(uninitialized: [shape[0], shape[1], ho, wo])
        let (x, y) = (data, out.data)
        Parallel.chunks(planes, grain: max(1, 32_768 / max(h * w, 1))) { r in
            for p in r {
                for i in 0..<ho {
                    let o = y + (p * ho + i) * wo, top = x + (p * h + i * k) * w
                    if k == 2 {
                        // FastGAN's down-blocks: two rows, pairs of columns, in one vectorisable pass.
                        let bottom = top + w
                        for j in 0..<wo { o[j] = (top[2 * j] + top[2 * j + 1] + bottom[2 * j] + bottom[2 * j + 1]) * scale }
                        continue
                    }
                    for j in 0..<wo { o[j] = 0 }
                    for di in 0..<k {
                        let line = top + di * w
                        for j in 0..<wo { for dj in 0..<k { o[j] += line[j * k + dj] } }
                    }
                    for j in 0..<wo { o[j] *= scale }
                }
            }
        }
        return out.recorded(from: [self]) { out in
            // Every element of dx takes one share: written where nothing flowed into x yet, no zeroing pass.
            let (dx, adding) = self.gradBuffer(writesAll: true)
            let dy = out.gradBuffer
            Parallel.chunks(planes, grain: max(1, 32_768 / max(h * w, 1))) { r in
                for p in r {
                    for i in 0..<h {
                        let line = dx + (p * h + i) * w, g = dy + (p * ho + i / k) * wo
                        if k == 2 {
                            // The forward's pairs of columns as constant strides, so that the loop vectorises.
                            if adding {
                                for j in 0..<wo { line[2 * j] += scale * g[j]; line[2 * j + 1] += scale * g[j] }
                            } else {
                                for j in 0..<wo { line[2 * j] = scale * g[j]; line[2 * j + 1] = scale * g[j] }
                            }
                            continue
                        }
                        for j in 0..<wo {
                            let share = scale * g[j]
                            if adding { for dj in 0..<k { line[j * k + dj] += share } } else { for dj in 0..<k { line[j * k + dj] = share } }
                        }
                    }
                }
            }
        }
    }

    /// Mean over each whole plane: [N, C, H, W] → [N, C, 1, 1].
    public func globalAvgPool() -> Tensor { mean(to: [shape[0], shape[1], 1, 1]) }

    /// Repeats each pixel s×s: [N, C, H, W] → [N, C, s·H, s·W].
    public func upsampleNearest(_ s: Int = 2) -> Tensor {
        precondition(rank == 4, "upsampleNearest of \(shape)")
        let (planes, h, w) = (shape[0] * shape[1], shape[2], shape[3])
        let (ho, wo) = (h * s, w * s)
        let out = Tensor(uninitialized: [shape[0], shape[1], ho, wo])
        let (x, y) = (data, out.data)
        Parallel.chunks(planes, grain: max(1, 32_768 / max(ho * wo, 1))) { r in
            for p in r {
                for i in 0..<ho {
                    let line = x + (p * h + i / s) * w, o = y + (p * ho + i) * wo
                    for j in 0..<wo { o[j] = line[j / s] }
                }
            }
        }
        return out.recorded(from: [self]) { out in
            let (dx, dy) = (self.gradBuffer, out.gradBuffer)
            Parallel.chunks(planes, grain: max(1, 32_768 / max(ho * wo, 1))) { r in
                for p in r {
                    for i in 0..<ho {
                        let line = dx + (p * h + i / s) * w, g = dy + (p * ho + i) * wo
                        for j in 0..<wo { line[j / s] += g[j] }
                    }
                }
            }
        }
    }
}
