import Cluster
import Engine
import Foundation

/// The ranks of an MPI job training one theme together. Rank r holds positions r·B/K ..< (r+1)·B/K of
/// every global batch B (the theme's `training.batch`); rank 0 alone writes files and decides when to
/// stop, checkpoint or roll back, and the others follow its word each step.
public final class DataParallel {
    public let job: MPIJob
    /// Seconds in gradient allreduces, and floats summed, since the start (for `bench` and the log).
    public private(set) var allreduceSeconds = 0.0
    public private(set) var floatsSummed = 0
    /// Steps taken (each sums D's gradients and, outside D's warm-up, G's).
    public private(set) var steps = 0
    /// Batch norm's small sums (one per layer per forward and per backward), each a network latency.
    public private(set) var batchNormSums = 0
    public private(set) var batchNormSeconds = 0.0

    public init(job: MPIJob) {
        self.job = job
    }

    public var isLeader: Bool { job.isLeader }

    /// This rank's positions in a global batch of `batch`.
    public func slice(of batch: Int) -> Range<Int> {
        (batch * job.rank / job.size)..<(batch * (job.rank + 1) / job.size)
    }

    /// Sums gradients and `extras` over the ranks. An MPI failure here means a rank is gone: the job ends.
    func sum(_ buckets: GradientBuckets, extras: inout [Float], newStep: Bool) {
        if newStep { steps += 1 }
        let start = ProcessInfo.processInfo.systemUptime
        buckets.reduce(extras: &extras) { values in
            do { try job.sum(values) } catch { job.abort("\(error)") }
        }
        floatsSummed += buckets.floats(extras: extras.count)
        allreduceSeconds += ProcessInfo.processInfo.systemUptime - start
    }

    /// Batch norm's per-channel sums over the ranks.
    var batchNormSum: (UnsafeMutableBufferPointer<Double>) -> Void {
        { [self] values in
            let start = ProcessInfo.processInfo.systemUptime
            do { try job.sum(values) } catch { job.abort("\(error)") }
            batchNormSums += 1
            batchNormSeconds += ProcessInfo.processInfo.systemUptime - start
        }
    }

    /// Rank 0's `value` on every rank.
    func leaderSays<T: BitwiseCopyable>(_ value: T) throws -> T {
        try job.broadcast(value, from: 0)
    }
}
