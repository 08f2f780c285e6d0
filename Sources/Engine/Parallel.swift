import Foundation

/// Splits loops over the machine's cores. OpenBLAS runs single-threaded (see CBLASCoreType), so every
/// loop, GEMMs included, is split here and no two thread pools ever compete for the cores.
public enum Parallel {
    /// Threads a loop is split over: `requestedThreads` if set, else this machine's cores shared among
    /// the processes of an MPI job on it (OMPI_COMM_WORLD_LOCAL_SIZE), so K ranks never oversubscribe.
    public static let workers = requestedThreads ?? defaultThreads(environment: ProcessInfo.processInfo.environment)

    /// `--threads`; read once, at the first parallel loop, so it must be set before any.
    nonisolated(unsafe) public static var requestedThreads: Int?

    /// Cores divided among the ranks launched on this machine, at least one each.
    public static func defaultThreads(environment: [String: String],
                                      cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        let ranksHere = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap { Int($0) } ?? 1
        return max(1, cores / max(ranksHere, 1))
    }

    /// The threads besides the caller's; see WorkerPool for why not GCD.
    @usableFromInline static let pool = WorkerPool(helpers: workers - 1)

    /// Calls `body` on disjoint chunks covering 0..<count, one chunk per core when the work is worth it.
    /// `grain` is the smallest count worth a thread hop (about 20–50 µs of work).
    @inlinable
    public static func chunks(_ count: Int, grain: Int = 32_768, _ body: (Range<Int>) -> Void) {
        split(count, into: min(workers, count / max(grain, 1))) { _, range in body(range) }
    }

    /// Splits 0..<count into one contiguous part per core (fewer when count is small) and runs them at once.
    public static func parts(_ count: Int, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        split(count, into: min(workers, count), body)
    }

    /// Runs `body` on `parts` near-equal contiguous parts of 0..<count; on the caller alone when one.
    @usableFromInline
    static func split(_ count: Int, into parts: Int, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        guard parts > 1 else {
            if count > 0 { body(0, 0..<count) }
            return
        }
        pool.run(parts: parts) { part in
            body(part, (count * part / parts)..<(count * (part + 1) / parts))
        }
    }

    /// Zeroes `count` floats over all cores: a gradient buffer is megabytes, and one core alone
    /// writes it at half the speed of two.
    public static func zero(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
        chunks(count, grain: 65_536) { r in (buffer + r.lowerBound).initialize(repeating: 0, count: r.count) }
    }

    /// Copies `count` floats over all cores.
    public static func copy(_ source: UnsafePointer<Float>, to buffer: UnsafeMutablePointer<Float>, count: Int) {
        chunks(count, grain: 65_536) { r in (buffer + r.lowerBound).update(from: source + r.lowerBound, count: r.count) }
    }
}
