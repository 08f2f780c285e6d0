import Engine
import Layers

extension FastGANLite {
    /// Skip-layer excitation (SLE): a feature map far away in resolution gates the channels of another,
    /// a cheap long skip connection. Source [N, Cs, S, S] (S a multiple of 4) is pooled to 4×4,
    /// turned into a gate [N, Ct, 1, 1] in (0, 1) by two spectrally normalised convs, and multiplied
    /// into target [N, Ct, H, W].
    final class SkipLayerExcitation: Module {
        let squeeze: Conv2d
        let excite: Conv2d

        init(source: Int, target: Int, rng: inout RandomGenerator) {
            squeeze = Conv2d(inputChannels: source, outputChannels: target, kernelSize: 4, bias: false,
                             spectralNorm: true, rng: &rng)
            excite = Conv2d(inputChannels: target, outputChannels: target, kernelSize: 1, bias: false,
                            spectralNorm: true, rng: &rng)
        }

        func callAsFunction(_ source: Tensor, into target: Tensor) -> Tensor {
            let size = source.shape[2]
            precondition(size % 4 == 0, "excitation source of \(size)×\(size) cannot pool to 4×4")
            let pooled = size == 4 ? source : source.avgPool(size / 4)
            return target.scaledPerPlane(by: excite(squeeze(pooled).swish()).sigmoid())
        }

        /// One excitation from each size in `sizes` to the size `span` places later, in that order:
        /// excitations[j] gates `sizes[j + span]` with `sizes[j]`.
        static func spanning(_ sizes: [Int], span: Int, channels: (Int) -> Int,
                             rng: inout RandomGenerator) -> [SkipLayerExcitation] {
            zip(sizes, sizes.dropFirst(span)).map { source, target in
                SkipLayerExcitation(source: channels(source), target: channels(target), rng: &rng)
            }
        }
    }
}

extension Array where Element == FastGANLite.SkipLayerExcitation {
    /// `first` run through `blocks` in turn, each output gated by the features `span` blocks earlier once
    /// there are any (as `spanning` built them): [first, blocks[0]'s output, blocks[1]'s, …].
    func features(from first: Tensor, through blocks: [(Tensor) -> Tensor], span: Int) -> [Tensor] {
        var features = [first]
        for (i, block) in blocks.enumerated() {
            var x = block(features[i])
            let source = i + 1 - span
            if source >= 0 { x = self[source](features[source], into: x) }
            features.append(x)
        }
        return features
    }
}
