import CBLAS
import CBLASCoreType
import CGEMM

/// Row-major GEMM on the calling thread, C[M, N] = alpha · op(A) · op(B) + beta · C, by the process's
/// `GEMMBackend.current`: every matrix product in Engine goes through here. The libraries run
/// single-threaded here (see CBLASCoreType and CGEMM); callers split work over cores themselves.
/// `a16`/`b16` are optional bf16 copies of A and B laid out like them (`BF16Copy`), which the bf16
/// backend uses instead of rounding the operand again; the fp32 backends ignore them.
/// A product with one row or one column of output is a matrix-vector product: sgemv reads the matrix
/// once, where sgemm would first copy all of it into its packed layout. It stays fp32 in every
/// precision: next to its memory traffic the multiply-adds cost nothing. `backend` overrides the
/// process's choice for callers that measured another library faster on their shapes.
@inline(__always)
func gemm(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int,
    a16: UnsafePointer<UInt16>? = nil, b16: UnsafePointer<UInt16>? = nil, backend: GEMMBackend = GEMMBackend.current
) {
    let started = OpClock.startGEMM()
    defer { OpClock.stopGEMM(started, multiplyAdds: m * n * k) }
    if n == 1 && k > 1 {
        // c[:, 0] = op(A) · (column 0 of op(B)), whose elements lie ldb apart unless B is transposed.
        let (rows, columns) = transA ? (k, m) : (m, k)
        cblas_sgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), alpha, a, Int32(lda),
                    b, transB ? 1 : Int32(ldb), beta, c, Int32(ldc))
        return
    }
    if m == 1 && k > 1 {
        // c[0, :] = op(B)ᵀ · (row 0 of op(A)), whose elements lie lda apart when A is transposed.
        let (rows, columns) = transB ? (n, k) : (k, n)
        cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, Int32(rows), Int32(columns), alpha, b, Int32(ldb),
                    a, transA ? Int32(lda) : 1, beta, c, 1)
        return
    }
    switch backend {
    case .openBLAS:
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    case .oneDNN:
        neurossia_dnnl_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    case .oneDNNBF16:
        neurossia_dnnl_gemm_bf16(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, a16, lda, b, b16, ldb, beta, c, ldc)
    }
}

/// The same GEMM split over cores by blocks of C's columns (or rows, when C is tall and narrow), each
/// block at least 256K multiply-adds (tens of µs), below which handing work to a core costs more than it saves.
func parallelGEMM(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int,
    a16: UnsafePointer<UInt16>? = nil, b16: UnsafePointer<UInt16>? = nil
) {
    let work = m * n * k
    if n >= m {
        Parallel.chunks(n, grain: max(16, n * 262_144 / max(work, 1))) { cols in
            let offset = transB ? cols.lowerBound * ldb : cols.lowerBound
            gemm(transA: transA, transB: transB, m: m, n: cols.count, k: k, a, lda: lda, b + offset, ldb: ldb,
                 beta: beta, c + cols.lowerBound, ldc: ldc, a16: a16, b16: b16.map { $0 + offset })
        }
    } else {
        Parallel.chunks(m, grain: max(16, m * 262_144 / max(work, 1))) { rows in
            let offset = transA ? rows.lowerBound : rows.lowerBound * lda
            gemm(transA: transA, transB: transB, m: rows.count, n: n, k: k, a + offset, lda: lda, b, ldb: ldb,
                 beta: beta, c + rows.lowerBound * ldc, ldc: ldc, a16: a16.map { $0 + offset }, b16: b16)
        }
    }
}

/// C[M, N] = A · B of operands given only as their bf16 rounding, row-major, on the calling thread: for
/// operands made in bf16 (Winograd's transformed inputs) or kept so (its transformed weights).
func gemm(m: Int, n: Int, k: Int, a16: UnsafePointer<UInt16>, lda: Int, b16: UnsafePointer<UInt16>, ldb: Int,
          _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    let started = OpClock.startGEMM()
    defer { OpClock.stopGEMM(started, multiplyAdds: m * n * k) }
    neurossia_dnnl_gemm_bf16(0, 0, m, n, k, 1, nil, a16, lda, nil, b16, ldb, 0, c, ldc)
}

/// A bf16 copy of an operand that several GEMMs read (a layer's weight, read by every tile on every
/// core), rounded once over all cores rather than once per call; nil unless the current backend
/// multiplies in bf16. Same layout as the fp32 data, so pointer offsets carry over. Backward makes its
/// own again rather than keeping forward's: the values are the same until the optimiser steps, and
/// copies held from forward to backward by every layer at once were 43 MB of DCGAN-128's bf16 peak
/// (a pass over each weight per backward is a fraction of a percent of its step).
struct BF16Copy {
    let storage: Storage
    let pointer: UnsafePointer<UInt16>
    /// Values, each two bytes.
    let count: Int

    init?(_ source: UnsafePointer<Float>, count: Int) {
        self.init(count: count)
        round(source, count: count, at: 0)
    }

    /// Room for `count` values, filled by `round`.
    init?(count: Int) {
        guard GEMMBackend.current == .oneDNNBF16 else { return nil }
        self.count = count
        storage = Storage(count: (count + 1) / 2)
        pointer = UnsafePointer(UnsafeMutableRawPointer(storage.base).bindMemory(to: UInt16.self, capacity: count))
    }

    /// Rounds `count` values of `source` into the copy from element `offset` on, over all cores.
    func round(_ source: UnsafePointer<Float>, count: Int, at offset: Int) {
        let halves = UnsafeMutablePointer(mutating: pointer) + offset
        Parallel.chunks(count, grain: 65_536) { r in neurossia_to_bf16(source + r.lowerBound, halves + r.lowerBound, r.count) }
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

    /// Whether OpenBLAS runs narrower kernels than the CPU offers: OPENBLAS_CORETYPE from the
    /// environment, which Neurossia leaves as the user set it.
    public static var narrowerThanCPU: Bool { neurossia_openblas_core_is_narrower() != 0 }

    /// One line: "OpenBLAS core SkylakeX (corrected from Prescott), CPU avx512, 2 cores", and where the
    /// environment holds OpenBLAS below the CPU, how to lift it: DCGAN-128 trained 1.24× faster in
    /// float32 on a Zen 5's own kernels than under an inherited OPENBLAS_CORETYPE=Haswell.
    public static var summary: String {
        let fixed = misdetected.map { " (corrected from \($0))" } ?? ""
        let held = narrowerThanCPU ? " (OPENBLAS_CORETYPE=\(core) from the environment holds float32 GEMMs below the CPU: unset it for its own kernels)" : ""
        return "OpenBLAS core \(core)\(fixed), CPU \(cpuISA), \(Parallel.workers) cores\(held)"
    }
}
