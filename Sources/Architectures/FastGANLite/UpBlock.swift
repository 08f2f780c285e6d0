import Engine
import Layers

extension FastGANLite {
    /// The paper's UpBlock: nearest ×2, conv 3×3 to twice the channels, batch norm, GLU.
    /// [N, input, H, W] → [N, output, 2H, 2W].
    final class UpBlock: Module {
        let conv: Conv2d
        let norm: BatchNorm2d

        init(input: Int, output: Int, spectralNorm: Bool, rng: inout RandomGenerator) {
            conv = Conv2d(inputChannels: input, outputChannels: 2 * output, kernelSize: 3, padding: 1, bias: false,
                          spectralNorm: spectralNorm, rng: &rng)
            norm = BatchNorm2d(channels: 2 * output, gammaStd: 0.02, rng: &rng)
        }

        func callAsFunction(_ x: Tensor) -> Tensor {
            norm(conv(x.upsampleNearest(2))).glu()
        }
    }
}
