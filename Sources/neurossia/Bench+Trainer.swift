import ArgumentParser
import Architectures
import Datasets
import Engine
import Foundation
import Training

extension Bench {
    /// What the trainer adds to the bare step of `bench train`: the same network, batch and precision,
    /// once as a theme's training session steps (data, DiffAugment, EMA, its losses' bookkeeping) and
    /// once as the bare step, in alternating rounds.
    struct Trainer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A theme's training step beside the bare step of `bench train` on its network: what the trainer costs.",
            discussion: """
                Trains the theme in a scratch folder (its checkpoints are not touched) and prints both img/s, the \
                trainer's overhead and where each step's time goes. Checkpoints, samples and measurements, which \
                come every few minutes, are not in the step.

                Example:
                  neurossia bench trainer cats --iters 10
                """)

        @Argument(help: "Theme to train.") var theme: String
        @OptionGroup var themes: ThemeOptions
        @Option(help: "Timed steps of each kind per round.") var iters = 10
        @Option(help: "Rounds; each times the trainer's steps, then the bare ones.") var rounds = 2

        func validate() throws {
            guard iters > 0 && rounds > 0 else { throw ValidationError("--iters and --rounds must be positive") }
        }

        func run() throws {
            var theme = try themes.load(needing: [self.theme]).theme(named: self.theme)!
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("neurossia-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            theme.checkpoint = scratch
            let session = try TrainingSession(theme: theme, dataset: DatasetRegistry.load(DatasetRequest(theme: theme)))
            let architecture = try ArchitectureRegistry.make(theme.architecture.name, parameters: theme.architecture.parameters,
                                                             resolution: theme.dataset.resolution)
            let bare = ArchitectureStep(architecture, batch: theme.training.batch, resolution: theme.dataset.resolution)
            print(BLASInfo.summary)
            print("precision: \(GEMMBackend.current.description)")
            // Three untimed steps each: the first times the convolutions, and a stepper's buffers come from
            // the system (slower) until two of its steps have asked for the same ones (BufferPool.step).
            for _ in 0..<3 { _ = session.step(); bare.step() }
            var (trainer, plain) = ([Double](), [Double]())
            var (trainerShares, plainShares) = ([OpShares](), [OpShares]())
            for _ in 0..<rounds {
                let (a, sa) = OpShares.timing { (0..<iters).map { _ in KernelBenchmark.seconds { _ = session.step() } } }
                let (b, sb) = OpShares.timing { (0..<iters).map { _ in KernelBenchmark.seconds { bare.step() } } }
                trainer += a; plain += b; trainerShares.append(sa); plainShares.append(sb)
            }
            let batch = Double(theme.training.batch)
            let trainerRate = batch * Double(trainer.count) / trainer.reduce(0, +)
            let plainRate = batch * Double(plain.count) / plain.reduce(0, +)
            print(String(format: "%@ (%@ %d px, batch %d): trainer %.1f img/s, bare step %.1f img/s, overhead %.1f%%",
                         theme.name, theme.architecture.name, theme.dataset.resolution, theme.training.batch,
                         trainerRate, plainRate, 100 * (plainRate / trainerRate - 1)))
            print("trainer step time: \(trainerShares.last!)")
            print("bare step time:    \(plainShares.last!)")
        }
    }
}
