import Foundation
import Synchronization

/// Which way each convolution shape runs under `ConvolutionAlgorithm.auto`. In training, on a shape's first
/// call both run on its operands, direct and im2col alternating twice, forward and backward; the faster by
/// best time is kept for the process. Inference follows a fixed rule instead, so that a seed makes the same
/// bytes in every run (`generate`, seasonal sets reproduced from their manifests): direct where the
/// convolution reads at least 16 channels, the rule the timings agree with on Zen 4 (oneDNN pads narrower
/// inputs to a block of 16: DCGAN's RGB-facing layers ran 2.5–3.5× slower direct, fastgan-lite's
/// 32 → 3 toImage 1.5× faster). The winner depends on the CPU, the precision and the
/// shape (on a Zen 4 in bf16, oneDNN's kernels lose on DCGAN's 4×4 stride-2 layers, where reordering
/// operands costs more than the kernels save, and win on fastgan-lite's), so it is measured, not assumed.
enum ConvolutionTuning {
    struct Shape: Hashable {
        let convolution: DirectConvolution
        let transposed: Bool
        /// Whether the call records a backward pass, and one to its input. Not whether the weights get a
        /// gradient: frozen (D in G's step) and trained, a layer must pass its input the same gradient.
        let training: Bool, inputGradient: Bool
    }

    /// Best seconds of each way.
    struct Trial {
        let direct: Double, im2col: Double
    }

    static let trials = Mutex<[Shape: Trial]>([:])

    /// Calls with fewer multiply-adds take im2col untimed under `auto` (`DirectConvolution` is nil): a trial
    /// would cost more than either way could save, and their timings are mostly noise.
    static let smallestTimed = 1 << 24

    /// Whether `shape` runs direct: forced, by the inference rule, or timed (`trial` runs the whole op once
    /// under whichever algorithm is current).
    static func runsDirect(_ shape: Shape, trial: () -> Void) -> Bool {
        switch ConvolutionAlgorithm.current {
        case .direct: return true
        case .im2col: return false
        case .auto: break
        }
        guard shape.training else { return shape.convolution.channels >= 16 }
        if let known = trials.withLock({ $0[shape] }) { return known.direct < known.im2col }
        var best = (direct: Double.infinity, im2col: Double.infinity)
        let before = ConvolutionAlgorithm.current
        defer { ConvolutionAlgorithm.current = before }
        for round in 0..<4 {
            let algorithm: ConvolutionAlgorithm = round % 2 == 0 ? .direct : .im2col
            ConvolutionAlgorithm.current = algorithm
            let started = DispatchTime.now().uptimeNanoseconds
            trial()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            if algorithm == .direct { best.direct = min(best.direct, seconds) } else { best.im2col = min(best.im2col, seconds) }
        }
        trials.withLock { $0[shape] = Trial(direct: best.direct, im2col: best.im2col) }
        return best.direct < best.im2col
    }

    /// Runs `op` forward and backward on leaves sharing x's and weight's values (and whether they need
    /// gradients): the trial `runsDirect` times.
    static func trial(_ x: Tensor, _ weight: Tensor, op: (Tensor, Tensor) -> Tensor) {
        let input = Tensor(shape: x.shape, storage: x.storage, requiresGrad: x.requiresGrad)
        let kernel = Tensor(shape: weight.shape, storage: weight.storage, requiresGrad: weight.requiresGrad)
        let out = op(input, kernel)
        out.backward(gradient: out)
    }

    /// One line per shape tried (in training: inference is never timed), for benchmarks: the shape, both
    /// times and the choice.
    static var summary: [String] {
        trials.withLock { trials in
            trials.sorted { ($0.key.convolution.channels, $0.key.convolution.height) < ($1.key.convolution.channels, $1.key.convolution.height) }
                .map { shape, trial in
                    let c = shape.convolution
                    let layer = shape.transposed
                        ? "convT \(c.outChannels)→\(c.channels) \(c.outHeight)→\(c.height)"
                        : "conv \(c.channels)→\(c.outChannels) \(c.height)→\(c.outHeight)"
                    return String(format: "%@ k%d s%d batch %d%@: direct %.2f ms, im2col %.2f ms → %@", layer, c.kernel, c.stride, c.batch,
                                  shape.inputGradient ? " (training, with dx)" : " (training)", trial.direct * 1e3, trial.im2col * 1e3,
                                  trial.direct < trial.im2col ? "direct (\(c.kernels))" : "im2col")
                }
        }
    }
}
