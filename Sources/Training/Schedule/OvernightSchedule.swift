/// Which theme trains next, and for how long, during `neurossia train --all --hours H`.
///
/// Stride scheduling: a theme's pass is the seconds it has trained this run divided by its share,
/// and each slice goes to the unfinished theme with the lowest pass (ties by name). Over a long run
/// every theme's time ends up proportional to its share, within one quantum; slices interleave, so
/// a night cut short has still advanced every theme.
public struct OvernightSchedule: Sendable {
    /// One stretch of training: run `theme` for `seconds` of wall time, then ask again.
    public struct Slice: Equatable, Sendable {
        public var theme: String
        public var seconds: Double
    }

    public enum State: Equatable, Sendable {
        case active
        /// Reached its budget; nothing more to do.
        case finished
        /// Could not train (broken dataset, ...); skipped for the rest of the run.
        case failed(reason: String)
    }

    public struct Entry: Equatable, Sendable {
        public let name: String
        /// Relative weight of this theme's time, > 0.
        public let share: Double
        /// Wall time trained this run, in seconds.
        public fileprivate(set) var seconds: Double = 0
        public fileprivate(set) var state: State = .active

        /// Seconds per unit of share: the stride scheduler's virtual time.
        var pass: Double { seconds / share }
    }

    /// The whole run's wall time in seconds.
    public let totalSeconds: Double
    /// The longest slice in seconds: the asked-for quantum, shortened so that every theme fits one
    /// slice into `totalSeconds`.
    public let quantum: Double
    /// In the order given.
    public private(set) var entries: [Entry]

    /// - Parameter quantum: the preferred slice length in seconds; long enough that loading a
    ///   theme's model and dataset is small next to it, short enough to interleave within a night.
    public init(totalSeconds: Double, themes: [(name: String, share: Double)], quantum: Double) {
        precondition(totalSeconds >= 0, "OvernightSchedule needs totalSeconds ≥ 0, got \(totalSeconds)")
        precondition(quantum > 0, "OvernightSchedule needs quantum > 0, got \(quantum)")
        precondition(Set(themes.map(\.name)).count == themes.count, "OvernightSchedule needs distinct theme names")
        for theme in themes {
            precondition(theme.share > 0 && theme.share.isFinite, "Theme \(theme.name) needs share > 0, got \(theme.share)")
        }
        self.totalSeconds = totalSeconds
        self.quantum = themes.isEmpty ? quantum : min(quantum, totalSeconds / Double(themes.count))
        entries = themes.map { Entry(name: $0.name, share: $0.share) }
    }

    /// The slice to run when `elapsed` seconds of the run have passed, or nil when the time is up
    /// or no theme is left active. A slice never runs past `totalSeconds`.
    public func next(now elapsed: Double) -> Slice? {
        let remaining = totalSeconds - elapsed
        guard remaining > 0 else { return nil }
        let chosen = entries.filter { $0.state == .active }.min { a, b in
            a.pass != b.pass ? a.pass < b.pass : a.name < b.name
        }
        return chosen.map { Slice(theme: $0.name, seconds: min(quantum, remaining)) }
    }

    /// Adds `seconds` of wall time that `theme` actually trained (which may differ from its slice).
    public mutating func record(theme: String, seconds: Double) {
        precondition(seconds >= 0, "Recorded time must be ≥ 0, got \(seconds)")
        entries[index(of: theme)].seconds += seconds
    }

    /// `theme` reached its budget.
    public mutating func markFinished(theme: String) {
        entries[index(of: theme)].state = .finished
    }

    /// `theme` cannot train this run; `reason` is shown in the report.
    public mutating func markFailed(theme: String, reason: String) {
        entries[index(of: theme)].state = .failed(reason: reason)
    }

    /// The entry for `theme`, or nil if the schedule does not hold it.
    public func entry(_ theme: String) -> Entry? {
        entries.first { $0.name == theme }
    }

    private func index(of theme: String) -> Int {
        guard let index = entries.firstIndex(where: { $0.name == theme }) else {
            preconditionFailure("OvernightSchedule holds no theme named \(theme)")
        }
        return index
    }
}
