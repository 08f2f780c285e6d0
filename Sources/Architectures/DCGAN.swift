import Engine
import Layers

/// DCGAN (Radford et al. 2016): transposed-conv generator and strided-conv discriminator with batch
/// norm, at resolution 2^k ≥ 32. Width is the channel count next to the image (ngf = ndf); channels
/// double at each halving of the resolution, so 64×64 with width 64 is the paper's network.
public enum DCGAN {
    /// Upsampling stages from 4×4 to `resolution`.
    static func stages(_ resolution: Int) -> Int {
        precondition(resolution >= 8 && resolution & (resolution - 1) == 0, "DCGAN needs a power-of-two resolution")
        return resolution.trailingZeroBitCount - 2
    }

    /// z [N, latent] → images [N, 3, R, R] in [-1, 1].
    public final class Generator: Module {
        public let latent: Int
        let layers: [ConvTranspose2d]
        let norms: [BatchNorm2d]

        public init(latent: Int, width: Int, resolution: Int, rng: inout RandomGenerator) {
            self.latent = latent
            let n = DCGAN.stages(resolution)
            let channels = [latent] + (0..<n).map { width << (n - 1 - $0) } + [3]
            layers = (0...n).map { i in
                ConvTranspose2d(inputChannels: channels[i], outputChannels: channels[i + 1], kernelSize: 4,
                                stride: i == 0 ? 1 : 2, padding: i == 0 ? 0 : 1, bias: false, rng: &rng)
            }
            norms = (1...n).map { BatchNorm2d(channels: channels[$0], gammaStd: 0.02, rng: &rng) }
        }

        public func callAsFunction(_ z: Tensor) -> Tensor {
            var x = z.reshaped([z.shape[0], latent, 1, 1])
            for (layer, norm) in zip(layers, norms) { x = norm(layer(x)).relu() }
            return layers.last!(x).tanh()
        }
    }

    /// images [N, 3, R, R] → logits [N].
    public final class Discriminator: Module {
        let layers: [Conv2d]
        let norms: [BatchNorm2d]

        public init(width: Int, resolution: Int, rng: inout RandomGenerator) {
            let n = DCGAN.stages(resolution)
            let channels = [3] + (0..<n).map { width << $0 } + [1]
            layers = (0...n).map { i in
                Conv2d(inputChannels: channels[i], outputChannels: channels[i + 1], kernelSize: 4,
                       stride: i == n ? 1 : 2, padding: i == n ? 0 : 1, bias: false, rng: &rng)
            }
            norms = (2...n).map { BatchNorm2d(channels: channels[$0], gammaStd: 0.02, rng: &rng) }
        }

        public func callAsFunction(_ images: Tensor) -> Tensor {
            var x = layers[0](images).leakyReLU(0.2)
            for (layer, norm) in zip(layers[1...], norms) { x = norm(layer(x)).leakyReLU(0.2) }
            return layers.last!(x).reshaped([images.shape[0]])
        }
    }
}
