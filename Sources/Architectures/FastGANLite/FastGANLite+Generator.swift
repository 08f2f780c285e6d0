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
            excitations = zip(sizes, sizes.dropFirst(Self.excitationSpan)).map { source, target in
                SkipLayerExcitation(source: channels.generator(source), target: channels.generator(target),
                                    spectralNorm: false, rng: &rng)
            }
            toImage = Conv2d(inputChannels: channels.generator(resolution), outputChannels: 3, kernelSize: 3, padding: 1,
                             bias: false, rng: &rng)
        }

        public func callAsFunction(_ z: Tensor) -> Tensor {
            var features = [initialNorm(initial(z.reshaped([z.shape[0], latent, 1, 1]))).glu()]
            for (i, block) in blocks.enumerated() {
                var x = block(features[i])
                let source = i + 1 - Self.excitationSpan
                if source >= 0 { x = excitations[source](features[source], into: x) }
                features.append(x)
            }
            return toImage(features.last!).tanh()
        }
    }
}
