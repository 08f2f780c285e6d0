import Dispatch
import Synchronization

/// Thread-seconds spent inside `gemm`, summed over cores, for `bench train`'s share of a step's time.
/// Off unless a benchmark turns it on; then it costs two clock reads per GEMM call.
public enum GEMMClock {
    public nonisolated(unsafe) static var isOn = false
    private static let total = Atomic<Int>(0)

    /// Seconds of GEMM summed over threads since the last reset.
    public static var seconds: Double { Double(total.load(ordering: .relaxed)) * 1e-9 }

    public static func reset() { total.store(0, ordering: .relaxed) }

    @inline(__always) static func start() -> UInt64 { isOn ? DispatchTime.now().uptimeNanoseconds : 0 }

    @inline(__always) static func stop(_ started: UInt64) {
        if started != 0 { total.add(Int(DispatchTime.now().uptimeNanoseconds - started), ordering: .relaxed) }
    }
}
