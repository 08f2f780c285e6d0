import CBLAS
import CBLASCoreType

/// Row-major single-precision GEMM on the calling thread: C[M, N] = alpha · op(A) · op(B) + beta · C.
/// OpenBLAS is single-threaded here (see CBLASCoreType); callers split work over cores themselves.
/// A product with one row or one column of output is a matrix-vector product: sgemv reads the matrix
/// once, where sgemm would first copy all of it into its packed layout.
@inline(__always)
func gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
    if n == 1 && k > 1 {
        // c[:, 0] = op(A) · (column 0 of op(B)), whose elements lie ldb apart unless B is transposed.
        let (rows, columns) = transA ? (k, m) : (m, k)
        cblas_sgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), alpha, a, Int32(lda),
                    b, transB ? 1 : Int32(ldb), beta, c, Int32(ldc))
    } else if m == 1 && k > 1 {
        // c[0, :] = op(B)ᵀ · (row 0 of op(A)), whose elements lie lda apart when A is transposed.
        let (rows, columns) = transB ? (n, k) : (k, n)
        cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, Int32(rows), Int32(columns), alpha, b, Int32(ldb),
                    a, transA ? Int32(lda) : 1, beta, c, 1)
    } else {
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// The same GEMM split over cores by blocks of C's columns (or rows, when C is tall and narrow), each
/// block at least 256K multiply-adds (tens of µs), below which handing work to a core costs more than it saves.
func parallelGEMM(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
    let work = m * n * k
    if n >= m {
        Parallel.chunks(n, grain: max(16, n * 262_144 / max(work, 1))) { cols in
            gemm(transA: transA, transB: transB, m: m, n: cols.count, k: k, a, lda: lda,
                 b + (transB ? cols.lowerBound * ldb : cols.lowerBound), ldb: ldb, beta: beta, c + cols.lowerBound, ldc: ldc)
        }
    } else {
        Parallel.chunks(m, grain: max(16, m * 262_144 / max(work, 1))) { rows in
            gemm(transA: transA, transB: transB, m: rows.count, n: n, k: k,
                 a + (transA ? rows.lowerBound : rows.lowerBound * lda), lda: lda, b, ldb: ldb,
                 beta: beta, c + rows.lowerBound * ldc, ldc: ldc)
        }
    }
}

/// What OpenBLAS runs on, for benchmarks and diagnostics.
public enum BLASInfo {
    /// The kernel family in use, e.g. "Haswell", "SkylakeX", "Zen".
    public static var core: String { String(cString: neurossia_openblas_core()) }
    /// The family OpenBLAS chose by itself when Neurossia had to correct it, else nil.
    public static var misdetected: String? { neurossia_openblas_misdetected().map { String(cString: $0) } }
    /// The widest vector instructions the CPU offers: "avx512", "avx2", "avx" or "sse".
    public static var cpuISA: String { String(cString: neurossia_cpu_isa()) }

    /// One line: "OpenBLAS core SkylakeX (corrected from Prescott), CPU avx512, 2 cores".
    public static var summary: String {
        let fixed = misdetected.map { " (corrected from \($0))" } ?? ""
        return "OpenBLAS core \(core)\(fixed), CPU \(cpuISA), \(Parallel.workers) cores"
    }
}
