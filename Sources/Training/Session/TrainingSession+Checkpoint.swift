import Architectures
import Checkpoint
import Engine
import Evaluation
import Foundation
import ThemeConfig

/// The state file holds everything to continue exactly (G, D, the average, both Adams' moments, RNG,
/// data position, counters, the resolved theme and its hash); the generator file holds only the
/// average in float16, which is what ships and what `generate` reads.
extension TrainingSession {
    /// Writes the state (keeping the previous one as a fallback) and the generator, each atomically.
    /// Refuses to write non-finite weights.
    public func saveCheckpoint() throws {
        guard weightsAreFinite else { throw NonFiniteWeights(theme: theme.name) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        counters.lastCheckpoint = .init(images: counters.imagesSeen, seconds: counters.seconds)
        (counters.generatorUpdates, counters.discriminatorUpdates) = (optimizerG.step, optimizerD.step)
        refreshAverageStatistics()
        var state = SafeTensorsFile(metadata: describe(format: CheckpointFiles.stateFormat))
        state.metadata["counters"] = String(decoding: try JSONEncoder.sorted.encode(counters), as: UTF8.self)
        state.metadata["next_batch"] = String(sampler.nextBatch)
        state.metadata["convolutions"] = ConvolutionAlgorithm.tuningRecord
        state.setUInt64s("rng", rng.stateWords)
        state.store(generator.namedState(), prefix: "G.")
        state.store(discriminator.namedState(), prefix: "D.")
        state.store(average.namedState(), prefix: "EMA.")
        state.store(optimizerG.state, prefix: "adamG.")
        state.store(optimizerD.state, prefix: "adamD.")
        try state.write(to: path(CheckpointFiles.state), keepPrevious: true)

        try averageFile().write(to: path(CheckpointFiles.generator))
    }

    /// The moving-average generator in float16, as `generate` reads it.
    private func averageFile() -> SafeTensorsFile {
        var file = SafeTensorsFile(metadata: describe(format: CheckpointFiles.generatorFormat))
        file.metadata["images_seen"] = String(counters.imagesSeen)
        file.metadata["seconds"] = String(format: "%.0f", counters.seconds)
        file.metadata["title"] = theme.title
        file.store(average.namedState(), prefix: "", as: .f16)
        return file
    }

    /// Writes the moving average to best.safetensors, with `measured` in its metadata as `eval --record`
    /// stores it, when it measured a lower SWD than the file holds (both as recorded, so a measurement
    /// equal to the kept one does not replace it for a rounding). A file measured another way (over
    /// another number of pictures, or other real ones: its floor differs), or unreadable, counts as none.
    /// Returns whether it wrote.
    public func keepIfBest(_ measured: QualityMeasure.Result) throws -> Bool {
        let file = path(CheckpointFiles.best)
        let recorded = measured.metadata(truncation: theme.generate.truncation)
        if let kept = try? SafeTensorsFile(contentsOf: file), kept.metadata["eval_pictures"] == recorded["eval_pictures"],
           kept.metadata["swd_floor"] == recorded["swd_floor"], let swd = kept.metadata["swd"].flatMap(Double.init),
           let now = recorded["swd"].flatMap(Double.init), swd <= now {
            return false
        }
        var best = averageFile()
        best.metadata.merge(recorded) { $1 }
        try best.write(to: file)
        return true
    }

    /// Loads the state file when there is one (the previous copy when the latest is damaged).
    /// Returns a line for the log, or nil when there was nothing to resume.
    @discardableResult
    public func resume() throws -> String? {
        guard let loaded = try loadNetworks(fromState: path(CheckpointFiles.state)) else { return nil }
        let state = loaded.value
        try state.restore(optimizerG.state, prefix: "adamG.", file: loaded.path)
        try state.restore(optimizerD.state, prefix: "adamD.", file: loaded.path)
        counters = try JSONDecoder().decode(Counters.self, from: Data((state.metadata["counters"] ?? "").utf8))
        rng = RandomGenerator(state: try state.uint64s("rng"))
        sampler.nextBatch = Int(state.metadata["next_batch"] ?? "") ?? 0
        // The ways each convolution ran (a state without them, or with a damaged record, times them again).
        try? state.metadata["convolutions"].map(ConvolutionAlgorithm.adoptTuning)
        optimizerG.step = counters.generatorUpdates
        optimizerD.step = counters.discriminatorUpdates
        optimizerG.learningRate = Float(learningRate)
        optimizerD.learningRate = Float(learningRate)
        var note = String(format: "resumed at %.1f kimg from %@", kimg, (loaded.path as NSString).lastPathComponent)
        if let fallback = loaded.note { note = fallback + "; " + note }
        if state.metadata["theme_hash"] != theme.contentHash { note += " (the theme file changed since; its new settings apply)" }
        return note
    }

    /// How many steps D trains alone after continuing from a shipped generator.
    public static let discriminatorWarmUpSteps = 100

    /// With no state file but a generator (as in a fresh clone, where only the float16 generator
    /// ships), continues from that generator: G and its average start from it and the counters from
    /// its images and time; D and both optimisers start fresh, and D trains alone for a while first.
    /// Returns a line for the log, or nil when there is no generator either.
    public func continueFromGenerator() throws -> String? {
        guard let shipped = try loadGenerator(from: path(CheckpointFiles.generator)) else { return nil }
        counters.imagesSeen = Int(shipped.metadata["images_seen"] ?? "") ?? 0
        counters.seconds = Double(shipped.metadata["seconds"] ?? "") ?? 0
        counters.step = counters.imagesSeen / theme.training.batch
        counters.lastCheckpoint = .init(images: counters.imagesSeen, seconds: counters.seconds)
        counters.lastSample = counters.lastCheckpoint
        counters.discriminatorWarmUp = Self.discriminatorWarmUpSteps
        return String(format: "continued from %@ at %.1f kimg (no training state: D and the optimisers start fresh, "
                      + "D trains alone for %d steps)", CheckpointFiles.generator, kimg, Self.discriminatorWarmUpSteps)
    }

    /// A fresh start from the `training.init_from` theme's weights: G, D and the average from its state
    /// file (the previous copy when the latest is damaged), or, when only its generator ships, G and
    /// the average from that, with D fresh and training alone first. Optimisers, counters, data order
    /// and noise are this theme's own, from zero. Returns a line for the log, or nil without `init_from`.
    public func startFromInitialWeights() throws -> String? {
        guard let name = theme.training.initFrom, let folder = theme.initialWeights else { return nil }
        if let loaded = try loadNetworks(fromState: folder.appendingPathComponent(CheckpointFiles.state).path) {
            return "started from \(name)'s weights (\(loaded.path): G, D and the average; optimisers fresh)"
        }
        let file = folder.appendingPathComponent(CheckpointFiles.generator).path
        guard try loadGenerator(from: file) != nil else {
            throw MissingInitialWeights(theme: theme.name, source: name, folder: folder.path)
        }
        counters.discriminatorWarmUp = Self.discriminatorWarmUpSteps
        return "started from \(name)'s generator (\(file); it has no training state: D starts fresh and trains alone "
            + "for \(Self.discriminatorWarmUpSteps) steps)"
    }

    /// G, D and the average from the state file at `path` (its previous copy when the latest is
    /// damaged), checked against this theme's network; nil when neither copy exists.
    private func loadNetworks(fromState path: String) throws -> FallbackLoad<SafeTensorsFile>? {
        let loaded: FallbackLoad<SafeTensorsFile>
        do {
            loaded = try SafeTensorsFile.loadWithFallback(path)
        } catch let error as FallbackLoadError where error.nothingToLoad {
            return nil
        }
        try checkCompatible(loaded.value.metadata, file: loaded.path)
        try loaded.value.restore(generator.namedState(), prefix: "G.", file: loaded.path)
        try loaded.value.restore(discriminator.namedState(), prefix: "D.", file: loaded.path)
        try loaded.value.restore(average.namedState(), prefix: "EMA.", file: loaded.path)
        return loaded
    }

    /// G and the average from the generator file at `path`, checked against this theme's network;
    /// nil when there is no such file.
    private func loadGenerator(from path: String) throws -> SafeTensorsFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let shipped = try SafeTensorsFile(contentsOf: path)
        try checkCompatible(shipped.metadata, file: path, format: CheckpointFiles.generatorFormat)
        try shipped.restore(generator.namedState(), prefix: "", file: path)
        try shipped.restore(average.namedState(), prefix: "", file: path)
        return shipped
    }

    /// Makes the theme's `training.precision` the process's GEMM precision (themes of one overnight run
    /// may differ, so every slice sets its own) and returns what runs.
    @discardableResult
    public func useGEMMPrecision() throws -> GEMMBackend {
        try GEMMBackend.use(Precision(rawValue: theme.training.precision.rawValue)!)
    }

    /// Metadata naming what the tensors are: theme, its hash and resolved form, architecture, and the
    /// GEMM precision the latest steps ran with (a run may change it; it does not make files incompatible).
    func describe(format: String) -> [String: String] {
        let parameters = try? JSONEncoder.sorted.encode(theme.architecture.parameters)
        return [
            "format": format,
            "theme": theme.name,
            "theme_hash": theme.contentHash,
            "theme_json": String(decoding: theme.canonicalJSON(), as: UTF8.self),
            "architecture": theme.architecture.name,
            "architecture_parameters": parameters.map { String(decoding: $0, as: UTF8.self) } ?? "{}",
            "resolution": String(theme.dataset.resolution),
            "latent": String(architecture.latent),
            "precision": GEMMBackend.current.precision.rawValue,
            "gemm": GEMMBackend.current.rawValue,
        ]
    }

    /// A state from another architecture, resolution or format is refused, naming both sides.
    func checkCompatible(_ metadata: [String: String], file: String, format: String = CheckpointFiles.stateFormat) throws {
        let mine = describe(format: format)
        for key in ["format", "architecture", "architecture_parameters", "resolution"] where metadata[key] != mine[key] {
            if key == "architecture_parameters", sameParameters(metadata[key]) { continue }
            throw IncompatibleCheckpoint(file: file, key: key, found: metadata[key] ?? "nothing", expected: mine[key] ?? "")
        }
    }

    /// Whether recorded architecture parameters (JSON) are the theme's once a key the file does not
    /// name is read as its declared default: a parameter added after the file was written (as
    /// `minibatch_std` was) leaves the file usable while the theme keeps that default.
    private func sameParameters(_ recorded: String?) -> Bool {
        guard let recorded, let found = try? JSONDecoder().decode([String: ParameterValue].self, from: Data(recorded.utf8)),
              let declaration = ArchitectureRegistry.named(theme.architecture.name)?.declaration else { return false }
        let defaults = Dictionary(uniqueKeysWithValues: declaration.parameters.map { ($0.key, $0.defaultValue) })
        return found.merging(defaults) { recorded, _ in recorded } == theme.architecture.parameters.merging(defaults) { mine, _ in mine }
    }

    /// Moves this theme's state, generator, log and samples into archive/<time>/ so training starts over
    /// without destroying the previous run. Returns the archive folder, or nil when there was nothing.
    public static func archivePreviousRun(folder: URL, now: Date = Date()) throws -> URL? {
        let fm = FileManager.default
        let present = CheckpointFiles.run.filter { fm.fileExists(atPath: folder.appendingPathComponent($0).path) }
        guard !present.isEmpty else { return nil }
        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "-")
        let archive = folder.appendingPathComponent("archive/\(stamp)", isDirectory: true)
        try fm.createDirectory(at: archive, withIntermediateDirectories: true)
        for name in present {
            try fm.moveItem(at: folder.appendingPathComponent(name), to: archive.appendingPathComponent(name))
        }
        return archive
    }
}

extension JSONEncoder {
    /// Sorted keys, so the same value always gives the same bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// `training.init_from` names a theme that has neither a training state nor a generator to start from.
public struct MissingInitialWeights: Error, CustomStringConvertible {
    public let theme: String, source: String, folder: String
    public var description: String {
        "\(theme): training.init_from is \(source), but \(folder) holds neither \(CheckpointFiles.state) nor "
            + "\(CheckpointFiles.generator); train \(source) first, or remove init_from to start from random weights"
    }
}

public struct NonFiniteWeights: Error, CustomStringConvertible {
    public let theme: String
    public var description: String { "\(theme): weights are not finite; the checkpoint was not written" }
}
