import CVectorMath

/// Spectral normalisation (Miyato et al. 2018): weight / σ(weight), with σ estimated by power
/// iteration on persistent vectors u [O] and v [I] (weight viewed as [O, I]). Like PyTorch, u and v
/// are constants to the gradient: ∂(W/σ) with σ = uᵀWv gives dW = G/σ − ⟨G, W⟩/σ² · u vᵀ.
public func spectralNormalized(_ weight: Tensor, u: Tensor, v: Tensor, powerIterations: Int = 1) -> Tensor {
    let rows = weight.shape[0], cols = weight.count / weight.shape[0]
    precondition(u.count == rows && v.count == cols, "spectral norm of \(weight.shape) needs u [\(rows)] and v [\(cols)]")
    let w = weight.data
    func normalize(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        var norm: Float = 0
        for i in 0..<count { norm += p[i] * p[i] }
        let scale = 1 / max(norm.squareRoot(), 1e-12)
        for i in 0..<count { p[i] *= scale }
    }
    let wv = Tensor(uninitialized: [rows])
    for _ in 0..<powerIterations {
        gemm(transA: true, m: cols, n: 1, k: rows, w, lda: cols, u.data, ldb: 1, v.data, ldc: 1)
        normalize(v.data, cols)
        gemm(m: rows, n: 1, k: cols, w, lda: cols, v.data, ldb: 1, u.data, ldc: 1)
        normalize(u.data, rows)
    }
    gemm(m: rows, n: 1, k: cols, w, lda: cols, v.data, ldb: 1, wv.data, ldc: 1)
    var sigma: Float = 0
    for i in 0..<rows { sigma += u.data[i] * wv.data[i] }
    let out = weight.affine(scale: 1 / sigma).detached()
    let frozenU = Tensor(Array(UnsafeBufferPointer(start: u.data, count: rows)), shape: [rows])
    let frozenV = Tensor(Array(UnsafeBufferPointer(start: v.data, count: cols)), shape: [cols])
    return out.recorded(from: [weight]) { out in
        let (g, dw, count) = (out.gradBuffer, weight.gradBuffer, weight.count)
        // ⟨G, W⟩ over fixed blocks of the weight, on both cores, summed in block order: the same bits on any
        // number of cores. One scalar sum over the weight had one core wait on the other for each layer.
        let blocks = UnsafeMutableBufferPointer<Float>.allocate(capacity: (count + innerBlock - 1) / innerBlock)
        defer { blocks.deallocate() }
        Parallel.chunks(blocks.count, grain: 1) { range in
            for b in range {
                var sum: Float = 0
                neurossia_sum_products(g + b * innerBlock, w + b * innerBlock, 0, min(innerBlock, count - b * innerBlock), &sum,
                                       blocks.baseAddress! + b)
            }
        }
        let k = blocks.reduce(0, +) / (sigma * sigma)
        let (fu, fv) = (frozenU.data, frozenV.data)
        Parallel.chunks(rows, grain: max(1, 32_768 / cols)) { range in
            for r in range {
                let ur = k * fu[r]
                for c in 0..<cols { dw[r * cols + c] += g[r * cols + c] / sigma - ur * fv[c] }
            }
        }
    }
}

/// Weight values per partial sum of spectral norm's ⟨G, W⟩.
private let innerBlock = 1 << 16
