import CDNNL
import CGEMM

/// How GEMM inputs are rounded in training and generation: what a theme's `training.precision` names.
/// Weights, gradients, optimiser state and batch-norm statistics stay fp32 in every case; `bf16`
/// rounds only the two inputs of each matrix product, which is summed in fp32.
public enum Precision: String, CaseIterable, Sendable, Codable {
    case fp32, bf16
    /// bf16 where the CPU multiplies it natively (AVX-512 BF16), else fp32.
    case auto

    /// The backend this precision runs on with this CPU.
    public func backend() throws(PrecisionError) -> GEMMBackend {
        switch self {
        case .fp32: return .fastestFP32
        case .bf16:
            guard GEMMBackend.cpuHasBF16 else { throw .bf16Unsupported(cpu: BLASInfo.cpuISA) }
            return .oneDNNBF16
        case .auto: return GEMMBackend.cpuHasBF16 ? .oneDNNBF16 : .fastestFP32
        }
    }
}

/// A precision this CPU cannot run.
public enum PrecisionError: Error, Equatable, CustomStringConvertible {
    case bf16Unsupported(cpu: String)

    public var description: String {
        switch self {
        case .bf16Unsupported(let cpu):
            return "precision bf16 needs AVX-512 BF16, which this CPU (\(cpu)) lacks; use fp32 or auto"
        }
    }
}

/// The library and number format that every GEMM in Engine (convolutions, transposed convolutions,
/// matrix products, in both directions) runs with; one per process, set through `use(_:)`.
public enum GEMMBackend: String, CaseIterable, Sendable {
    /// OpenBLAS cblas_sgemm.
    case openBLAS = "openblas"
    /// oneDNN dnnl_sgemm.
    case oneDNN = "onednn"
    /// oneDNN gemm_bf16bf16f32: inputs rounded to bfloat16 (8-bit significand), fp32 sums and output.
    case oneDNNBF16 = "onednn-bf16"

    public var precision: Precision { self == .oneDNNBF16 ? .bf16 : .fp32 }

    /// What runs, for the trainer's and the benchmarks' printouts: "bf16 (AVX-512 BF16, oneDNN 2.6.3)".
    public var description: String {
        switch self {
        case .openBLAS: return "fp32 (OpenBLAS \(BLASInfo.core) sgemm)"
        case .oneDNN: return "fp32 (oneDNN \(GEMMBackend.oneDNNVersion) sgemm)"
        case .oneDNNBF16: return "bf16 (AVX-512 BF16, oneDNN \(GEMMBackend.oneDNNVersion) gemm_bf16bf16f32)"
        }
    }

    /// True when the CPU and OS run AVX-512 BF16 instructions (CPUID leaf 7.1 EAX bit 5).
    public static let cpuHasBF16 = neurossia_cpu_has_avx512_bf16() != 0

    /// oneDNN's version, "2.6.3".
    public static var oneDNNVersion: String {
        guard let v = dnnl_version()?.pointee else { return "?" }
        return "\(v.major).\(v.minor).\(v.patch)"
    }

    /// The fp32 library for this process: OpenBLAS. Measured on a 2-core Zen 4 (AVX-512), oneDNN 2.6
    /// sgemm runs DCGAN-64's forward tiles 1.1–1.3× faster per core (`bench gemm`: 128×256×1024 110 vs
    /// 101 GFLOP/s, 64×1024×48 107 vs 83) but the first layer's weight-gradient tile (NT 64×48×1024) at
    /// 0.55×, and whole steps (`bench train --backend`, alternating rounds) came out even in training
    /// (57.2 vs 57.9 img/s) and slower in generation (469 vs 636 img/s, transposed-A tiles). OpenBLAS
    /// also needs no OpenMP runtime; oneDNN stays selectable (`use(.oneDNN)`).
    public static let fastestFP32: GEMMBackend = .openBLAS

    /// The backend in use; fp32 until someone chooses, so that nothing changes precision silently.
    public private(set) nonisolated(unsafe) static var current: GEMMBackend = fastestFP32

    /// Makes `precision` the process's GEMM precision and returns the backend that now runs. Call it
    /// once before training or generating starts, never while another thread multiplies.
    @discardableResult
    public static func use(_ precision: Precision) throws(PrecisionError) -> GEMMBackend {
        let backend = try precision.backend()
        current = backend
        return backend
    }

    /// Makes `backend` current; for benchmarks and tests that compare backends. bf16 on a CPU without it
    /// is refused as in `use(_:)`.
    public static func use(_ backend: GEMMBackend) throws(PrecisionError) {
        if backend == .oneDNNBF16 && !cpuHasBF16 { throw .bf16Unsupported(cpu: BLASInfo.cpuISA) }
        current = backend
    }
}
