import Foundation

/// The one-line training status: kimg against the budget, speed, losses, ETA. On a terminal of its own
/// it redraws in place about once a second; in a log file, or on a terminal the ranks of an MPI job
/// share (where one rank's line would run into another's), it prints a line every `quietInterval` seconds.
public final class ProgressLine {
    let interactive = isatty(STDOUT_FILENO) != 0 && !ProgressLine.terminalIsShared

    /// Under mpirun with more than one rank (Open MPI's and MPICH's variables).
    static var terminalIsShared: Bool {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"].contains { (environment[$0].flatMap { Int($0) } ?? 1) > 1 }
    }
    let quietInterval: Double
    var lastPrint = -Double.infinity

    public init(quietInterval: Double = 30) { self.quietInterval = quietInterval }

    /// Shows `session`'s state; `imagesPerSecond` is the recent rate.
    public func update(_ session: TrainingSession, imagesPerSecond: Double, force: Bool = false) {
        let now = ProcessInfo.processInfo.systemUptime
        guard force || now - lastPrint >= (interactive ? 1 : quietInterval) else { return }
        lastPrint = now
        let text = Self.describe(session, imagesPerSecond: imagesPerSecond)
        if interactive {
            print("\r\u{1B}[2K" + text, terminator: "")
        } else {
            print(text)
        }
        fflush(stdout)
    }

    /// Prints `text` on a line of its own (above the in-place line on a terminal, which the next update redraws).
    public func note(_ text: String) {
        if interactive { print("\r\u{1B}[2K", terminator: "") }
        print(text)
        fflush(stdout)
        lastPrint = -Double.infinity
    }

    /// Ends an in-place line so the next output starts on its own line.
    public func finish() {
        if interactive && lastPrint > -Double.infinity { print("") }
        lastPrint = -Double.infinity
    }

    /// "panel-blocks  12.3/200 kimg  78.4 img/s  D 1.234 G 0.891  ETA 41m12s"
    public static func describe(_ session: TrainingSession, imagesPerSecond: Double) -> String {
        let budget = session.theme.training.budget
        var parts = [session.theme.name]
        parts.append(budget.kimg.map { String(format: "%.1f/%g kimg", session.kimg, $0) } ?? String(format: "%.1f kimg", session.kimg))
        parts.append(String(format: "%.1f img/s", imagesPerSecond))
        let main = session.losses.filter { $0.name == "D" || $0.name == "G" }
        parts.append(main.map { String(format: "%@ %.3f", $0.name, $0.value) }.joined(separator: " "))
        var remaining: [Double] = []
        if let kimg = budget.kimg, imagesPerSecond > 0 {
            remaining.append(max(0, kimg * 1000 - Double(session.counters.imagesSeen)) / imagesPerSecond)
        }
        if let minutes = budget.minutes { remaining.append(max(0, minutes * 60 - session.counters.seconds)) }
        if let eta = remaining.min() { parts.append("ETA " + eta.durationText) }
        return parts.joined(separator: "  ")
    }
}
