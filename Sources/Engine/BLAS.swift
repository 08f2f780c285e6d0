import CBLAS
import CBLASCoreType

/// Row-major single-precision GEMM: C[M, N] = alpha · op(A) · op(B) + beta · C, where op transposes
/// when asked. All convolution and linear work funnels through here.
@inline(__always)
func gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
    cblas_sgemm(
        CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// What OpenBLAS runs on, for benchmarks and diagnostics.
public enum BLASInfo {
    /// The kernel family in use, e.g. "Haswell", "SkylakeX", "Zen".
    public static var core: String { String(cString: neurossia_openblas_core()) }
    /// The family OpenBLAS chose by itself when Neurossia had to correct it, else nil.
    public static var misdetected: String? { neurossia_openblas_misdetected().map { String(cString: $0) } }
    /// The widest vector instructions the CPU offers: "avx512", "avx2", "avx" or "sse".
    public static var cpuISA: String { String(cString: neurossia_cpu_isa()) }
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// One line: "OpenBLAS core SkylakeX (corrected from Prescott), 2 threads, CPU avx512".
    public static var summary: String {
        let fixed = misdetected.map { " (corrected from \($0))" } ?? ""
        return "OpenBLAS core \(core)\(fixed), \(threads) threads, CPU \(cpuISA)"
    }
}

/// Public raw GEMM for the kernel benchmark, which compares each layer with a plain sgemm of its size.
public func benchmarkGEMM(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
    gemm(m: m, n: n, k: k, a, lda: k, b, ldb: n, c, ldc: n)
}
