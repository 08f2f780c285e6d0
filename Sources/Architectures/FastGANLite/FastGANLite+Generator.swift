import Engine
import Layers

extension FastGANLite {
    /// z [N, latent] → images [N, 3, R, R] in [-1, 1]: 4×4 from a transposed conv, up-blocks to R
    /// (compound, with noise, at 8, 32, 128; plain at 16, 64, 256), skip-layer excitation from 4, 8, 16
    /// into 64, 128, 256 (as many as R allows); every conv spectrally normalised, as in the paper.
    public final class Generator: Module, ImageGenerator {
        /// Doublings between an excitation's source and target feature sizes (4 → 64).
        static let excitationSpan = 4

        public let latent: Int, resolution: Int
        let initial: ConvTranspose2d
        let initialNorm: BatchNorm2d
        /// blocks[i] makes the features of size 8·2^i; the even ones are compound.
        let blocks: [UpBlock]
        /// excitations[j] gates size 64·2^j with size 4·2^j.
        let excitations: [SkipLayerExcitation]
        let toImage: Conv2d

        public init(latent: Int, channels: Channels, resolution: Int, rng: inout RandomGenerator) {
            precondition(resolution >= 8 && resolution & (resolution - 1) == 0, "FastGAN needs a power-of-two resolution")
            (self.latent, self.resolution) = (latent, resolution)
            let sizes = (2...resolution.trailingZeroBitCount).map { 1 << $0 }
            initial = ConvTranspose2d(inputChannels: latent, outputChannels: 2 * channels.generator(4), kernelSize: 4,
                                      bias: false, spectralNorm: true, rng: &rng)
            initialNorm = BatchNorm2d(channels: 2 * channels.generator(4), gammaStd: 0.02, rng: &rng)
            blocks = zip(sizes, sizes.dropFirst()).enumerated().map { i, pair in
                UpBlock(input: channels.generator(pair.0), output: channels.generator(pair.1), compound: i.isMultiple(of: 2),
                        rng: &rng)
            }
            excitations = SkipLayerExcitation.spanning(sizes, span: Self.excitationSpan, channels: channels.generator, rng: &rng)
            toImage = Conv2d(inputChannels: channels.generator(resolution), outputChannels: 3, kernelSize: 3, padding: 1,
                             bias: false, spectralNorm: true, rng: &rng)
        }

        /// The noise of sample i is seeded by z's row i: fresh with every fresh z in training, and the
        /// same picture for the same z when generating.
        public func callAsFunction(_ z: Tensor) -> Tensor {
            self(z, noise: RandomGenerator.seededByRows(of: z))
        }

        /// With sample i's noise drawn from `noise[i]` (block k's from its derived stream k).
        func callAsFunction(_ z: Tensor, noise: [RandomGenerator]) -> Tensor {
            let at4 = initialNorm.gated(initial(z.reshaped([z.shape[0], latent, 1, 1])))
            let steps = blocks.enumerated().map { k, block in
                { (x: Tensor) in block(x, noise: noise.map { $0.derived(UInt64(k)) }) }
            }
            let features = excitations.features(from: at4, through: steps, span: Self.excitationSpan)
            return toImage(features.last!, activation: .tanh)
        }
    }
}
