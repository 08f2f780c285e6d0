extension Tensor {
    /// x [N, C, H, W] → [N, C + 1, H, W]: x with one more channel holding, for each group of `group`
    /// consecutive pictures, the mean over (c, h, w) of the standard deviation across the group
    /// (Karras et al. 2018, "minibatch standard deviation"). A discriminator that sees it can tell a
    /// batch of near-alike pictures from a batch as varied as the data, which pushes the generator
    /// away from dropping kinds of picture. Groups are taken from consecutive pictures, so a process
    /// holding a slice of the batch (data-parallel) forms the groups the whole batch would when its
    /// slice is a multiple of `group`; a batch that `group` does not divide uses its largest divisor
    /// below `group`.
    public func appendingMinibatchDeviation(group requested: Int) -> Tensor {
        precondition(rank == 4 && requested >= 2, "minibatch deviation of \(shape) in groups of \(requested)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let group = Self.deviationGroup(requested, batch: n)
        let features = c * h * w
        let out = Tensor(uninitialized: [n, c + 1, h, w])
        let (x, y, groups) = (data, out.data, n / group)
        // Per group and feature: the mean and the deviation across the group, kept for backward; per
        // group: the deviations' mean, the statistic its pictures get.
        var means = [Float](repeating: 0, count: groups * features), deviations = means
        var statistics = [Float](repeating: 0, count: groups)
        for g in 0..<groups {
            let first = x + g * group * features
            for f in 0..<features {
                var mean: Float = 0
                for i in 0..<group { mean += first[i * features + f] }
                mean /= Float(group)
                var variance: Float = 0
                for i in 0..<group { let d = first[i * features + f] - mean; variance += d * d }
                means[g * features + f] = mean
                deviations[g * features + f] = (variance / Float(group) + Self.deviationEpsilon).squareRoot()
            }
            statistics[g] = deviations[g * features..<(g + 1) * features].reduce(0, +) / Float(features)
        }
        for i in 0..<n {
            (y + i * (c + 1) * h * w).update(from: x + i * features, count: features)
            (y + (i * (c + 1) + c) * h * w).update(repeating: statistics[i / group], count: h * w)
        }
        return out.recorded(from: [self]) { out in
            // ∂σ̄/∂x_i = (x_i − μ) / (G · σ · CHW) for each feature; the channel's gradient is summed over
            // the group's planes.
            let (dy, dx) = (out.gradBuffer, self.gradBuffer)
            for g in 0..<groups {
                var upstream: Float = 0
                for i in g * group..<(g + 1) * group {
                    let plane = dy + (i * (c + 1) + c) * h * w
                    for p in 0..<(h * w) { upstream += plane[p] }
                }
                let scale = upstream / Float(group * features)
                for f in 0..<features {
                    let (mean, factor) = (means[g * features + f], scale / deviations[g * features + f])
                    for image in g * group..<(g + 1) * group {
                        dx[image * features + f] += dy[image * (c + 1) * h * w + f] + factor * (x[image * features + f] - mean)
                    }
                }
            }
        }
    }

    /// Keeps the square root finite where every picture of a group agrees.
    static let deviationEpsilon: Float = 1e-8

    /// The largest group size from 2 to `requested` that divides `batch` (1 when none does: then the
    /// statistic is 0.0001, ε's root, for every picture, and nothing flows back through it).
    static func deviationGroup(_ requested: Int, batch: Int) -> Int {
        (2...max(2, requested)).reversed().first { batch % $0 == 0 } ?? 1
    }
}
