import Evaluation
import Foundation

/// Drives one session: steps until the budget, a deadline or a stop request, with sample grids and
/// checkpoints on the theme's schedule, a JSONL log line every few seconds, and a rollback (halving
/// the learning rate) when a loss or weight stops being finite. Always ends on a fresh checkpoint.
public final class TrainingLoop {
    public enum Outcome: Equatable { case budgetReached, deadline, stopped }

    public let session: TrainingSession
    public let stop: StopSignal
    public let progress: ProgressLine
    let log: RunLog
    /// The line logged at the start: "started", or where the session resumed from.
    public let startNote: String
    /// Seconds between ordinary log lines.
    public var logInterval = 10.0
    /// Below this learning rate a diverging theme is given up rather than halved again.
    public static let smallestLearningRate = 1e-7

    /// Opens the theme's log and resumes the session from its state file; otherwise it continues from
    /// the generator file or starts, and writes the first checkpoint (so a rollback always has a good
    /// state) and sample.
    public init(session: TrainingSession, stop: StopSignal, progress: ProgressLine) throws {
        self.session = session
        self.stop = stop
        self.progress = progress
        try FileManager.default.createDirectory(at: session.folder, withIntermediateDirectories: true)
        log = try RunLog(appendingTo: session.path(RunLog.fileName))
        let backend = try session.useGEMMPrecision()
        if let note = try session.resume() {
            startNote = note + "; precision " + backend.description
        } else {
            startNote = (try session.continueFromGenerator() ?? "started") + "; precision " + backend.description
            try session.saveCheckpoint()
            try session.writeSample()
        }
        try log.append(record(event: startNote))
    }

    /// Trains until the budget, `deadline` or a stop request, then checkpoints.
    public func run(until deadline: Date? = nil) throws -> Outcome {
        try session.useGEMMPrecision()
        var window = LossWindow(started: session.counters.seconds)
        var rate = 0.0
        let training = session.theme.training
        defer { progress.finish() }
        while true {
            if stop.received != nil { break }
            if session.budgetReached { break }
            if let deadline, Date() >= deadline { break }
            let start = ProcessInfo.processInfo.systemUptime
            let images = session.counters.imagesSeen
            if session.step() {
                window.add(session.losses)
            } else {
                try rollBack(reason: "non-finite loss")
                continue
            }
            let spent = ProcessInfo.processInfo.systemUptime - start
            session.addTime(spent)
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
                guard session.weightsAreFinite else { try rollBack(reason: "non-finite weights"); continue }
                try timed { try session.saveCheckpoint() }
                try log.append(record(rate: rate, losses: window.take(at: session.counters.seconds), event: "checkpoint"))
            } else if seconds - window.started >= logInterval {
                try log.append(record(rate: rate, losses: window.take(at: session.counters.seconds)))
            }
            progress.update(session, imagesPerSecond: rate)
        }
        progress.update(session, imagesPerSecond: rate, force: true)
        guard session.weightsAreFinite else { try rollBack(reason: "non-finite weights"); return .stopped }
        try timed { try session.writeSample() }
        try timed { try session.saveCheckpoint() }
        let outcome: Outcome = stop.received != nil ? .stopped : session.budgetReached ? .budgetReached : .deadline
        try log.append(record(rate: rate, losses: window.take(at: session.counters.seconds), event: "checkpoint (\(outcome))"))
        return outcome
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
            try log.append(record(event: "eval", quality: result.summary))
            progress.note(String(format: "%@  %.1f kimg  SWD %.1f (floor %.1f)  colour %.2f (floor %.2f)  over %d pictures",
                                 session.theme.name, session.kimg, result.swd.average, result.swdFloor.average,
                                 result.colour.mean, result.colourFloor.mean, result.pictures))
        } catch let error as EvaluationError {
            try log.append(record(event: "eval skipped: \(error)"))
            progress.note("\(session.theme.name)  not measured: \(error) (training goes on; training.eval_pictures: 0 stops measuring)")
        }
    }

    /// Back to the last checkpoint with half the learning rate; gives up when it is already tiny.
    func rollBack(reason: String) throws {
        try session.resume()
        session.halveLearningRate()
        guard session.learningRate >= Self.smallestLearningRate else { throw Diverged(theme: session.theme.name) }
        try session.saveCheckpoint()
        try log.append(record(event: "rollback: \(reason), lr halved to \(String(format: "%g", session.learningRate))"))
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
