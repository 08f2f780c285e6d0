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
    /// Latents, augmentation draws and loss randomness, in that order each step.
    var rng: RandomGenerator
    public internal(set) var counters = Counters()
    /// Real pictures and their floor for `measureQuality()`, gathered at its first call.
    var qualityMeasure: QualityMeasure?
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
    /// caller rolls back).
    public func step() -> Bool {
        let real = sampler.next()
        let batch = real.shape[0]
        let z = Tensor(randomNormal: [batch, architecture.latent], rng: &rng)
        let fake = generator(z)

        optimizerD.zeroGrad()
        let lossD = discriminator.discriminatorLoss(real: augment(real, rng: &rng), fake: augment(fake.detached(), rng: &rng),
                                                    rng: &rng)
        lossD.total.backward()
        optimizerD.update()

        counters.step += 1
        counters.imagesSeen += batch
        let lossesD = [("D", lossD.total.item)] + lossD.parts.map { ("D.\($0.name)", $0.value) }
        guard counters.discriminatorWarmUp == 0 else {
            counters.discriminatorWarmUp -= 1
            losses = lossesD
            return lossD.total.item.isFinite
        }
        optimizerG.zeroGrad()
        let lossG = discriminator.generatorLoss(fake: augment(fake, rng: &rng))
        lossG.total.backward()
        optimizerG.update()
        ema.update(step: counters.step)
        losses = lossesD + [("G", lossG.total.item)] + lossG.parts.map { ("G.\($0.name)", $0.value) }
        return lossD.total.item.isFinite && lossG.total.item.isFinite
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
