import Architectures
import Checkpoint
import Datasets
@testable import Engine
import Evaluation
import Foundation
import Generation
import Imaging
import TestSupport
import ThemeConfig
import XCTest
@testable import Training

/// A tiny theme (by default 16 starter cats at 32 px, DCGAN of width 8, batch 4, 1 kimg, fp32 on every CPU) in a
/// temporary repository.
func tinyTheme(_ test: XCTestCase, architecture: String = "name: dcgan\n  width: 8\n  latent: 16", resolution: Int = 32,
               pictures: Int = 16, kimg: Double = 1, training: String = "", precision: String = "fp32") throws -> Theme {
    let root = try temporaryFolder(test)
    let themes = root.appendingPathComponent("Themes", isDirectory: true)
    try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
    try """
        name: tiny
        dataset: { source: starter, scene: cats, count: \(pictures), resolution: \(resolution), augment: [color, translation, cutout] }
        architecture:
          \(architecture)
        training: { batch: 4, lr: 0.0002, seed: 5, precision: \(precision), budget: { kimg: \(kimg) }, checkpoint_every: { kimg: 1 }, sample_every: { kimg: 1 }\(training) }
        """.write(to: themes.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
    let result = ThemeLoader(catalog: ThemeCatalog(architectures: ArchitectureRegistry.declarations, datasetSources: DatasetRegistry.declarations)).load(folder: themes)
    XCTAssertEqual(result.diagnostics.map { $0.rendered() }, [])
    return try XCTUnwrap(result.theme(named: "tiny"))
}

func session(_ theme: Theme) throws -> TrainingSession {
    try TrainingSession(theme: theme, dataset: DatasetRegistry.load(DatasetRequest(theme: theme)))
}

/// Every tensor of the session that a checkpoint holds, in a fixed order.
func everything(_ s: TrainingSession) -> [[Float]] {
    (s.generator.namedState() + s.discriminator.namedState() + s.average.namedState() + s.optimizerG.state
        + s.optimizerD.state).map(\.tensor.scalars)
}

final class TrainingSessionTests: XCTestCase {
    func testResumeIsExact() throws {
        for (architecture, resolution) in [("name: dcgan\n  width: 8\n  latent: 16", 32), ("name: fastgan-lite\n  width: 4\n  latent: 16", 64)] {
            let theme = try tinyTheme(self, architecture: architecture, resolution: resolution)
            let straight = try session(theme)
            for _ in 0..<5 { XCTAssertTrue(straight.step()) }

            let first = try session(theme)
            for _ in 0..<3 { XCTAssertTrue(first.step()) }
            try first.saveCheckpoint()
            // As in a new process: nothing timed yet, so each convolution runs the way the state recorded.
            ConvolutionTuning.trials.withLock { $0.removeAll() }
            let second = try session(theme)
            XCTAssertNotNil(try second.resume())
            if resolution == 64 { XCTAssertFalse(ConvolutionTuning.trials.withLock { $0.isEmpty }, "the state's trials adopted") }
            XCTAssertEqual(second.counters, first.counters)
            for _ in 0..<2 { XCTAssertTrue(second.step()) }

            XCTAssertEqual(everything(second), everything(straight), "\(architecture): 3 + resume + 2 steps ≠ 5 steps")
            XCTAssertEqual(second.counters.imagesSeen, 20)
        }
    }

    func testNonFiniteWeightsAreNeverCheckpointedAndRollBackHalvesTheRate() throws {
        let theme = try tinyTheme(self)
        let s = try session(theme)
        let loop = try TrainingLoop(session: s, stop: StopSignal(), progress: ProgressLine())
        XCTAssertEqual(loop.startNote, "started; precision " + GEMMBackend.fastestFP32.description)
        for _ in 0..<2 { XCTAssertTrue(s.step()) }
        let weight = s.generator.namedParameters()[0].tensor
        weight.data[0] = .nan
        XCTAssertFalse(s.weightsAreFinite)
        XCTAssertThrowsError(try s.saveCheckpoint()) { XCTAssertTrue($0 is NonFiniteWeights) }
        XCTAssertFalse(s.step(), "a NaN weight gives a non-finite loss")

        try loop.rollBack(reason: "non-finite loss")
        XCTAssertTrue(s.weightsAreFinite)
        XCTAssertEqual(s.counters.imagesSeen, 0, "back to the initial checkpoint")
        XCTAssertEqual(s.learningRate, 0.0001, accuracy: 1e-12)
        let log = try RunLog.read(s.path(RunLog.fileName)).records
        XCTAssertEqual(log.last?.event, "rollback: non-finite loss, lr halved to 0.0001")

        let reopened = try session(theme)
        try reopened.resume()
        XCTAssertEqual(reopened.learningRate, 0.0001, accuracy: 1e-12, "the halved rate survives a restart")
    }

    func testContinuesFromAGeneratorWithoutStateAndWarmsUpDFirst() throws {
        let theme = try tinyTheme(self)
        let first = try session(theme)
        for _ in 0..<3 { XCTAssertTrue(first.step()) }
        try first.saveCheckpoint()
        try FileManager.default.removeItem(atPath: first.path(CheckpointFiles.state))

        let s = try session(theme)
        let loop = try TrainingLoop(session: s, stop: StopSignal(), progress: ProgressLine(quietInterval: 1e9))
        XCTAssertTrue(loop.startNote.hasPrefix("continued from generator.safetensors at 0.0 kimg"), loop.startNote)
        XCTAssertEqual(s.counters.imagesSeen, 12)
        XCTAssertEqual(s.counters.step, 3)
        let shipped = first.average.namedState().map { $0.tensor.scalars.map { Float(Float16($0)) } }
        XCTAssertTrue(s.generator.namedState().map(\.tensor.scalars) == shipped, "G is the float16 generator")
        // So is the average, but for the batch-norm statistics it measured of its own at the start checkpoint.
        XCTAssertTrue(withoutRunningStatistics(s.average).map(\.tensor.scalars) == withoutRunningStatistics(first.average).map { $0.tensor.scalars.map { Float(Float16($0)) } },
                      "the average's weights are the float16 generator's")

        let d = s.discriminator.namedParameters()[0].tensor.scalars
        let weights = { (s: TrainingSession) in s.generator.namedParameters().map(\.tensor.scalars) }
        let shippedWeights = weights(s)
        for _ in 0..<2 { XCTAssertTrue(s.step()) }
        XCTAssertTrue(weights(s) == shippedWeights, "G's weights wait while D warms up")
        XCTAssertTrue(s.discriminator.namedParameters()[0].tensor.scalars != d, "D learns")
        XCTAssertEqual(s.losses.map(\.name), ["D", "D.real", "D.fake"])
        XCTAssertEqual(s.counters.discriminatorWarmUp, TrainingSession.discriminatorWarmUpSteps - 2)

        s.counters.discriminatorWarmUp = 0
        XCTAssertTrue(s.step())
        XCTAssertTrue(weights(s) != shippedWeights, "then G learns too")
        XCTAssertEqual([s.optimizerG.step, s.optimizerD.step], [1, 3], "fresh optimisers count their own updates")
        XCTAssertEqual(s.counters.step, 6)

        try s.saveCheckpoint()
        let reopened = try session(theme)
        XCTAssertNotNil(try reopened.resume())
        XCTAssertEqual([reopened.optimizerG.step, reopened.optimizerD.step], [1, 3])
        XCTAssertTrue(everything(reopened) == everything(s))
    }

    /// `training.init_from`: the other theme's state gives G, D and the average; with only its
    /// generator, G and the average, and D warms up; with neither, a clear error. Counters, optimisers
    /// and data stay this theme's own.
    func testStartsFromAnotherThemesWeights() throws {
        let source = try tinyTheme(self)
        let trained = try session(source)
        for _ in 0..<3 { XCTAssertTrue(trained.step()) }
        try trained.saveCheckpoint()
        let themes = source.file.deletingLastPathComponent()
        func newTheme(_ name: String) throws -> Theme {
            try """
                name: \(name)
                dataset: { source: starter, scene: window-frames, count: 16, resolution: 32 }
                architecture: { name: dcgan, width: 8, latent: 16 }
                training: { batch: 4, seed: 9, precision: fp32, init_from: tiny }
                """.write(to: themes.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
            let result = ThemeLoader(catalog: ThemeCatalog(architectures: ArchitectureRegistry.declarations,
                                                           datasetSources: DatasetRegistry.declarations)).load(folder: themes)
            XCTAssertEqual(result.diagnostics.map { $0.rendered() }, [])
            return try XCTUnwrap(result.theme(named: name))
        }
        // The average's batch-norm statistics are its own, measured at the start checkpoint.
        let networks = { (s: TrainingSession) in
            (s.generator.namedState() + s.discriminator.namedState() + withoutRunningStatistics(s.average)).map(\.tensor.scalars)
        }

        let fromState = try session(newTheme("from-state"))
        let loop = try TrainingLoop(session: fromState, stop: StopSignal(), progress: ProgressLine(quietInterval: 1e9))
        XCTAssertTrue(loop.startNote.hasPrefix("started from tiny's weights ("), loop.startNote)
        XCTAssertTrue(networks(fromState) == networks(trained), "G, D and the average's weights are tiny's")
        XCTAssertEqual(fromState.counters.imagesSeen, 0, "its own count, from zero")
        XCTAssertTrue(fromState.optimizerG.state.allSatisfy { $0.tensor.scalars.allSatisfy { $0 == 0 } }, "fresh Adam")
        XCTAssertEqual(fromState.counters.discriminatorWarmUp, 0)
        XCTAssertTrue(fromState.step())

        try FileManager.default.removeItem(atPath: trained.path(CheckpointFiles.state))
        try? FileManager.default.removeItem(atPath: AtomicFile.previousPath(for: trained.path(CheckpointFiles.state)))
        let fromGenerator = try session(newTheme("from-generator"))
        let note = try XCTUnwrap(try fromGenerator.startFromInitialWeights())
        XCTAssertTrue(note.hasPrefix("started from tiny's generator ("), note)
        let shipped = trained.average.namedState().map { $0.tensor.scalars.map { Float(Float16($0)) } }
        XCTAssertTrue(fromGenerator.generator.namedState().map(\.tensor.scalars) == shipped)
        XCTAssertTrue(fromGenerator.average.namedState().map(\.tensor.scalars) == shipped)
        XCTAssertEqual(fromGenerator.counters.discriminatorWarmUp, TrainingSession.discriminatorWarmUpSteps)

        try FileManager.default.removeItem(atPath: trained.path(CheckpointFiles.generator))
        XCTAssertThrowsError(try session(newTheme("from-nothing")).startFromInitialWeights()) { error in
            XCTAssertTrue("\(error)".contains("training.init_from is tiny, but"), "\(error)")
        }
    }

    func testCheckpointOfAnotherArchitectureIsRefused() throws {
        let theme = try tinyTheme(self)
        try session(theme).saveCheckpoint()
        var changed = theme
        changed.architecture.parameters["width"] = .int(16)
        XCTAssertThrowsError(try session(changed).resume()) { error in
            XCTAssertTrue("\(error)".contains("architecture_parameters"), "\(error)")
            XCTAssertTrue("\(error)".contains("--fresh"), "\(error)")
        }
    }

    /// A state written before a parameter existed (its metadata does not name it) resumes while the
    /// theme keeps that parameter's default, and is refused when the theme asks for another value.
    func testStateFromBeforeAParameterExistedResumesAtItsDefault() throws {
        let theme = try tinyTheme(self)
        var older = theme
        older.architecture.parameters["minibatch_std"] = nil
        try session(older).saveCheckpoint()
        XCTAssertNoThrow(try session(theme).resume())
        var changed = theme
        changed.architecture.parameters["minibatch_std"] = .int(4)
        XCTAssertThrowsError(try session(changed).resume()) { error in
            XCTAssertTrue("\(error)".contains("architecture_parameters"), "\(error)")
        }
    }

    func testLoopTrainsToBudgetWithSamplesLogMeasurementsAndGenerator() throws {
        let theme = try tinyTheme(self, training: ", eval_every: { kimg: 0.5 }, eval_pictures: 8")
        let s = try session(theme)
        let loop = try TrainingLoop(session: s, stop: StopSignal(), progress: ProgressLine(quietInterval: 1e9))
        XCTAssertEqual(try loop.run(), .budgetReached)
        let folder = theme.checkpoint.path
        for file in ["state.safetensors", "state.prev.safetensors", "generator.safetensors", "log.jsonl", "samples/latest.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), file)
        }
        let generator = try ShippedGenerator(file: "\(folder)/generator.safetensors")
        XCTAssertEqual(generator.imagesSeen, 1000)
        let a = generator.network.generate(count: 3, seed: 9, truncation: 0.7), b = generator.network.generate(count: 3, seed: 9, truncation: 0.7)
        XCTAssertEqual(a, b)
        XCTAssertEqual(try a[0].pngData(), try b[0].pngData())
        XCTAssertEqual(a[0].width, 32)

        let evals = try RunLog.read(s.path(RunLog.fileName)).records.filter { $0.event == "eval" }
        XCTAssertEqual(evals.map(\.kimg), [0.5, 1.0], "every 0.5 kimg, none of the untrained start")
        for record in evals {
            XCTAssertEqual(Set(record.quality?.keys ?? [:].keys), ["swd", "swd_floor", "colour", "colour_floor", "variety_16", "variety_16_floor",
                                                                   "variety_32", "variety_32_floor", "copies", "copies_floor"])
            XCTAssertTrue(record.quality!.values.allSatisfy { $0.isFinite && $0 >= 0 }, "\(record.quality!)")
            XCTAssertGreaterThan(record.quality!["swd"]!, 0)
        }
        // What `neurossia eval tiny --count 8` measures of the float16 file, from the same latents and seed.
        let now = try s.measureQuality()
        let fromFile = try s.qualityMeasure!.measure(generator.network.generate(count: 8, seed: 1, truncation: 1))
        XCTAssertEqual(fromFile.swd.average, now.swd.average, accuracy: 0.02 * now.swd.average)
        XCTAssertEqual(fromFile.colour.mean, now.colour.mean, accuracy: 0.02 * now.colour.mean)
    }

    func testTheBestMeasuredGeneratorIsKeptAndAThemeCanAskForIt() throws {
        let theme = try tinyTheme(self, training: ", eval_every: { kimg: 0.2 }, eval_pictures: 8")
        let s = try session(theme)
        let loop = try TrainingLoop(session: s, stop: StopSignal(), progress: ProgressLine(quietInterval: 1e9))
        XCTAssertEqual(try loop.run(), .budgetReached)
        let evals = try RunLog.read(s.path(RunLog.fileName)).records.filter { $0.event == "eval" }
        XCTAssertEqual(evals.count, 5)
        let lowest = try XCTUnwrap(evals.min { $0.quality!["swd"]! < $1.quality!["swd"]! })
        let kept = try SafeTensorsFile(contentsOf: s.path(CheckpointFiles.best))
        XCTAssertEqual(Double(kept.metadata["swd"]!)!, lowest.quality!["swd"]!, accuracy: 5e-4)
        XCTAssertEqual(Double(kept.metadata["swd_floor"]!)!, lowest.quality!["swd_floor"]!, accuracy: 5e-4)
        XCTAssertEqual(kept.metadata["images_seen"], String(Int((lowest.kimg * 1000).rounded())))
        XCTAssertEqual(kept.metadata["eval_pictures"], "8")
        XCTAssertEqual(try ShippedGenerator(file: s.path(CheckpointFiles.best)).imagesSeen, Int((lowest.kimg * 1000).rounded()))

        // Only a lower SWD over as many pictures replaces it.
        let now = try s.measureQuality()
        XCTAssertEqual(try s.keepIfBest(now), now.swd.average < lowest.quality!["swd"]! - 5e-4)
        XCTAssertFalse(try s.keepIfBest(now), "the same SWD again")
        // One measured against other real pictures (another floor), however low, is no record to beat.
        var other = try SafeTensorsFile(contentsOf: s.path(CheckpointFiles.best))
        (other.metadata["swd"], other.metadata["swd_floor"]) = ("0.001", "1.000")
        try other.write(to: s.path(CheckpointFiles.best))
        XCTAssertTrue(try s.keepIfBest(now))

        XCTAssertEqual(theme.generatorFile.lastPathComponent, CheckpointFiles.generator, "generate.from: latest, the default")
        var best = theme
        best.generate.from = .best
        XCTAssertEqual(best.generatorFile.lastPathComponent, CheckpointFiles.best)
        try FileManager.default.removeItem(atPath: s.path(CheckpointFiles.best))
        XCTAssertEqual(best.generatorFile.lastPathComponent, CheckpointFiles.generator, "nothing measured yet: the latest")
    }

    func testMeasuringTheAverageLeavesTrainingExactlyAsItWas() throws {
        let theme = try tinyTheme(self, training: ", eval_pictures: 8")
        let plain = try session(theme), measured = try session(theme)
        for _ in 0..<2 { XCTAssertTrue(plain.step()); XCTAssertTrue(measured.step()) }
        let first = try measured.measureQuality()
        for _ in 0..<2 { XCTAssertTrue(plain.step()); XCTAssertTrue(measured.step()) }
        XCTAssertEqual(everything(measured), everything(plain))
        XCTAssertEqual(measured.counters.lastEval, .init(images: 8, seconds: 0))
        XCTAssertEqual(first.pictures, 8)
        XCTAssertEqual(first.swdFloor, try measured.measureQuality().swdFloor, "the same floor each time")
    }

    /// A user's folder sorted by name runs from red pictures to blue ones: the trainer's floor compares
    /// shuffled halves, each with both colours, not the red half with the blue.
    func testTheFloorOfAFolderWhoseFirstHalfDiffersFromItsSecondComparesShuffledHalves() throws {
        let root = try temporaryFolder(self)
        let photos = root.appendingPathComponent("photos", isDirectory: true)
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        var rng = RandomGenerator(seed: 3)
        for index in 0..<32 {
            let (strong, weak) = (0.6 + 0.4 * rng.uniform(), 0.3 * rng.uniform())
            var picture = Image(width: 32, height: 32, fill: index < 16 ? RGB(strong, weak, weak) : RGB(weak, weak, strong))
            picture.fill(x: rng.index(below: 16), y: rng.index(below: 16), width: 4 + rng.index(below: 12), height: 4 + rng.index(below: 12),
                         colour: index < 16 ? RGB(weak, strong, weak) : RGB(strong, strong, weak))
            try picture.write(png: photos.appendingPathComponent(String(format: "photo-%02d.png", index)))
        }
        let themes = root.appendingPathComponent("Themes", isDirectory: true)
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        try """
            name: folder
            dataset: { source: folder, path: ../photos, resolution: 32 }
            architecture: { name: dcgan, width: 8, latent: 16 }
            training: { batch: 4, seed: 5, budget: { kimg: 1 }, eval_pictures: 16 }
            """.write(to: themes.appendingPathComponent("folder.yaml"), atomically: true, encoding: .utf8)
        let loaded = ThemeLoader(catalog: ThemeCatalog(architectures: ArchitectureRegistry.declarations,
                                                       datasetSources: DatasetRegistry.declarations)).load(folder: themes)
        XCTAssertEqual(loaded.diagnostics.map { $0.rendered() }, [])
        let s = try session(try XCTUnwrap(loaded.theme(named: "folder")))
        let floor = try s.measureQuality().swdFloor.average

        let real = s.sampler.dataset.spread(32)
        XCTAssertGreaterThan(real[0].pixels[1023], real[0].pixels[3071], "file order: red first (a corner no rectangle covers)")
        let inOrder = try SlicedWasserstein().distance(Array(real[16..<32]), Array(real[0..<16]), seed: QualityMeasure.standardSeed)
        XCTAssertLessThan(floor, inOrder.average / 3, "shuffled halves \(floor), first against second \(inOrder.average)")
        XCTAssertEqual(s.qualityMeasure!.reference, QualityMeasure.split(real, seed: QualityMeasure.standardSeed).reference)
    }

    func testTooFewPicturesToMeasureIsLoggedAndTrainingGoesOn() throws {
        let theme = try tinyTheme(self, pictures: 1, kimg: 0.2, training: ", eval_every: { kimg: 0.1 }, eval_pictures: 8")
        let s = try session(theme)
        let loop = try TrainingLoop(session: s, stop: StopSignal(), progress: ProgressLine(quietInterval: 1e9))
        XCTAssertEqual(try loop.run(), .budgetReached)
        let events = try RunLog.read(s.path(RunLog.fileName)).records.compactMap(\.event)
        XCTAssertEqual(events.filter { $0.hasPrefix("eval") }, Array(repeating: "eval skipped: 1 real picture is too few to measure; at least 4 are needed", count: 2))
    }
}

/// A generator's state but its batch-norm running statistics, which the trainer measures of the moving
/// average's own whenever it saves or shows it.
private func withoutRunningStatistics(_ generator: any ImageGenerator) -> [(name: String, tensor: Tensor)] {
    generator.namedState().filter { !$0.name.hasSuffix("runningMean") && !$0.name.hasSuffix("runningVar") }
}
