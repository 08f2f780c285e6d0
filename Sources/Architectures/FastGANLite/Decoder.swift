import Engine
import Layers

extension FastGANLite {
    /// The discriminator's auxiliary decoder: features [N, C, 8, 8] → image [N, 3, 32, 32] in [-1, 1].
    /// Having to rebuild real images from its features makes D learn more than a real/fake cue.
    final class Decoder: Module {
        static let outputSize = 32

        let blocks: [UpBlock]
        let toImage: Conv2d

        init(input: Int, channels: Channels, rng: inout RandomGenerator) {
            let sizes = [16, 32]
            let widths = [input] + sizes.map(channels.decoder)
            blocks = zip(widths, widths.dropFirst()).map { UpBlock(input: $0, output: $1, compound: false, rng: &rng) }
            toImage = Conv2d(inputChannels: widths.last!, outputChannels: 3, kernelSize: 3, padding: 1, bias: false,
                             spectralNorm: true, rng: &rng)
        }

        func callAsFunction(_ features: Tensor) -> Tensor {
            toImage(blocks.reduce(features) { x, block in block(x) }, activation: .tanh)
        }
    }
}
