import ArgumentParser
import Cluster
import Datasets
import Engine
import Foundation
import ThemeConfig
import Training

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train themes, continuing each from its latest checkpoint.",
        discussion: """
            Each theme trains until its budget (training.budget in its YAML), the time limit, or Ctrl-C / \
            SIGTERM, which finish the current step and checkpoint before exiting. Checkpoints are written \
            atomically every training.checkpoint_every; a killed run resumes from the last one. Progress goes \
            to the terminal and to Models/<theme>/log.jsonl; sample grids to Models/<theme>/samples/. Every \
            training.eval_every the averaged generator is measured as `neurossia eval THEME --count N` would \
            measure it (N = training.eval_pictures): SWD and colour distance beside their floors, on the \
            terminal and as "eval" lines in the log, so you can see when more training stops paying. \
            A measurement lower than every earlier one of the run writes that generator to \
            Models/<theme>/best.safetensors; `generate: { from: best }` in the theme makes pictures with it.

            A theme with a generator but no training state (a fresh clone ships only the generator) continues \
            from that generator with a fresh discriminator, which first trains alone for a few steps; \
            --fresh starts over instead.

            With --all and a time limit, themes train in interleaved slices weighted by training.share, so an \
            interrupted night has still advanced every theme; report/index.html summarises the run (and, at \
            the next start, a run that was killed).

            Examples:
              neurossia train cats
              neurossia train --all --hours 8
              neurossia train panel-blocks --minutes 20 --fresh
              neurossia train --all --dry-run

            Under mpirun (Open MPI), one theme trains data-parallel over the ranks and several themes are \
            spread over them; see "Training on several machines" in the README:
              mpirun -np 4 --hostfile hosts neurossia train cats
              mpirun -np 4 --hostfile hosts neurossia train --all --hours 8
            """)

    @OptionGroup var themes: ThemeOptions
    @Argument(help: "Themes to train.") var names: [String] = []
    @Flag(help: "Train every theme in the folder.") var all = false
    @Option(help: "Stop after this many hours in all.") var hours: Double?
    @Option(help: "Stop after this many minutes in all.") var minutes: Double?
    @Flag(help: "Start over; the previous run is moved to Models/<theme>/archive/, not deleted.") var fresh = false
    @Flag(help: "Check themes and datasets and print the plan without training.") var dryRun = false
    @Option(help: "Folder for the run report.") var report = "report"
    @Option(help: "Longest slice one theme trains before the next gets its turn, in minutes.") var slice = OvernightRun.defaultSliceMinutes
    @Option(help: "Threads per process (default: the cores, divided among the MPI ranks on this machine).") var threads: Int?

    func validate() throws {
        guard all != !names.isEmpty else { throw ValidationError("name one or more themes, or pass --all") }
        for (flag, value) in [("--hours", hours), ("--minutes", minutes)] {
            if let value, !(value > 0) { throw ValidationError("\(flag) must be a positive number, got \(value)") }
        }
        guard slice > 0 else { throw ValidationError("--slice must be positive, got \(slice)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// Total time allowed, in seconds, if limited.
    var limit: Double? {
        hours == nil && minutes == nil ? nil : (hours ?? 0) * 3600 + (minutes ?? 0) * 60
    }

    func run() throws {
        if let threads { Parallel.requestedThreads = threads }
        let result = try themes.load(needing: names)
        let selected = all ? result.themes : names.compactMap { result.theme(named: $0) }
        guard !selected.isEmpty else { throw CommandFailure("no valid theme to train in \(themes.folder)") }
        if dryRun { return try plan(selected) }
        if let job = try MPIJob.launched() { return try run(on: job, themes: selected) }
        let stop = StopSignal(onSecondSignal: { Foundation.exit(130) })
        stop.install()
        var run = OvernightRun(themes: selected, fresh: fresh, stop: stop, reportFolder: report)
        if all { try run.writeReport() }
        if let limit {
            try run.train(seconds: limit, slice: slice * 60)
        } else {
            try run.trainEachToItsBudget()
        }
        if all { print("report: \(try run.writeReport())") }
        if run.failures.count == selected.count { throw ExitCode(1) }
    }

    func plan(_ selected: [Theme]) throws {
        let shares = selected.reduce(0) { $0 + $1.training.share }
        var rows: [[String]] = []
        for theme in selected {
            let progress = ThemeProgress(theme: theme)
            let pictures: String
            do {
                let dataset = try DatasetRegistry.load(DatasetRequest(theme: theme))
                pictures = "\(dataset.count)" + (dataset.summary.skipped.isEmpty ? "" : " (\(dataset.summary.skipped.count) skipped)")
            } catch {
                pictures = "BROKEN: \(error)"
            }
            let budget = [theme.training.budget.kimg.map { "\($0) kimg" }, theme.training.budget.minutes.map { "\($0) min" }]
                .compactMap { $0 }.joined(separator: " or ")
            let time = limit.map { ($0 * theme.training.share / shares).durationText } ?? "to budget"
            rows.append([theme.name, "\(theme.architecture.name) \(theme.dataset.resolution)px b\(theme.training.batch)",
                         pictures, progress.trainingDescription, budget, time])
        }
        printTable(header: ["theme", "architecture", "pictures", "trained", "budget", "time"], rows: rows)
        print(limit.map { "would train for \($0.durationText) in slices of up to \((slice * 60).durationText)" }
              ?? "would train each theme to its budget, one after another")
    }
}
