import Engine
import Layers

extension FastGANLite {
    /// The paper's UpBlock, nearest ×2 and one gated conv, or (`compound`) its UpBlockComp: two gated
    /// convs, each with noise injection. The upsampling and the first conv run as one transposed
    /// convolution (`Conv2d.upsampling`). [N, input, H, W] → [N, output, 2H, 2W].
    final class UpBlock: Module {
        let stages: [GatedConv]

        init(input: Int, output: Int, compound: Bool, rng: inout RandomGenerator) {
            stages = compound
                ? [GatedConv(input: input, output: output, noise: true, rng: &rng),
                   GatedConv(input: output, output: output, noise: true, rng: &rng)]
                : [GatedConv(input: input, output: output, noise: false, rng: &rng)]
        }

        /// `noise`: one stream per sample, which a compound block's injections draw from (a plain one needs none).
        func callAsFunction(_ x: Tensor, noise: [RandomGenerator] = []) -> Tensor {
            stages.enumerated().reduce(x) { x, stage in
                stage.element(x, upsampling: stage.offset == 0, noise: noise.map { $0.derived(UInt64(stage.offset)) })
            }
        }
    }

    /// Spectrally normalised conv 3×3 to twice `output` channels, noise injection if any, batch norm, GLU.
    /// [N, input, H, W] → [N, output, H, W].
    final class GatedConv: Module {
        let conv: Conv2d
        let noise: NoiseInjection?
        let norm: BatchNorm2d

        init(input: Int, output: Int, noise: Bool, rng: inout RandomGenerator) {
            conv = Conv2d(inputChannels: input, outputChannels: 2 * output, kernelSize: 3, padding: 1, bias: false,
                          spectralNorm: true, rng: &rng)
            self.noise = noise ? NoiseInjection() : nil
            norm = BatchNorm2d(channels: 2 * output, gammaStd: 0.02, rng: &rng)
        }

        /// `upsampling`: of x upsampled ×2 (nearest), [N, output, 2H, 2W].
        func callAsFunction(_ x: Tensor, upsampling: Bool, noise streams: [RandomGenerator]) -> Tensor {
            let y = upsampling ? conv.upsampling(x) : conv(x)
            // The noise goes in as the norm reads y: the block's largest tensor is not made twice.
            return norm.gated(y, noise: noise.map { (planes: $0.planes(for: y, streams: streams), weight: $0.weight) })
        }
    }
}
