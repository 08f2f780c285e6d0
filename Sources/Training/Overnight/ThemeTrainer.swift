import Checkpoint
import Datasets
import Foundation
import ThemeConfig

/// A theme made ready to train: its lock held, its dataset loaded, its session resumed.
/// Data-parallel, rank 0 holds the lock and archives; the other ranks load the dataset after it (so a
/// dataset cache on a shared folder is written once) and take its state.
public final class ThemeTrainer {
    public let theme: Theme
    /// Nil on ranks other than 0 of a data-parallel job.
    public let lock: TrainingLock?
    public let dataset: Dataset
    public let loop: TrainingLoop
    /// Wall time this process spent training the theme.
    public private(set) var secondsThisRun = 0.0

    /// `fresh` archives the previous run first. `report` receives human-readable lines (warnings for
    /// skipped pictures, the resume note).
    public init(theme: Theme, fresh: Bool, stop: StopSignal, progress: ProgressLine, team: DataParallel? = nil,
                report: (String) -> Void) throws {
        self.theme = theme
        let leads = team?.isLeader ?? true
        if leads {
            try FileManager.default.createDirectory(at: theme.checkpoint, withIntermediateDirectories: true)
            let lock = try TrainingLock(themeFolder: theme.checkpoint.path, theme: theme.name)
            if let holder = lock.tookOverFrom {
                report("\(theme.name): took over a stale lock of process \(holder.pid), which is gone")
            }
            self.lock = lock
            if fresh, let archive = try TrainingSession.archivePreviousRun(folder: theme.checkpoint) {
                report("\(theme.name): previous run moved to \(archive.path)")
            }
            dataset = try DatasetRegistry.load(DatasetRequest(theme: theme))
            try team?.job.barrier()
        } else {
            lock = nil
            try team?.job.barrier()
            dataset = try DatasetRegistry.load(DatasetRequest(theme: theme))
        }
        func quiet(_ line: String) { if leads { report(line) } }
        for skipped in dataset.summary.skipped { quiet("warning: \(theme.name): skipped \(skipped.message)") }
        quiet("\(theme.name): \(dataset.count) pictures" + (dataset.summary.skipped.isEmpty ? "" : ", \(dataset.summary.skipped.count) skipped"))
        let session = try TrainingSession(theme: theme, dataset: dataset)
        if let team { session.join(team) }
        loop = try TrainingLoop(session: session, stop: stop, progress: progress)
        quiet("\(theme.name): \(loop.startNote)")
    }

    public var session: TrainingSession { loop.session }

    /// Trains until the budget, `deadline` or a stop, counting the time.
    public func train(until deadline: Date?) throws -> TrainingLoop.Outcome {
        let start = Date()
        defer { secondsThisRun += Date().timeIntervalSince(start) }
        return try loop.run(until: deadline)
    }

    /// This theme's line in the training report.
    public func reportEntry() -> ReportEntry {
        ReportEntry(theme: theme, status: session.budgetReached ? .finished : .trained, secondsThisRun: secondsThisRun)
    }
}

extension ReportEntry {
    /// The report line of `theme` as its checkpoint folder shows it: kimg and total time from the last
    /// line of its log, the latest sample grid.
    public init(theme: Theme, status: Status, secondsThisRun: Double = 0) {
        let folder = theme.checkpoint
        let log = folder.appendingPathComponent(RunLog.fileName).path
        let last = (try? RunLog.read(log))?.records.last
        let grid = folder.appendingPathComponent("samples/latest.png").path
        self.init(name: theme.name, title: theme.title, status: status, kimg: last?.kimg ?? 0,
                  secondsThisRun: secondsThisRun, secondsTotal: last?.seconds ?? 0,
                  sampleGrid: FileManager.default.fileExists(atPath: grid) ? grid : nil, log: log)
    }
}
