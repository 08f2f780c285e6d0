/// Sums and means, over everything or down to a broadcast-compatible shape.
extension Tensor {
    /// Sums over the dimensions where `target` has size 1: [N, C, H, W] → [N, 1, 1, 1] sums each image.
    public func sum(to target: [Int]) -> Tensor {
        let out = Tensor(zeros: target)
        accumulate(into: out.data, shape: target, from: data, shape: shape)
        return out.recorded(from: [self]) { out in
            broadcastAdd(into: self.gradBuffer, shape: self.shape, from: out.gradBuffer, shape: out.shape)
        }
    }

    /// The mean over the dimensions where `target` has size 1.
    public func mean(to target: [Int]) -> Tensor {
        sum(to: target) * (Float(target.reduce(1, *)) / Float(max(count, 1)))
    }

    /// The sum of all values, shape [].
    public func sum() -> Tensor { sum(to: []) }

    /// The mean of all values, shape [].
    public func mean() -> Tensor { mean(to: []) }
}

/// dst += scale · broadcast(src): the backward of a reduction, where `src` is the small side.
func broadcastAdd(
    into dst: UnsafeMutablePointer<Float>, shape fullShape: [Int],
    from src: UnsafePointer<Float>, shape srcShape: [Int], scale: Float = 1
) {
    let loop = StridedLoop(shape: fullShape, operands: [fullShape, srcShape])
    loop.forEachRun(parallel: true) { o, n, s in
        let d = dst + o[0], x = src + o[1]
        if s[1] == 0 {
            let v = scale * x[0]
            for i in 0..<n { d[i] += v }
        } else {
            for i in 0..<n { d[i] += scale * x[i * s[1]] }
        }
    }
}
