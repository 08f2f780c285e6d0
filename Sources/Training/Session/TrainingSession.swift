import Architectures
import Datasets
import Engine
import Evaluation
import Foundation
import Imaging
import Layers
import ThemeConfig

/// One theme's training: networks, optimisers, data order and counters, all restorable from the
/// theme's state file so that N steps, a stop, a resume and M steps equal N + M steps exactly.
public final class TrainingSession {
    public let theme: Theme
    public let folder: URL
    let architecture: any Architecture
    let generator: any ImageGenerator
    let discriminator: any ImageDiscriminator
    /// The exponential moving average of the generator: what samples show and what ships.
    let average: any ImageGenerator
    let ema: ExponentialMovingAverage
    let optimizerG: Adam
    let optimizerD: Adam
    let augment: DiffAugment
    var sampler: BatchSampler
    /// One word per step, which seeds that step's per-sample streams (see `StepRandomness`).
    var rng: RandomGenerator
    /// The ranks sharing each batch when this theme trains data-parallel under mpirun; nil alone.
    public internal(set) var team: DataParallel?
    lazy var gradientsG = GradientBuckets(parameters: optimizerG.parameters.map(\.tensor))
    lazy var gradientsD = GradientBuckets(parameters: optimizerD.parameters.map(\.tensor))
    public internal(set) var counters = Counters()
    /// Real pictures and their floor for `measureQuality()`, gathered at its first call.
    var qualityMeasure: QualityMeasure?
    /// The step at which the average last measured its own batch-norm statistics (`refreshAverageStatistics`).
    var averageStatisticsStep: Int?
    /// The last step's loss terms, D's then G's.
    public internal(set) var losses: [(name: String, value: Float)] = []

    /// Progress that survives a restart.
    public struct Counters: Codable, Equatable, Sendable {
        public var step = 0
        public var imagesSeen = 0
        /// Wall time spent training this theme, all runs together.
        public var seconds = 0.0
        public var learningRate: Double? = nil
        public var lastCheckpoint = Mark()
        public var lastSample = Mark()
        /// Nil until the first measurement (and in state files from before training measured).
        public var lastEval: Mark? = nil
        /// Updates each Adam has taken (its bias correction counts from its own start): `step`, unless
        /// training continued from a shipped generator with fresh optimisers. Taken from the optimisers
        /// at each checkpoint.
        public var generatorUpdates = 0
        public var discriminatorUpdates = 0
        /// Steps left in which only D learns: after continuing from a shipped generator, a fresh D would
        /// otherwise push the trained G around with noise before it has learned anything.
        public var discriminatorWarmUp = 0

        /// Where in images and seconds something last happened.
        public struct Mark: Codable, Equatable, Sendable {
            public var images = 0
            public var seconds = 0.0
        }
    }

    /// Builds the networks from the theme's seed; `resume()` then loads the state file if there is one.
    public init(theme: Theme, dataset: Dataset) throws {
        self.theme = theme
        folder = theme.checkpoint
        architecture = try ArchitectureRegistry.make(theme.architecture.name, parameters: theme.architecture.parameters,
                                                     resolution: theme.dataset.resolution)
        var rng = RandomGenerator(seed: UInt64(theme.training.seed))
        generator = architecture.makeGenerator(rng: &rng)
        discriminator = architecture.makeDiscriminator(rng: &rng)
        average = architecture.makeGenerator(rng: &rng)
        average.train(false)
        ema = ExponentialMovingAverage(average: average, of: generator, decay: Float(theme.training.ema))
        let t = theme.training
        optimizerG = Adam(parameters: generator.namedParameters(), learningRate: Float(t.lr), beta1: Float(t.beta1), beta2: Float(t.beta2))
        optimizerD = Adam(parameters: discriminator.namedParameters(), learningRate: Float(t.lr), beta1: Float(t.beta1), beta2: Float(t.beta2))
        augment = DiffAugment(policy: theme.dataset.augment)
        sampler = BatchSampler(dataset: dataset, batchSize: t.batch, seed: rng.next(), flip: theme.dataset.flip)
        self.rng = rng
        try useGEMMPrecision()
    }

    public var kimg: Double { Double(counters.imagesSeen) / 1000 }

    /// True once the theme's budget (images and/or minutes, whichever comes first) is spent.
    public var budgetReached: Bool { theme.training.budget.isReached(images: counters.imagesSeen, seconds: counters.seconds) }

    /// One discriminator step on a real and a generated batch, then one generator step through the
    /// updated discriminator, then the moving average. Returns false when a loss was not finite (the
    /// caller rolls back). Data-parallel, this rank takes its slice of the global batch, batch norm
    /// uses the global batch's statistics and the gradients are summed over ranks before each update,
    /// so K ranks step exactly as one process with the whole batch would (up to float rounding).
    public func step() -> Bool {
        let batch = theme.training.batch
        let slice = team?.slice(of: batch) ?? 0..<batch
        // Each rank's loss is a mean over its slice; weighted by its share, the sum over ranks is the global mean.
        let weight = Float(slice.count) / Float(batch)
        let draws = StepRandomness(seed: rng.next(), slice: slice)
        // Its buffers go where a plan made from earlier steps puts them (BufferPool.step).
        return BufferPool.shared.step(of: self) {
            BatchNormSync.across(team?.batchNormSum) {
                let real = sampler.next(slice: slice)

                optimizerD.zeroGrad()
                var realStreams = draws.streams(.realAugmentation), fakeStreams = draws.streams(.fakeAugmentationD)
                var lossRNG = draws.shared
                // G draws the fake batch after D's real pass (its graph, kept for G's step, is not held
                // through that pass), and alone D takes its update within its last pass; in a team the
                // gradients are summed over ranks first.
                var fake: Tensor!
                let lossD = discriminator.discriminatorBackward(real: augment(real, images: &realStreams), fake: {
                    fake = generator(draws.latents(width: architecture.latent))
                    return augment(fake.detached(), images: &fakeStreams)
                }, rng: &lossRNG, scale: weight, updating: team == nil ? optimizerD : nil)
                var valuesD = [lossD.total] + lossD.parts.map(\.value)
                if let team {
                    team.sum(gradientsD, extras: &valuesD, newStep: true)
                    optimizerD.update()
                }

                counters.step += 1
                counters.imagesSeen += batch
                let lossesD = [("D", valuesD[0])] + zip(lossD.parts, valuesD.dropFirst()).map { ("D.\($0.name)", $1) }
                guard counters.discriminatorWarmUp == 0 else {
                    counters.discriminatorWarmUp -= 1
                    losses = lossesD
                    return valuesD[0].isFinite
                }
                optimizerG.zeroGrad()
                var streamsG = draws.streams(.fakeAugmentationG)
                let lossG = discriminator.frozen {
                    let lossG = discriminator.generatorLoss(fake: augment(fake, images: &streamsG))
                    lossG.total.affine(scale: weight).backward()
                    return lossG
                }
                var valuesG = ([lossG.total.item] + lossG.parts.map(\.value)).map { $0 * weight }
                team?.sum(gradientsG, extras: &valuesG, newStep: false)
                optimizerG.update()
                ema.update(step: counters.step)
                losses = lossesD + [("G", valuesG[0])] + zip(lossG.parts, valuesG.dropFirst()).map { ("G.\($0.name)", $1) }
                return valuesD[0].isFinite && valuesG[0].isFinite
            }
        }
    }

    /// Adds wall time spent on this theme (steps, samples, checkpoints).
    public func addTime(_ seconds: Double) { counters.seconds += seconds }

    /// The rate both optimisers use: the theme's, or less after rollbacks.
    public var learningRate: Double { counters.learningRate ?? theme.training.lr }

    /// Halves both learning rates (after a rollback from non-finite values).
    public func halveLearningRate() {
        counters.learningRate = learningRate / 2
        optimizerG.learningRate = Float(learningRate)
        optimizerD.learningRate = Float(learningRate)
    }

    /// True when every weight of both networks and the average is finite.
    public var weightsAreFinite: Bool {
        [generator.namedState(), discriminator.namedState(), average.namedState()].allSatisfy { state in
            state.allSatisfy { UnsafeBufferPointer(start: $0.tensor.data, count: $0.tensor.count).allSatisfy(\.isFinite) }
        }
    }

    /// The checkpoint folder's file `name`.
    public func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

extension Span {
    /// Whether `images` seen or `seconds` spent reach this span (whichever is set; neither: never).
    public func isReached(images: Int, seconds: Double) -> Bool {
        if let kimg, Double(images) >= kimg * 1000 { return true }
        if let minutes, seconds >= minutes * 60 { return true }
        return false
    }

    /// Whether this span has passed since `mark`.
    func hasPassed(since mark: TrainingSession.Counters.Mark, images: Int, seconds: Double) -> Bool {
        isReached(images: images - mark.images, seconds: seconds - mark.seconds)
    }
}
