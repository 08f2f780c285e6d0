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
    /// R: the pictures' height and width.
    var resolution: Int { get }
    func callAsFunction(_ z: Tensor) -> Tensor
}

/// Scores image batches; owns its loss, since what the logits mean (and any auxiliary task) differs
/// between architectures. Batches arrive already augmented, [N, 3, R, R] in [-1, 1].
public protocol ImageDiscriminator: Module {
    /// images [N, 3, R, R] → logits [N, …]: one per image, or one per patch of it.
    func callAsFunction(_ images: Tensor) -> Tensor

    /// The loss D minimises, in two passes of D: the real pictures', handed to `realPass` as soon as it
    /// is made, then the fake ones', returned. Back-propagated as they come, a step holds one graph of D
    /// rather than two, and `fake` is called only between the passes, so G's graph is not held through
    /// the real pass either (PyTorch's DCGAN step runs in this order). The fake pictures are detached
    /// here, so the step never reaches into G. `rng` picks anything random the loss needs (FastGAN's
    /// reconstructed crop).
    func discriminatorLoss(real: Tensor, fake: () -> Tensor, rng: inout RandomGenerator,
                           realPass: (GANLoss) -> Void) -> GANLoss

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
    /// D's step: `discriminatorLoss` with each pass's term multiplied by `scale` (a rank's share of the
    /// batch) and back-propagated as it is made, where gradients are recorded. With `optimizer`, the
    /// fake pass, the last, takes its update within its backward (`Adam.update(backPropagating:)`: D's
    /// largest gradients are let go before backward reaches its first layers), and the caller must not
    /// update again. Returns the scaled loss and its named terms, for the log.
    public func discriminatorBackward(real: Tensor, fake: () -> Tensor, rng: inout RandomGenerator, scale: Float = 1,
                                      updating optimizer: Adam? = nil) -> (total: Float, parts: [(name: String, value: Float)]) {
        var total: Float = 0
        var parts: [(name: String, value: Float)] = []
        func backPropagate(_ loss: GANLoss, updating optimizer: Adam?) {
            let scaled = scale == 1 ? loss.total : loss.total.affine(scale: scale)
            switch (scaled.requiresGrad, optimizer) {
            case (true, let optimizer?): optimizer.update(backPropagating: scaled)
            case (true, nil): scaled.backward()
            case (false, let optimizer?): optimizer.update()
            case (false, nil): break
            }
            total += scaled.item
            parts += loss.parts.map { ($0.name, $0.value * scale) }
        }
        let fakePass = discriminatorLoss(real: real, fake: fake, rng: &rng) { backPropagate($0, updating: nil) }
        backPropagate(fakePass, updating: optimizer)
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
