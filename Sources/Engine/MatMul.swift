/// a [M, K] · b [K, N] → [M, N], or a · bᵀ for b [N, K] with `transposeB`. `rowsAreSamples`: a layer's
/// product, whose rows come out the same bits whatever batch holds them when no graph is recorded
/// (`bySampleBlocks`).
public func matmul(_ a: Tensor, _ b: Tensor, transposeB: Bool = false, rowsAreSamples: Bool = false) -> Tensor {
    OpClock.measure(.convolution) {
        let (m, k) = (a.shape[0], a.shape[1])
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(a.rank == 2 && b.rank == 2 && (transposeB ? b.shape[1] : b.shape[0]) == k,
                     "matmul of \(a.shape) and \(b.shape)\(transposeB ? "ᵀ" : "")")
        let out = Tensor(uninitialized: [m, n])
        let b16 = BF16Copy(b.data, count: b.count)
        let product = { (m: Int, a: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) in
            parallelGEMM(transB: transposeB, m: m, n: n, k: k, a, lda: k, b.data, ldb: transposeB ? k : n, c, ldc: n,
                         b16: b16?.pointer)
        }
        if rowsAreSamples && !(isRecordingGradients && (a.requiresGrad || b.requiresGrad)) {
            bySampleBlocks(rows: m, k: k, n: n, a.data, out.data, product)
        } else {
            product(m, a.data, out.data)
        }
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

/// Generating, a layer's rows are samples, and each must come out the same bits whatever else shares
/// its batch: `generate --count 3` makes the first three pictures of `--count 40`. BLAS kernels do not
/// promise that: OpenBLAS 0.3.21 rounds a row differently when M is below 32 (SkylakeX) or 48 (Haswell),
/// and columns by the width of the call. So such a product runs on blocks of exactly `sampleBlock` rows,
/// a short last one padded with zeros: every call has one shape, its columns split one way, and every
/// row lies in a full tile of the kernel.
private let sampleBlock = 64

/// c [rows, n] = a [rows, k] · B by `product(m, a, c)` on blocks of `sampleBlock` rows (see above).
private func bySampleBlocks(rows: Int, k: Int, n: Int, _ a: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                            _ product: (Int, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
    let whole = rows / sampleBlock * sampleBlock
    for start in stride(from: 0, to: whole, by: sampleBlock) { product(sampleBlock, a + start * k, c + start * n) }
    let tail = rows - whole
    guard tail > 0 else { return }
    let paddedA = Storage(count: sampleBlock * k), paddedC = Storage(count: sampleBlock * n)
    paddedA.base.update(from: a + whole * k, count: tail * k)
    (paddedA.base + tail * k).update(repeating: 0, count: (sampleBlock - tail) * k)
    product(sampleBlock, paddedA.base, paddedC.base)
    (c + whole * n).update(from: paddedC.base, count: tail * n)
}

/// x [N, I] · weightᵀ (weight [O, I]) + bias [O] → [N, O].
public func linear(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil) -> Tensor {
    let product = matmul(x, weight, transposeB: true, rowsAreSamples: true)
    return bias.map { product + $0 } ?? product
}
