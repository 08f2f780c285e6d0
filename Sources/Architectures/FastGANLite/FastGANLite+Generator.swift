import Engine
import Layers

extension FastGANLite {
    /// z [N, latent] → images [N, 3, R, R] in [-1, 1]: 4×4 from a transposed conv, up-blocks to R,
    /// and skip-layer excitation from 4, 8, 16 into 64, 128, 256 (as many as R allows).
    public final class Generator: Module, ImageGenerator {
        /// Doublings between an excitation's source and target feature sizes (4 → 64).
        static let excitationSpan = 4

        public let latent: Int
        let initial: ConvTranspose2d
        let initialNorm: BatchNorm2d
        /// blocks[i] makes the features of size 8·2^i.
        let blocks: [UpBlock]
        /// excitations[j] gates size 64·2^j with size 4·2^j.
        let excitations: [SkipLayerExcitation]
        let toImage: Conv2d

        public init(latent: Int, channels: Channels, resolution: Int, rng: inout RandomGenerator) {
            precondition(resolution >= 8 && resolution & (resolution - 1) == 0, "FastGAN needs a power-of-two resolution")
            self.latent = latent
            let sizes = (2...resolution.trailingZeroBitCount).map { 1 << $0 }
            initial = ConvTranspose2d(inputChannels: latent, outputChannels: 2 * channels.generator(4), kernelSize: 4,
                                      bias: false, rng: &rng)
            initialNorm = BatchNorm2d(channels: 2 * channels.generator(4), gammaStd: 0.02, rng: &rng)
            blocks = zip(sizes, sizes.dropFirst()).map { small, big in
                UpBlock(input: channels.generator(small), output: channels.generator(big), spectralNorm: false, rng: &rng)
            }
            excitations = SkipLayerExcitation.spanning(sizes, span: Self.excitationSpan, channels: channels.generator,
                                                       spectralNorm: false, rng: &rng)
            toImage = Conv2d(inputChannels: channels.generator(resolution), outputChannels: 3, kernelSize: 3, padding: 1,
                             bias: false, rng: &rng)
        }

        public func callAsFunction(_ z: Tensor) -> Tensor {
            let at4 = initialNorm(initial(z.reshaped([z.shape[0], latent, 1, 1]))).glu()
            let features = excitations.features(from: at4, through: blocks.map { $0.callAsFunction }, span: Self.excitationSpan)
            return toImage(features.last!, activation: .tanh)
        }
    }
}
