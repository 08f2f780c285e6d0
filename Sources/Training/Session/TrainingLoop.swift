import Checkpoint
import Evaluation
import Foundation

/// Drives one session: steps until the budget, a deadline or a stop request, with sample grids and
/// checkpoints on the theme's schedule, a JSONL log line every few seconds, and a rollback (halving
/// the learning rate) when a loss or weight stops being finite. Always ends on a fresh checkpoint.
/// Data-parallel, rank 0 runs this as a lone process would and the other ranks step with it: before
/// each step rank 0's word (step, roll back, stop) reaches all, so every rank takes the same path.
public final class TrainingLoop {
    public enum Outcome: Equatable { case budgetReached, deadline, stopped }

    public let session: TrainingSession
    public let stop: StopSignal
    public let progress: ProgressLine
    /// Nil on the ranks that do not write (all but rank 0 of a data-parallel job).
    let log: RunLog?
    /// The line logged at the start: "started", or where the session resumed from.
    public let startNote: String
    /// Seconds between ordinary log lines.
    public var logInterval = 10.0
    /// Below this learning rate a diverging theme is given up rather than halved again.
    public static let smallestLearningRate = 1e-7
    /// Wall time of steps in this process, for the share spent in allreduce.
    public private(set) var stepSeconds = 0.0

    /// Rank 0's word before each step, in the order the loop checks them.
    enum Word: Int32 { case step, rollBack, budgetReached, deadline, stopped }

    /// Whether this process writes the theme's files: a lone process, or rank 0 of a data-parallel job.
    var writes: Bool { session.team?.isLeader ?? true }

    /// Opens the theme's log and resumes the session from its state file; otherwise it continues from
    /// the generator file, starts from the `init_from` theme's weights or from random ones, and writes the first checkpoint (so a rollback always has a good
    /// state) and sample. Data-parallel, only rank 0 reads files; the others receive its state.
    public init(session: TrainingSession, stop: StopSignal, progress: ProgressLine) throws {
        self.session = session
        self.stop = stop
        self.progress = progress
        let backend = try session.useGEMMPrecision()
        if session.team?.isLeader ?? true {
            try FileManager.default.createDirectory(at: session.folder, withIntermediateDirectories: true)
            log = try RunLog(appendingTo: session.path(RunLog.fileName))
            if let note = try session.resume() {
                startNote = note + "; precision " + backend.description
            } else {
                let start = try session.continueFromGenerator() ?? session.startFromInitialWeights() ?? "started"
                startNote = start + "; precision " + backend.description
                try session.saveCheckpoint()
                try session.writeSample()
            }
        } else {
            log = nil
            startNote = "following rank 0"
        }
        try session.shareLeaderState()
        let ranks = session.team.map { " (data-parallel over \($0.job.size) ranks)" } ?? ""
        try log?.append(record(event: startNote + ranks))
    }

    /// Trains until the budget, `deadline` or a stop request, then checkpoints.
    public func run(until deadline: Date? = nil) throws -> Outcome {
        try session.useGEMMPrecision()
        var window = LossWindow(started: session.counters.seconds)
        var rate = 0.0
        var rollBackReason: String?
        let training = session.theme.training
        defer { progress.finish() }
        var word = Word.step
        while true {
            word = try agree(ownWord(rollBackReason: rollBackReason, deadline: deadline))
            if word == .rollBack {
                try rollBack(reason: rollBackReason ?? "rank 0's weights are not finite")
                rollBackReason = nil
                continue
            }
            guard word == .step else { break }
            let start = ProcessInfo.processInfo.systemUptime
            let images = session.counters.imagesSeen
            if session.step() {
                window.add(session.losses)
            } else {
                try rollBack(reason: "non-finite loss")
                continue
            }
            let spent = ProcessInfo.processInfo.systemUptime - start
            stepSeconds += spent
            session.addTime(spent)
            guard writes else { continue }
            let instant = Double(session.counters.imagesSeen - images) / max(spent, 1e-9)
            rate = rate == 0 ? instant : 0.8 * rate + 0.2 * instant
            let (seen, seconds) = (session.counters.imagesSeen, session.counters.seconds)
            if training.sampleEvery.hasPassed(since: session.counters.lastSample, images: seen, seconds: seconds) {
                try timed { try session.writeSample() }
            }
            if training.evalPictures > 0,
               training.evalEvery.hasPassed(since: session.counters.lastEval ?? .init(), images: seen, seconds: seconds) {
                try timed { try measureQuality() }
            }
            if training.checkpointEvery.hasPassed(since: session.counters.lastCheckpoint, images: seen, seconds: seconds) {
                guard session.weightsAreFinite else { rollBackReason = "non-finite weights"; continue }
                try timed { try session.saveCheckpoint() }
                try log?.append(record(rate: rate, losses: window.take(at: session.counters.seconds), event: "checkpoint"))
            } else if seconds - window.started >= logInterval {
                try log?.append(record(rate: rate, losses: window.take(at: session.counters.seconds)))
            }
            progress.update(session, imagesPerSecond: rate)
        }
        if writes { progress.update(session, imagesPerSecond: rate, force: true) }
        guard session.weightsAreFinite else { try rollBack(reason: "non-finite weights"); return .stopped }
        let outcome: Outcome = word == .budgetReached ? .budgetReached : word == .deadline ? .deadline : .stopped
        guard writes else { return outcome }
        try timed { try session.writeSample() }
        try timed { try session.saveCheckpoint() }
        try log?.append(record(rate: rate, losses: window.take(at: session.counters.seconds), event: "checkpoint (\(outcome))"))
        if let team = session.team, stepSeconds > 0 {
            let steps = Double(max(team.steps, 1))
            progress.note(String(format: "%@  %d ranks: %.1f%% of step time in gradient allreduce (%.2f MB per step), "
                                 + "%.1f%% in %.0f batch-norm sums per step", session.theme.name, team.job.size,
                                 100 * team.allreduceSeconds / stepSeconds, Double(team.floatsSummed) * 4 / 1e6 / steps,
                                 100 * team.batchNormSeconds / stepSeconds, Double(team.batchNormSums) / steps))
        }
        return outcome
    }

    /// What this process would do next on its own.
    private func ownWord(rollBackReason: String?, deadline: Date?) -> Word {
        if rollBackReason != nil { return .rollBack }
        if stop.received != nil { return .stopped }
        if session.budgetReached { return .budgetReached }
        if let deadline, Date() >= deadline { return .deadline }
        return .step
    }

    /// Rank 0's word on every rank; a lone process's own.
    private func agree(_ word: Word) throws -> Word {
        guard let team = session.team else { return word }
        return Word(rawValue: try team.leaderSays(word.rawValue)) ?? .stopped
    }

    /// Counts the time of samples and checkpoints as training time.
    private func timed(_ body: () throws -> Void) rethrows {
        let start = ProcessInfo.processInfo.systemUptime
        try body()
        session.addTime(ProcessInfo.processInfo.systemUptime - start)
    }

    /// Logs and shows a measurement of the averaged generator. A failed one (too few pictures to
    /// measure) is logged and training goes on.
    private func measureQuality() throws {
        do {
            let result = try session.measureQuality()
            let best = try session.keepIfBest(result)
            try log?.append(record(event: "eval", quality: result.summary))
            progress.note(String(format: "%@  %.1f kimg  SWD %.1f (floor %.1f)  colour %.2f (floor %.2f)  over %d pictures%@",
                                 session.theme.name, session.kimg, result.swd.average, result.swdFloor.average,
                                 result.colour.mean, result.colourFloor.mean, result.pictures,
                                 best ? "  best so far: \(CheckpointFiles.best)" : ""))
        } catch let error as EvaluationError {
            try log?.append(record(event: "eval skipped: \(error)"))
            progress.note("\(session.theme.name)  not measured: \(error) (training goes on; training.eval_pictures: 0 stops measuring)")
        }
    }

    /// Back to the last checkpoint with half the learning rate; gives up when it is already tiny.
    /// Data-parallel, every rank calls this at the same step and receives rank 0's restored state.
    func rollBack(reason: String) throws {
        if writes {
            try session.resume()
            session.halveLearningRate()
        }
        try session.shareLeaderState()
        guard session.learningRate >= Self.smallestLearningRate else { throw Diverged(theme: session.theme.name) }
        guard writes else { return }
        try session.saveCheckpoint()
        try log?.append(record(event: "rollback: \(reason), lr halved to \(String(format: "%g", session.learningRate))"))
    }

    private func record(rate: Double = 0, losses: [String: Double] = [:], event: String? = nil,
                        quality: [String: Double]? = nil) -> RunLogRecord {
        RunLogRecord(step: session.counters.step, kimg: session.kimg, seconds: session.counters.seconds,
                     imagesPerSecond: rate, learningRate: session.learningRate, losses: losses, event: event, quality: quality)
    }
}

/// Loss terms averaged over the steps since the last log line, each over the steps that had it
/// (G has none while D warms up alone).
struct LossWindow {
    var sums: [String: (total: Double, steps: Int)] = [:]
    var started: Double

    mutating func add(_ losses: [(name: String, value: Float)]) {
        for (name, value) in losses {
            let sum = sums[name, default: (0, 0)]
            sums[name] = (sum.total + Double(value), sum.steps + 1)
        }
    }

    /// The averages so far; the next window starts at `seconds` of training time.
    mutating func take(at seconds: Double) -> [String: Double] {
        defer { sums = [:]; started = seconds }
        return sums.mapValues { $0.total / Double($0.steps) }
    }
}

public struct Diverged: Error, CustomStringConvertible {
    public let theme: String
    public var description: String {
        "\(theme) keeps producing non-finite values even at a tiny learning rate; lower training.lr in its theme file or start over with --fresh"
    }
}
