import Engine
import Layers

extension FastGANLite {
    /// Skip-layer excitation (SLE): a feature map far away in resolution gates the channels of another,
    /// a cheap long skip connection. Source [N, Cs, S, S] (S a multiple of 4) is pooled to 4×4,
    /// turned into a gate [N, Ct, 1, 1] in (0, 1), and multiplied into target [N, Ct, H, W].
    final class SkipLayerExcitation: Module {
        let squeeze: Conv2d
        let excite: Conv2d

        init(source: Int, target: Int, spectralNorm: Bool, rng: inout RandomGenerator) {
            squeeze = Conv2d(inputChannels: source, outputChannels: target, kernelSize: 4, bias: false,
                             spectralNorm: spectralNorm, rng: &rng)
            excite = Conv2d(inputChannels: target, outputChannels: target, kernelSize: 1, bias: false,
                            spectralNorm: spectralNorm, rng: &rng)
        }

        func callAsFunction(_ source: Tensor, into target: Tensor) -> Tensor {
            let size = source.shape[2]
            precondition(size % 4 == 0, "excitation source of \(size)×\(size) cannot pool to 4×4")
            let pooled = size == 4 ? source : source.avgPool(size / 4)
            return target * excite(squeeze(pooled).swish()).sigmoid()
        }
    }
}
