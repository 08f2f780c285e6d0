import Engine
import Layers
import ThemeConfig

/// A GAN family the trainer drives by name: it declares what a theme may set, reads those settings,
/// and builds the two networks. Everything else (data, augmentation, optimisers) is the trainer's.
public protocol Architecture: Sendable {
    /// Name, resolutions and typed parameters with defaults, for theme validation and the YAML reference.
    static var declaration: PluginDeclaration { get }

    /// Reads `parameters` (missing keys take the declaration's defaults) for images of `resolution` px.
    init(parameters: [String: ParameterValue], resolution: Int) throws(ArchitectureError)

    /// Length of z.
    var latent: Int { get }

    /// A fresh generator; calling it again with any `rng` gives one of the same shape (the EMA copy).
    func makeGenerator(rng: inout RandomGenerator) -> any ImageGenerator

    func makeDiscriminator(rng: inout RandomGenerator) -> any ImageDiscriminator
}

/// z [N, latent] → images [N, 3, R, R] in [-1, 1].
public protocol ImageGenerator: Module {
    var latent: Int { get }
    func callAsFunction(_ z: Tensor) -> Tensor
}

/// Scores image batches; owns its loss, since what the logits mean (and any auxiliary task) differs
/// between architectures. Batches arrive already augmented, [N, 3, R, R] in [-1, 1].
public protocol ImageDiscriminator: Module {
    /// images [N, 3, R, R] → logits [N, …]: one per image, or one per patch of it.
    func callAsFunction(_ images: Tensor) -> Tensor

    /// The loss D minimises, one term per pass of D (the real pictures', then the fake ones'), each
    /// handed to `pass` as soon as it is made. Back-propagated there, a pass's activations are freed
    /// before the next pass runs, so a step holds one graph of D rather than two (PyTorch's DCGAN
    /// step does the same). `fake` is detached here, so the step never reaches into G. `rng` picks
    /// anything random the loss needs (FastGAN's reconstructed crop).
    func discriminatorLoss(real: Tensor, fake: Tensor, rng: inout RandomGenerator, pass: (GANLoss) -> Void)

    /// The loss G minimises through D; gradients flow back into `fake`.
    func generatorLoss(fake: Tensor) -> GANLoss
}

/// A scalar loss to back-propagate and its named terms, for the training log.
public struct GANLoss {
    /// Shape [], recorded on the tape.
    public let total: Tensor
    /// Each term's value in the order it was added, e.g. ("real", 0.41), ("fake", 0.52).
    public let parts: [(name: String, value: Float)]

    public init(total: Tensor, parts: [(name: String, value: Float)]) {
        self.total = total
        self.parts = parts
    }
}

extension ImageDiscriminator {
    /// D's step before the optimiser: `discriminatorLoss` with each pass's term multiplied by `scale`
    /// (a rank's share of the batch) and back-propagated as it is made, where gradients are recorded.
    /// Returns the scaled loss and its named terms, for the log.
    public func discriminatorBackward(real: Tensor, fake: Tensor, rng: inout RandomGenerator,
                                      scale: Float = 1) -> (total: Float, parts: [(name: String, value: Float)]) {
        var total: Float = 0
        var parts: [(name: String, value: Float)] = []
        discriminatorLoss(real: real, fake: fake, rng: &rng) { loss in
            let scaled = scale == 1 ? loss.total : loss.total.affine(scale: scale)
            if scaled.requiresGrad { scaled.backward() }
            total += scaled.item
            parts += loss.parts.map { ($0.name, $0.value * scale) }
        }
        return (total, parts)
    }
}

extension Architecture {
    /// Checks `resolution` against the declaration.
    public static func checkResolution(_ resolution: Int) throws(ArchitectureError) {
        guard declaration.resolutions.contains(resolution) else {
            throw .unsupportedResolution(architecture: declaration.name, resolution: resolution,
                                         supported: declaration.resolutions)
        }
    }
}
