/// a [M, K] · b [K, N] → [M, N], or a · bᵀ for b [N, K] with `transposeB`.
public func matmul(_ a: Tensor, _ b: Tensor, transposeB: Bool = false) -> Tensor {
    OpClock.measure(.convolution) {
        let (m, k) = (a.shape[0], a.shape[1])
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(a.rank == 2 && b.rank == 2 && (transposeB ? b.shape[1] : b.shape[0]) == k,
                     "matmul of \(a.shape) and \(b.shape)\(transposeB ? "ᵀ" : "")")
        let out = Tensor(uninitialized: [m, n])
        let b16 = BF16Copy(b.data, count: b.count)
        parallelGEMM(transB: transposeB, m: m, n: n, k: k, a.data, lda: k, b.data, ldb: transposeB ? k : n, out.data, ldc: n,
                     b16: b16?.pointer)
        return out.recorded(from: [a, b]) { out in
            let dy = out.gradBuffer
            if a.requiresGrad {
                // b's bfloat16 copy made again, not kept from forward (`BF16Copy`).
                let b16 = BF16Copy(b.data, count: b.count)
                parallelGEMM(transB: !transposeB, m: m, n: k, k: n, dy, lda: n, b.data, ldb: transposeB ? k : n,
                             beta: 1, a.gradBuffer, ldc: k, b16: b16?.pointer)
            }
            if b.requiresGrad {
                if transposeB {
                    parallelGEMM(transA: true, m: n, n: k, k: m, dy, lda: n, a.data, ldb: k, beta: 1, b.gradBuffer, ldc: k)
                } else {
                    parallelGEMM(transA: true, m: k, n: n, k: m, a.data, lda: k, dy, ldb: n, beta: 1, b.gradBuffer, ldc: n)
                }
            }
        }
    }
}

/// x [N, I] · weightᵀ (weight [O, I]) + bias [O] → [N, O].
public func linear(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil) -> Tensor {
    let product = matmul(x, weight, transposeB: true)
    return bias.map { product + $0 } ?? product
}
