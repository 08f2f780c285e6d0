import Foundation
import ThemeConfig

/// Several themes trained in one process: each to its budget in turn, or within a time limit in
/// interleaved slices weighted by `share`. A theme that cannot be prepared (broken dataset, lock held
/// elsewhere) or that diverges is reported and skipped; the others go on.
public struct OvernightRun {
    public let themes: [Theme]
    let fresh: Bool
    let stop: StopSignal
    let reportFolder: String
    let progress = ProgressLine()
    var trainers: [String: ThemeTrainer] = [:]
    /// Themes that could not train, with the reason.
    public private(set) var failures: [String: String] = [:]

    public init(themes: [Theme], fresh: Bool, stop: StopSignal, reportFolder: String) {
        self.themes = themes
        self.fresh = fresh
        self.stop = stop
        self.reportFolder = reportFolder
    }

    /// Each theme until its budget (or a stop), one after another.
    public mutating func trainEachToItsBudget() throws {
        for theme in themes where stop.received == nil {
            guard let trainer = trainer(for: theme) else { continue }
            _ = attempt(trainer) { try trainer.train(until: nil) }
        }
    }

    /// Slices within `seconds` in all, each at most `slice` seconds.
    /// Longest slice one theme trains before the next gets its turn, unless the command says otherwise.
    public static let defaultSliceMinutes = 10.0

    public mutating func train(seconds: Double, slice: Double) throws {
        var schedule = OvernightSchedule(totalSeconds: seconds, themes: themes.map { ($0.name, $0.training.share) }, quantum: slice)
        let start = Date()
        while stop.received == nil, let next = schedule.next(now: Date().timeIntervalSince(start)) {
            guard let theme = themes.first(where: { $0.name == next.theme }) else { break }
            guard let trainer = trainer(for: theme) else {
                schedule.markFailed(theme: theme.name, reason: failures[theme.name] ?? "")
                continue
            }
            let sliceStart = Date()
            let outcome = attempt(trainer) { try trainer.train(until: sliceStart.addingTimeInterval(next.seconds)) }
            schedule.record(theme: theme.name, seconds: Date().timeIntervalSince(sliceStart))
            switch outcome {
            case .budgetReached?: schedule.markFinished(theme: theme.name)
            case nil: schedule.markFailed(theme: theme.name, reason: failures[theme.name] ?? "")
            default: break
            }
        }
    }

    /// Themes handed out one at a time by `dispatch` (theme-parallel under mpirun), each trained to its
    /// budget or `deadline`; each theme's lock and memory are let go before the next.
    public mutating func trainAssigned(by dispatch: ThemeDispatch, until deadline: Date?) throws {
        var done: ThemeDispatch.Result?
        while let name = try dispatch.next(after: done, wantsMore: stop.received == nil && deadline.map { Date() < $0 } != false) {
            guard let theme = themes.first(where: { $0.name == name }) else { continue }
            let rank = dispatch.job.rank
            guard let trainer = trainer(for: theme) else {
                done = .init(theme: name, rank: rank, finished: false, failure: failures[name], secondsThisRun: 0)
                continue
            }
            let outcome = attempt(trainer) { try trainer.train(until: deadline) }
            done = .init(theme: name, rank: rank, finished: outcome == .budgetReached, failure: failures[name],
                         secondsThisRun: trainer.secondsThisRun)
            trainers[name] = nil
        }
    }

    /// report/index.html for every theme: this run's trainers, failures, what other ranks reported in
    /// `results`, and the rest as their folders show.
    @discardableResult
    public func writeReport(results: [String: ThemeDispatch.Result] = [:]) throws -> String {
        let entries = themes.map { theme -> ReportEntry in
            if let result = results[theme.name] {
                let status: ReportEntry.Status = result.failure.map { .failed(reason: $0) } ?? (result.finished ? .finished : .trained)
                return ReportEntry(theme: theme, status: status, secondsThisRun: result.secondsThisRun)
            }
            if let failure = failures[theme.name] { return ReportEntry(theme: theme, status: .failed(reason: failure)) }
            if let trainer = trainers[theme.name] { return trainer.reportEntry() }
            guard let seen = ThemeProgress(theme: theme).imagesSeen else { return ReportEntry(theme: theme, status: .notStarted) }
            return ReportEntry(theme: theme, status: theme.training.budget.isReached(images: seen, seconds: 0) ? .finished : .trained)
        }
        return try TrainingReport.write(entries, to: reportFolder)
    }

    /// The theme's trainer, prepared on first use; nil (and the reason recorded) when it cannot train.
    mutating func trainer(for theme: Theme) -> ThemeTrainer? {
        if let trainer = trainers[theme.name] { return trainer }
        guard failures[theme.name] == nil else { return nil }
        do {
            let trainer = try ThemeTrainer(theme: theme, fresh: fresh, stop: stop, progress: progress) { print($0) }
            trainers[theme.name] = trainer
            return trainer
        } catch {
            failures[theme.name] = "\(error)"
            FileHandle.standardError.write("error: \(theme.name): \(error)\n".data(using: .utf8)!)
            return nil
        }
    }

    /// Runs a training call; a failure is recorded for the theme and reported, and returns nil.
    mutating func attempt(_ trainer: ThemeTrainer, _ body: () throws -> TrainingLoop.Outcome) -> TrainingLoop.Outcome? {
        do {
            let outcome = try body()
            let s = trainer.session
            print(String(format: "%@: %@ at %.1f kimg (%@ trained in all)", trainer.theme.name, describe(outcome), s.kimg,
                         s.counters.seconds.durationText))
            return outcome
        } catch {
            failures[trainer.theme.name] = "\(error)"
            FileHandle.standardError.write("error: \(trainer.theme.name): \(error)\n".data(using: .utf8)!)
            return nil
        }
    }

    func describe(_ outcome: TrainingLoop.Outcome) -> String {
        switch outcome {
        case .budgetReached: return "budget reached"
        case .deadline: return "slice over"
        case .stopped: return "stopped and checkpointed"
        }
    }
}
