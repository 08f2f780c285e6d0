import Foundation
import Synchronization

/// Which way each convolution shape runs under `ConvolutionAlgorithm.auto`: oneDNN's direct kernel or the
/// shape's alternative, im2col + GEMM, or `NarrowConvolution` for a 3×3 layer to a few channels
/// (`NarrowTransposedConvolution` for a 4×4 stride-2 transposed one, in inference only). In
/// training, on a shape's first call both run on its operands, alternating twice, forward and backward;
/// the faster by best time is kept for the process. (Where Winograd makes a layer's forward and
/// input-gradient passes, float32 training of 4×4 stride-2 layers, it does so in both, so the trial
/// weighs the weight gradients.) Inference follows a fixed rule instead, so that a seed
/// makes the same bytes in every run (`generate`, seasonal sets reproduced from their manifests):
/// Winograd for the 4×4 stride-2 transposed layers (`Winograd.runs`, decided before this), the
/// narrow kernel where it applies, else direct where the convolution reads at least 16 channels, the
/// rule the timings agree with on Zen 4 (oneDNN pads narrower inputs to a block of 16: DCGAN's RGB-facing
/// layers ran 2.5–3.5× slower direct; fastgan-lite's 16 → 3 layer at 128 px, 14 ms direct and 11 ms
/// narrow per 32 pictures), but not for transposed layers out of a grid of at most 4×4
/// (`transposedFromFewPixels`). The winner depends on the CPU, the precision and the shape (on a Zen 4 in
/// bf16, oneDNN's kernels lose on DCGAN's 4×4 stride-2 layers, where reordering operands costs more than
/// the kernels save, and win on fastgan-lite's), so it is measured, not assumed.
enum ConvolutionTuning {
    struct Shape: Hashable, Codable {
        let convolution: DirectConvolution
        let transposed: Bool
        /// Whether the call records a backward pass, and one to its input. Not whether the weights get a
        /// gradient: frozen (D in G's step) and trained, a layer must pass its input the same gradient.
        let training: Bool, inputGradient: Bool
        /// The way direct is weighed against.
        let alternative: Alternative

        /// Whether the layer is transposed from a grid of at most 4×4 pixels (the output of the convolution it
        /// is the adjoint of): much weight for little picture. In inference such a layer takes
        /// im2col, whose one GEMM per batch reads the weights once; oneDNN's direct kernels took as long or
        /// longer everywhere measured (DCGAN-128's 1024 → 512 layer from 4×4, 32 pictures on Zen 4, direct
        /// against im2col: 48–55 against 49–54 ms in fp32, 39–43 against 30–35 in bf16, and 89–124 against
        /// 51–64 with both held to AVX2, as on a Zen 3).
        var transposedFromFewPixels: Bool { transposed && convolution.outHeight * convolution.outWidth <= 16 }
    }

    enum Alternative: String, Codable {
        case im2col, narrow

        var algorithm: ConvolutionAlgorithm { self == .im2col ? .im2col : .narrow }
    }

    /// Best seconds of each way.
    struct Trial: Codable {
        let direct: Double, alternative: Double
    }

    static let trials = Mutex<[Shape: Trial]>([:])

    /// Whether a trial is running: the ways it forces leave Winograd's passes as `auto` runs them.
    nonisolated(unsafe) static var trialling = false

    /// Calls with fewer multiply-adds take im2col untimed under `auto` (`DirectConvolution` is nil): a trial
    /// would cost more than either way could save, and their timings are mostly noise. Small in work is
    /// not small in columns: fastgan-lite's logits layer (512 → 1, 4×4 over 8×8, batch 48: 9.8M
    /// multiply-adds) gathers 16 columns per input value and takes 30 ms a step by im2col, 5.5 ms direct.
    static let smallestTimed = 1 << 22

    /// Layers with more weights take im2col untimed in training too. oneDNN's backward-weights pass holds
    /// a blocked weight gradient per core beside a weight-sized part for the second core, three times the
    /// weights (100 MB for DCGAN-128's 512 ↔ 1024 layers), where im2col's weight gradient goes by bands
    /// and holds none (`ConvGeometry.weightGradientByBands`): those layers' trials alone set the tensor
    /// pool's top at 128 px, and direct lost every one of them on Zen 4 (1.4–2.3× slower, either precision).
    static let largestTimedWeights = 1 << 22

    /// Whether `shape` runs direct: forced, by the inference rule, or timed (`trial` runs the whole op once
    /// under whichever algorithm is current).
    static func runsDirect(_ shape: Shape, trial: () -> Void) -> Bool {
        switch ConvolutionAlgorithm.current {
        case .direct: return true
        case .im2col, .narrow: return false
        case .auto: break
        }
        guard shape.training else {
            return shape.alternative == .im2col && shape.convolution.channels >= 16 && !shape.transposedFromFewPixels
        }
        if let known = trials.withLock({ $0[shape] }) { return known.direct < known.alternative }
        var best = (direct: Double.infinity, alternative: Double.infinity)
        let before = ConvolutionAlgorithm.current
        trialling = true
        defer { (ConvolutionAlgorithm.current, trialling) = (before, false) }
        BufferPool.shared.outsideStep {
            for round in 0..<4 {
                let direct = round % 2 == 0
                ConvolutionAlgorithm.current = direct ? .direct : shape.alternative.algorithm
                let started = DispatchTime.now().uptimeNanoseconds
                trial()
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                if direct { best.direct = min(best.direct, seconds) } else { best.alternative = min(best.alternative, seconds) }
            }
        }
        trials.withLock { $0[shape] = Trial(direct: best.direct, alternative: best.alternative) }
        return best.direct < best.alternative
    }

    /// Runs `op` forward and backward on leaves holding the first `trialImages` of x's images and sharing
    /// weight's values (and whether they need gradients): the trial `runsDirect` times. A shape's first call
    /// comes in the first step, with as much of the step live as at that moment of any step; a trial on the
    /// whole batch held its own output, input gradient and workspaces beside it (DCGAN-128 at batch 64: the
    /// first step's live bytes 610 MB against 571 in every later one, and the tensor pool is as large as
    /// its highest moment). Both ways' costs grow with the images alike, so a quarter of them chooses as well.
    static func trial(_ x: Tensor, _ weight: Tensor, op: (Tensor, Tensor) -> Tensor) {
        let images = trialImages(x.shape[0])
        let input = Tensor(uninitialized: [images] + x.shape.dropFirst())
        input.data.update(from: x.data, count: input.count)
        input.requiresGrad = x.requiresGrad
        let kernel = Tensor(shape: weight.shape, storage: weight.storage, requiresGrad: weight.requiresGrad)
        op(input, kernel).backwardFromOwnValues()
    }

    /// Images a trial runs on for a batch of `batch`: a quarter, but enough for every core to take several.
    static func trialImages(_ batch: Int) -> Int { min(batch, max(batch / 4, 4 * Parallel.workers)) }

    /// One shape's trial, as a training state records it.
    private struct Recorded: Codable {
        let shape: Shape, trial: Trial
    }

    /// Every trial so far, as JSON: a training state keeps it, so that a resumed run (a new process, which
    /// would time each shape afresh and might choose the other way where two were close) runs every layer
    /// as before, and its steps are the same bits as an uninterrupted run's.
    static var record: String {
        let recorded = trials.withLock { $0.map { Recorded(shape: $0.key, trial: $0.value) } }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(recorded)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// Takes the trials of `record` for shapes this process has not timed yet (one that has keeps its
    /// own: layers already run one way go on that way). Throws on text that is not such a record.
    static func adopt(_ record: String) throws {
        let recorded = try JSONDecoder().decode([Recorded].self, from: Data(record.utf8))
        trials.withLock { trials in
            for entry in recorded where trials[entry.shape] == nil { trials[entry.shape] = entry.trial }
        }
    }

    /// One line per shape tried (in training: inference is never timed), for benchmarks: the shape, both
    /// times (of `trialImages` images) and the choice.
    static var summary: [String] {
        trials.withLock { trials in
            trials.sorted { ($0.key.convolution.channels, $0.key.convolution.height) < ($1.key.convolution.channels, $1.key.convolution.height) }
                .map { shape, trial in
                    let c = shape.convolution
                    let layer = shape.transposed
                        ? "convT \(c.outChannels)→\(c.channels) \(c.outHeight)→\(c.height)"
                        : "conv \(c.channels)→\(c.outChannels) \(c.height)→\(c.outHeight)"
                    let other = shape.alternative.rawValue
                    return String(format: "%@ k%d s%d batch %d (training%@, timed on %d): direct %.2f ms, %@ %.2f ms → %@", layer,
                                  c.kernel, c.stride, c.batch, shape.inputGradient ? ", with dx" : "", trialImages(c.batch), trial.direct * 1e3, other,
                                  trial.alternative * 1e3, trial.direct < trial.alternative ? "direct (\(c.kernels))" : other)
                }
        }
    }
}
