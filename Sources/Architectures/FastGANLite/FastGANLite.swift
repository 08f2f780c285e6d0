import Engine
import Layers
import ThemeConfig

/// FastGAN, slimmed (Liu et al. 2021, "Towards Faster and Stabilized GAN Training for High-fidelity
/// Few-shot Image Synthesis"): a GLU up-sampling generator with noise injection and skip-layer
/// excitation, and a discriminator that must also decode real images from its own features, which
/// keeps it from overfitting a few hundred pictures; every conv of both spectrally normalised, as in
/// the paper's code. Hinge loss with random margins; L1 for the reconstructions.
///
/// Lite means: narrower (width 16 has a quarter of the paper's G channels and half its D's), a
/// discriminator that starts with a strided conv and has no second low-resolution branch, decoders to
/// 32×32, and L1 instead of LPIPS.
public enum FastGANLite: LatentWidthFamily {
    public static let declaration = PluginDeclaration(
        name: "fastgan-lite", resolutions: [64, 128, 256],
        parameters: [
            .latent(default: 128),
            ParameterSpec(key: "width", kind: .int(4...128), defaultValue: .int(16),
                          doc: "Channel multiplier (G has 16× this at 4×4); 16 costs about 1.5× the multiply-adds of DCGAN-64 per training step."),
            .minibatchDeviation,
        ],
        summary: "Liu et al. 2021, slimmed: skip-layer excitation and a self-supervised discriminator; made for small datasets.")

    public static func makeGenerator(_ settings: LatentWidthArchitecture<Self>, rng: inout RandomGenerator) -> any ImageGenerator {
        Generator(latent: settings.latent, channels: Channels(width: settings.width), resolution: settings.resolution,
                  rng: &rng)
    }

    public static func makeDiscriminator(_ settings: LatentWidthArchitecture<Self>,
                                         rng: inout RandomGenerator) -> any ImageDiscriminator {
        Discriminator(channels: Channels(width: settings.width), resolution: settings.resolution,
                      minibatchGroup: settings.minibatchGroup, rng: &rng)
    }

    /// Channel counts by feature size (pixels per side): the paper's `nfc_multi` tables times `width`.
    public struct Channels: Sendable {
        static let generatorTable: [Int: Double] = [4: 16, 8: 8, 16: 4, 32: 2, 64: 2, 128: 1, 256: 0.5]
        static let discriminatorTable: [Int: Double] = [8: 16, 16: 8, 32: 4, 64: 2, 128: 1]
        /// The discriminator's reconstruction decoders, 8×8 features → 32×32 image.
        static let decoderTable: [Int: Double] = [16: 2, 32: 1]

        public let width: Int

        public init(width: Int) { self.width = width }

        public func generator(_ size: Int) -> Int { scaled(Self.generatorTable, size) }
        public func discriminator(_ size: Int) -> Int { scaled(Self.discriminatorTable, size) }
        public func decoder(_ size: Int) -> Int { scaled(Self.decoderTable, size) }

        private func scaled(_ table: [Int: Double], _ size: Int) -> Int {
            guard let multiple = table[size] else { preconditionFailure("no channel count for \(size)×\(size)") }
            return max(1, Int(multiple * Double(width)))
        }
    }
}
