import Engine
import Layers

extension FastGANLite {
    /// The paper's DownBlockComp, spectrally normalised: the mean of a strided conv path
    /// (4×4 s2, 3×3) and a pooled 1×1 shortcut, each conv followed by batch norm and leaky ReLU.
    /// [N, input, H, W] → [N, output, H/2, W/2].
    final class DownBlock: Module {
        let down: Conv2d, downNorm: BatchNorm2d
        let refine: Conv2d, refineNorm: BatchNorm2d
        let shortcut: Conv2d, shortcutNorm: BatchNorm2d

        init(input: Int, output: Int, rng: inout RandomGenerator) {
            down = Conv2d(inputChannels: input, outputChannels: output, kernelSize: 4, stride: 2, padding: 1,
                          bias: false, spectralNorm: true, rng: &rng)
            downNorm = BatchNorm2d(channels: output, gammaStd: 0.02, rng: &rng)
            refine = Conv2d(inputChannels: output, outputChannels: output, kernelSize: 3, padding: 1,
                            bias: false, spectralNorm: true, rng: &rng)
            refineNorm = BatchNorm2d(channels: output, gammaStd: 0.02, rng: &rng)
            shortcut = Conv2d(inputChannels: input, outputChannels: output, kernelSize: 1, bias: false,
                              spectralNorm: true, rng: &rng)
            shortcutNorm = BatchNorm2d(channels: output, gammaStd: 0.02, rng: &rng)
        }

        func callAsFunction(_ x: Tensor) -> Tensor {
            let main = refineNorm(refine(downNorm(down(x), activation: .leakyReLU(0.2))), activation: .leakyReLU(0.2))
            let direct = shortcutNorm(shortcut(x.avgPool(2)), activation: .leakyReLU(0.2))
            return average(main, direct)
        }
    }
}
