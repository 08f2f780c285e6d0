import Engine
import Layers
import ThemeConfig

/// DCGAN (Radford et al. 2016): transposed-conv generator and strided-conv discriminator with batch
/// norm, at resolution 2^k ≥ 32. Width is the channel count next to the image (ngf = ndf); channels
/// double at each halving of the resolution, so 64×64 with width 64 is the paper's network.
/// Losses are the non-saturating BCE-with-logits of Goodfellow et al.
public enum DCGAN: LatentWidthFamily {
    public static let declaration = PluginDeclaration(
        name: "dcgan", resolutions: [32, 64, 128],
        parameters: [
            .latent(default: 100),
            ParameterSpec(key: "width", kind: .int(8...256), defaultValue: .int(64),
                          doc: "Channels of the layers next to the image; they double toward 4×4."),
            .minibatchDeviation,
        ],
        summary: "Radford et al. 2016: transposed convolutions and batch norm; quick, fine at 32–64 px.")

    public static func makeGenerator(_ settings: LatentWidthArchitecture<Self>, rng: inout RandomGenerator) -> any ImageGenerator {
        Generator(latent: settings.latent, width: settings.width, resolution: settings.resolution, rng: &rng)
    }

    public static func makeDiscriminator(_ settings: LatentWidthArchitecture<Self>,
                                         rng: inout RandomGenerator) -> any ImageDiscriminator {
        Discriminator(width: settings.width, resolution: settings.resolution, minibatchGroup: settings.minibatchGroup, rng: &rng)
    }

    /// Upsampling stages from 4×4 to `resolution`.
    static func stages(_ resolution: Int) -> Int {
        precondition(resolution >= 8 && resolution & (resolution - 1) == 0, "DCGAN needs a power-of-two resolution")
        return resolution.trailingZeroBitCount - 2
    }

    /// z [N, latent] → images [N, 3, R, R] in [-1, 1].
    public final class Generator: Module, ImageGenerator {
        public let latent: Int, resolution: Int
        let layers: [ConvTranspose2d]
        let norms: [BatchNorm2d]

        public init(latent: Int, width: Int, resolution: Int, rng: inout RandomGenerator) {
            (self.latent, self.resolution) = (latent, resolution)
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
            for (layer, norm) in zip(layers, norms) { x = layer(x, normalizedBy: norm, activation: .relu) }
            return layers.last!(x, activation: .tanh)
        }
    }

    /// images [N, 3, R, R] → logits [N].
    public final class Discriminator: Module, ImageDiscriminator {
        let layers: [Conv2d]
        let norms: [BatchNorm2d]
        /// Pictures per group of the minibatch standard deviation the last layer sees; below 2, none.
        let minibatchGroup: Int

        public init(width: Int, resolution: Int, minibatchGroup: Int = 0, rng: inout RandomGenerator) {
            let n = DCGAN.stages(resolution)
            let channels = [3] + (0..<n).map { width << $0 } + [1]
            self.minibatchGroup = minibatchGroup
            layers = (0...n).map { i in
                Conv2d(inputChannels: channels[i] + (i == n && minibatchGroup >= 2 ? 1 : 0), outputChannels: channels[i + 1],
                       kernelSize: 4, stride: i == n ? 1 : 2, padding: i == n ? 0 : 1, bias: false, rng: &rng)
            }
            norms = (2...n).map { BatchNorm2d(channels: channels[$0], gammaStd: 0.02, rng: &rng) }
        }

        public func callAsFunction(_ images: Tensor) -> Tensor {
            var x = layers[0](images, activation: .leakyReLU(0.2))
            for (layer, norm) in zip(layers[1...], norms) { x = norm(layer(x), activation: .leakyReLU(0.2)) }
            if minibatchGroup >= 2 { x = x.appendingMinibatchDeviation(group: minibatchGroup) }
            return layers.last!(x).reshaped([images.shape[0]])
        }

        /// BCE(D(real), 1) + BCE(D(fake), 0).
        public func discriminatorLoss(real: Tensor, fake: () -> Tensor, rng: inout RandomGenerator,
                                      realPass: (GANLoss) -> Void) -> GANLoss {
            let lossReal = self(real).bceWithLogits(target: 1)
            realPass(GANLoss(total: lossReal, parts: [("real", lossReal.item)]))
            let lossFake = self(fake().detached()).bceWithLogits(target: 0)
            return GANLoss(total: lossFake, parts: [("fake", lossFake.item)])
        }

        /// Non-saturating: BCE(D(G(z)), 1).
        public func generatorLoss(fake: Tensor) -> GANLoss {
            let loss = self(fake).bceWithLogits(target: 1)
            return GANLoss(total: loss, parts: [("fake", loss.item)])
        }
    }
}
