import CVectorMath
import Foundation
import Synchronization

/// The transposed 4×4 convolution with stride 2 and padding 1 (every upsampling layer of DCGAN's and
/// fastgan-lite's generators) by Winograd's minimal filtering, for inference. Output pixel (2y + a, 2x + b)
/// reads input pixels (y + a − 1 + k, x + b − 1 + k′), k, k′ ∈ {0, 1}, through taps
/// w[3 − a − 2k, 3 − b − 2k′]: the layer is four phases (a, b), each a 2×2 correlation over the input
/// grid. F(m×m, 2×2) makes an m×m block of a phase's outputs from (m + 1)² products per channel pair
/// instead of 4m²; for m = 4, 25 instead of 64 (2.56× fewer multiply-adds). The products of a phase's
/// tiles are (m + 1)² GEMMs [tiles, Cin] · [Cin, Cout], with channels innermost in every operand so the
/// transforms run along contiguous channel vectors.
///
/// x [N, Cin, H, W] with weight [Cin, Cout, 4, 4] (+ bias [Cout]) → [N, Cout, 2H, 2W], H and W even.
/// Tiles are made per unit of work (a run of tiles of two phases) whose size depends on the shape and the cache,
/// not on the batch, so a seed makes the same bytes on any number of cores of one machine, in any batch.
/// Benchmarks count the layer it computes (16 multiply-adds per input pixel and channel pair), not its products.
func winogradConvTranspose2d(_ x: Tensor, _ weight: Tensor, bias: UnsafePointer<Float>?, activation: Activation) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4 && weight.shape == [x.shape[1], weight.shape[1], 4, 4]
                 && x.shape[2] % 2 == 0 && x.shape[3] % 2 == 0,
                 "Winograd transposed convolution of \(x.shape) with weight \(weight.shape): expected [N, Cin, H, W] (H, W even) and [Cin, Cout, 4, 4]")
    let (n, h, w, cout) = (x.shape[0], x.shape[2], x.shape[3], weight.shape[1])
    let out = Tensor(uninitialized: [n, cout, 2 * h, 2 * w])
    winogradConvTranspose2d(x.data, x.shape, weight.data, outChannels: cout, bias: bias, activation: activation, into: out.data,
                            batchIndependent: true)
    return out
}

/// The same on plain memory, written into `out`: in training, the transposed layers' forward pass and the
/// 4×4 stride-2 convolutions' input gradient (their adjoint, with the convolution's weight [O, C, 4, 4]
/// read as [Cin, Cout, 4, 4]). `batchIndependent`: every GEMM takes a full run of tiles, padded with zero
/// rows, so that a tile's products are the same bits in any batch (inference); training's runs end with
/// the batch's tiles instead, so a 4×4 grid's 32 tiles do not make GEMMs of 64 rows.
func winogradConvTranspose2d(_ xData: UnsafePointer<Float>, _ shape: [Int], _ weight: UnsafePointer<Float>, outChannels cout: Int,
                             bias: UnsafePointer<Float>?, activation: Activation, into outData: UnsafeMutablePointer<Float>,
                             batchIndependent: Bool) {
    defer { OpClock.countLayer(multiplyAdds: shape[0] * shape[1] * cout * 16 * shape[2] * shape[3]) }
    OpClock.counting(definedPerRun: 0) {
        winogradProducts(xData, shape, weight, outChannels: cout, bias: bias, activation: activation, into: outData,
                         batchIndependent: batchIndependent)
    }
}

/// Runs `write` on `target`, or where `adding` (an input read twice, its gradient already begun) on a
/// buffer of `count` values then added into `target`.
func writingOrAdding(_ count: Int, into target: UnsafeMutablePointer<Float>, adding: Bool,
                     _ write: (UnsafeMutablePointer<Float>) -> Void) {
    guard adding else { return write(target) }
    let made = Tensor(uninitialized: [count])
    write(made.data)
    let source = UnsafePointer(made.data)
    Parallel.chunks(count) { range in addFloats(target + range.lowerBound, source + range.lowerBound, count: range.count) }
}

private func winogradProducts(_ xData: UnsafePointer<Float>, _ shape: [Int], _ weight: UnsafePointer<Float>, outChannels cout: Int,
                              bias: UnsafePointer<Float>?, activation: Activation, into outData: UnsafeMutablePointer<Float>,
                              batchIndependent: Bool) {
    let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let m = Winograd.tile(height: h, width: w, inputs: cin, outputs: cout, keeping: batchIndependent)
    let padded = Winograd.channelsLastWithBorder(xData, shape)
    for group in Winograd.outputGroups(inputs: cin, outputs: cout, tile: m, keeping: batchIndependent) {
        winogradProducts(padded, shape, tile: m, weight, outChannels: cout, group: group, bias: bias, activation: activation, into: outData,
                         batchIndependent: batchIndependent)
    }
    if activation == .tanh { PlaneEpilogue(bias: nil, activation: .tanh)?.apply(to: outData, batch: n, channels: cout, inner: 4 * h * w) }
}

/// The outputs of channels `group` from x channels-last with its border (`padded`): its own transform of
/// the weights, the inputs' transforms made again for each group.
private func winogradProducts(_ padded: Storage, _ shape: [Int], tile m: Int, _ weight: UnsafePointer<Float>, outChannels: Int,
                              group: Range<Int>, bias: UnsafePointer<Float>?, activation: Activation,
                              into outData: UnsafeMutablePointer<Float>, batchIndependent: Bool) {
    let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let products = (m + 1) * (m + 1), cout = group.count
    let tileColumns = w / m, tilesPerImage = (h / m) * tileColumns, tiles = n * tilesPerImage
    let (paddedHeight, paddedWidth) = (h + 2, w + 2)
    let ow = 2 * w
    let pairs = cin * cout
    let transformed = Winograd.transformedWeights(weight, inputs: cin, outputs: outChannels, group: group, tile: m, keeping: batchIndependent)
    // Units of work: a run of at most `run` tiles of the phases (a, 0) and (a, 1), whose outputs
    // interleave along rows, so that the unit writes whole rows of the output planes; its transformed
    // inputs and products fit a core's L2 cache where runs stay long enough. The GEMMs are oneDNN's
    // sgemm, which ran these short products faster than OpenBLAS's on Zen 4 (docs/speed.md, "Winograd for generation"),
    // or its gemm_bf16bf16f32 in bf16.
    // Every GEMM has `run` rows, a short unit's last ones zero, whatever the batch: a tile's products come
    // out the same bits in a batch of 1 as of 64, as `bySampleBlocks` keeps a layer's rows (MatMul).
    let unitFloats = products * (cin + 2 * cout)
    let longest = max(Winograd.shortestRun, Winograd.unitBytes / (unitFloats * MemoryLayout<Float>.stride))
    let run = batchIndependent ? longest : min(longest, tiles)
    let runs = (tiles + run - 1) / run
    let plane = 4 * h * w
    // Bias and a piecewise-linear activation go with the writing of each output; tanh is a pass after.
    let gate = activation.negativeSlope
    Parallel.parts(2 * runs) { _, units in
        // V in float32, or made straight in bf16 when U is (half the bytes, and no rounding pass per GEMM).
        let valueBytes = transformed.isHalves ? MemoryLayout<UInt16>.stride : MemoryLayout<Float>.stride
        let inputs = Storage(count: (products * run * cin * valueBytes + 3) / 4)
        let sums = Storage(count: 2 * products * run * cout)
        let halves = UnsafeMutableRawPointer(inputs.base).bindMemory(to: UInt16.self, capacity: products * run * cin)
        for unit in units {
            let (a, first) = (unit / runs, (unit % runs) * run)
            let count = min(run, tiles - first)
            for product in 0..<products where count < run {
                memset(UnsafeMutableRawPointer(inputs.base) + (product * run + count) * cin * valueBytes, 0, (run - count) * cin * valueBytes)
            }
            for b in 0..<2 {
                let phase = 2 * a + b
                // V = Bᵀ d B per tile, into [ξ, tile, Cin].
                for i in 0..<count {
                    let (image, tile) = (first + i).quotientAndRemainder(dividingBy: tilesPerImage)
                    let (ty, tx) = tile.quotientAndRemainder(dividingBy: tileColumns)
                    // The patch's top-left input pixel is (ty·m + a − 1, tx·m + b − 1), one row and column in on the border.
                    let patch = padded.base + ((image * paddedHeight + ty * m + a) * paddedWidth + tx * m + b) * cin
                    if transformed.isHalves {
                        neurossia_winograd_input_bf16(Int32(m), patch, paddedWidth * cin, cin, cin, halves + i * cin, run * cin)
                    } else {
                        neurossia_winograd_input(Int32(m), patch, paddedWidth * cin, cin, cin, inputs.base + i * cin, run * cin)
                    }
                }
                // Z = U ⊙ V summed over Cin: [ξ, tile, Cout].
                for product in 0..<products {
                    let (v, u, z) = (product * run * cin, (phase * products + product) * pairs, sums.base + (b * products + product) * run * cout)
                    switch transformed {
                    case .floats(let floats):
                        gemm(m: run, n: cout, k: cin, inputs.base + v, lda: cin, floats.base + u, ldb: cout, z, ldc: cout, backend: .oneDNN)
                    case .halves(let rounded):
                        gemm(m: run, n: cout, k: cin, a16: halves + v, lda: cin, b16: rounded.pointer + u, ldb: cout, z, ldc: cout)
                    }
                }
            }
            // Y = Aᵀ Z A of both phases per tile: rows 2(ty·m + j) + a, pixels 2tx·m ..< 2(tx + 1)·m.
            for i in 0..<count {
                let (image, tile) = (first + i).quotientAndRemainder(dividingBy: tilesPerImage)
                let (ty, tx) = tile.quotientAndRemainder(dividingBy: tileColumns)
                neurossia_winograd_output_planar(Int32(m), sums.base + i * cout, sums.base + (products * run + i) * cout, run * cout, cout,
                                                 bias.map { $0 + group.lowerBound }, gate == nil ? 0 : 1, gate ?? 0,
                                                 outData + (image * outChannels + group.lowerBound) * plane + (2 * ty * m + a) * ow + 2 * tx * m,
                                                 plane, 2 * ow)
            }
        }
    }
}

/// When and in what units Winograd runs, and the transformed weights kept between batches.
public enum Winograd {
    /// Bytes of a unit's transformed inputs and both phases' products, ξ · tiles · (Cin + 2 Cout) floats:
    /// a core's L2 cache, so the output transform reads the products the GEMMs have just written from
    /// there, not from memory; but at least `shortestRun` tiles: each GEMM reads its [Cin, Cout] weights
    /// once per run, and fewer rows make that reading dominate (runs of 16 doubled the GEMMs' time on
    /// DCGAN-64's 512 → 256 layer, whose weights come from memory). On Zen 4 (1 MB) against the 4 MB units
    /// before, DCGAN-64's 128 → 64 layer (runs of 327 tiles → 64) took 15% less time, the others alike.
    /// Tests lower both to cut tiles into several runs.
    nonisolated(unsafe) static var unitBytes = level2CacheBytes
    nonisolated(unsafe) static var shortestRun = 64

    /// A core's L2 cache as the C library reports it (1 MB where it does not).
    static let level2CacheBytes = sysconf(Int32(_SC_LEVEL2_CACHE_SIZE)) > 0 ? sysconf(Int32(_SC_LEVEL2_CACHE_SIZE)) : 1 << 20

    /// Whether an inference call of convTranspose2d runs by Winograd: under `auto`, in either precision, for the
    /// 4×4 stride-2 layers between wide channel counts (a GEMM of a few output channels, the RGB layer,
    /// wastes most of its work; the narrow and im2col kernels take it). Weights whose transform is too
    /// large to keep (`keeps`) are transformed for every call, in groups of output channels (`outputGroups`).
    /// In `training` it makes every pass that maps through such a layer's weights: the forward pass and input
    /// gradient of the transposed layer and of the strided convolution it is the adjoint of (`winogradConv2d`),
    /// in `auto`'s trials too, which then weigh the weight gradients' ways; in float32 only: bf16 products of
    /// transformed operands err up to six times direct bf16's bound (`BF16ConvolutionTests`), and bf16's
    /// faster GEMMs leave the transforms less to gain (DCGAN-64 at batch 64: 4%).
    static func runs(channels: Int, outChannels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int,
                     training: Bool = false) -> Bool {
        let chosen = ConvolutionAlgorithm.current == .auto || (training && ConvolutionTuning.trialling)
        return chosen && !(training && GEMMBackend.current == .oneDNNBF16) && kernel == 4 && stride == 2
            && padding == 1 && height % 2 == 0 && width % 2 == 0 && channels >= 16 && outChannels >= 16
    }

    /// Whether in training the convolution x [N, C, H, W] ⊛ weight [O, C, k, k] and its transposed layer
    /// map through the weights by Winograd (`winogradConv2d`, `winogradConvTranspose2d`): `runs` on the
    /// transposed layer's side, whose output must be x's grid exactly (an odd side leaves a row the
    /// convolution never reads).
    static func mapsInTraining(channels c: Int, outChannels o: Int, height h: Int, width w: Int, kernel: Int, stride: Int,
                               padding: Int) -> Bool {
        let ho = (h + 2 * padding - kernel) / stride + 1, wo = (w + 2 * padding - kernel) / stride + 1
        return h == 2 * ho && w == 2 * wo
            && runs(channels: o, outChannels: c, height: ho, width: wo, kernel: kernel, stride: stride, padding: padding, training: true)
    }

    /// The tile size m of F(m×m, 2×2) for an even grid of a layer Cin → Cout: 4 where it divides the grid
    /// and either the weights' transform is kept from batch to batch (`keeping`, inference, within
    /// `largestTransform`) or the grid holds more than one tile; else 2. Weights transformed for every call
    /// cost (m + 1)² floats per channel pair and phase, so a 4×4 grid, one tile of F(4×4) per image
    /// against four of F(2×2), is cheaper with F(2×2)'s 9 than F(4×4)'s 25: DCGAN-128's 1024 → 512 layer
    /// (no longer im2col) made generation 17% faster with F(2×2) and 4% with F(4×4).
    static func tile(height: Int, width: Int, inputs: Int, outputs: Int, keeping: Bool) -> Int {
        guard height % 4 == 0 && width % 4 == 0 else { return 2 }
        return height * width > 16 || (keeping && keeps(inputs: inputs, outputs: outputs, tile: 4)) ? 4 : 2
    }

    /// Whether an inference call keeps a layer Cin → Cout's transformed weights for the next batch: at most
    /// `largestTransform` bytes of them.
    static func keeps(inputs: Int, outputs: Int, tile m: Int) -> Bool {
        transformBytes(inputs: inputs, outputs: outputs, tile: m) <= largestTransform
    }

    /// Bytes of a layer Cin → Cout's transformed weights in float32: (m + 1)² floats per channel pair and phase.
    static func transformBytes(inputs: Int, outputs: Int, tile m: Int) -> Int {
        4 * (m + 1) * (m + 1) * inputs * outputs * MemoryLayout<Float>.stride
    }

    /// x [N, C, H, W] channels-last with a zero border of one pixel: [N, H + 2, W + 2, C], for transforms
    /// that read a tile's pixels as contiguous channel vectors.
    static func channelsLastWithBorder(_ xData: UnsafePointer<Float>, _ shape: [Int]) -> Storage {
        let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (paddedHeight, paddedWidth) = (h + 2, w + 2)
        let padded = Storage(count: n * paddedHeight * paddedWidth * cin)
        Parallel.chunks(n, grain: 1) { images in
            // Rows of 8 pixels or more are turned in place; narrower ones (4×4 inputs) through a whole image.
            let pixels = w % 8 == 0 ? nil : Storage(count: h * w * cin)
            for image in images {
                let source = xData + image * cin * h * w
                if let pixels { neurossia_transpose(source, cin, h * w, h * w, pixels.base, cin) }
                let base = padded.base + image * paddedHeight * paddedWidth * cin
                base.update(repeating: 0, count: (paddedWidth + 1) * cin)
                for row in 0..<h {
                    let line = base + ((row + 1) * paddedWidth + 1) * cin
                    if let pixels {
                        line.update(from: pixels.base + row * w * cin, count: w * cin)
                    } else {
                        neurossia_transpose(source + row * w, cin, w, h * w, line, cin)
                    }
                    (line + w * cin).update(repeating: 0, count: 2 * cin)
                }
                (base + (paddedHeight - 1) * paddedWidth * cin + cin).update(repeating: 0, count: (paddedWidth - 1) * cin)
            }
        }
        return padded
    }

    /// Bytes of a layer's transformed weights above which inference makes them anew for every call, as
    /// training does, rather than keep them: they are 6.25× the weights for F(4×4), and DCGAN-128's
    /// 1024 → 512 layer over a 4×4 grid would hold 210 MB (generation's peak RSS rose by 230 MB). Tests lower it.
    nonisolated(unsafe) static var largestTransform = 64 << 20

    /// U [phase, ξ, Cin, Cout] = G g Gᵀ of a weight [Cin, Cout, 4, 4]'s four phases: float32, or only its
    /// bf16 rounding when the products run in bf16 (rounded once, not by every unit's GEMMs; the float32
    /// values let go, so a kept transform takes half the memory).
    enum TransformedWeights {
        case floats(Storage)
        case halves(BF16Copy)

        var isHalves: Bool { if case .halves = self { true } else { false } }

        /// The buffer holding U: the same one when a kept transform is found again.
        var buffer: Storage {
            switch self {
            case .floats(let u): return u
            case .halves(let u): return u.storage
            }
        }

        var bytes: Int {
            switch self {
            case .floats(let u): return u.count * MemoryLayout<Float>.stride
            case .halves(let u): return u.count * MemoryLayout<UInt16>.stride
            }
        }

    }

    /// U of `weight`'s output channels `group` (all by default): for an inference call (`keeping`) of all
    /// channels, kept within `keepingTransformedWeights` for the same values and precision; else made now
    /// (a training call's weights change every step, and a group short of all is a transform too large to keep).
    static func transformedWeights(_ weight: UnsafePointer<Float>, inputs cin: Int, outputs cout: Int, group: Range<Int>? = nil,
                                   tile m: Int, keeping: Bool) -> TransformedWeights {
        let group = group ?? 0..<cout
        guard keeping && group.count == cout else { return transform(weight, inputs: cin, outputs: cout, group: group, tile: m) }
        let count = cin * cout * 16, halves = GEMMBackend.current == .oneDNNBF16
        if let found = kept.withLock({ $0?.find(weight, count: count, tile: m, halves: halves) }) { return found }
        let made = transform(weight, inputs: cin, outputs: cout, group: group, tile: m)
        kept.withLock { $0?.add(weight, count: count, tile: m, transformed: made) }
        return made
    }

    /// Bytes of a training call's transformed weights at most: it transforms them anew (they change every
    /// step), so they are made and used in groups of output channels no larger, the inputs transformed again
    /// for each group (at least 128 output channels, 2.5% of the GEMMs' work or less). Whole, DCGAN-128's
    /// 256 ↔ 512 layers (52 MB) raised training's peak RSS by 53 MB; in groups, 16 MB or less. Tests lower it.
    nonisolated(unsafe) static var largestTrainingTransform = 16 << 20

    /// The output channels' groups of a layer (`outputGroups` × 16 channels each but the last): one, all
    /// channels, for a transform inference keeps (`keeping`, within `keeps`); else, in training or for
    /// weights too large to keep, as many as keep each group's transform within `largestTrainingTransform`.
    static func outputGroups(inputs cin: Int, outputs cout: Int, tile m: Int, keeping: Bool) -> [Range<Int>] {
        let bytes = transformBytes(inputs: cin, outputs: cout, tile: m)
        let count = keeping && keeps(inputs: cin, outputs: cout, tile: m) ? 1 : (bytes + largestTrainingTransform - 1) / largestTrainingTransform
        let size = ((cout + count - 1) / count + 15) / 16 * 16
        return stride(from: 0, to: cout, by: size).map { $0..<min($0 + size, cout) }
    }

    /// Runs `body` keeping transformed weights from batch to batch (up to `keptBytes`), and lets them
    /// go after. A generator that makes picture after picture with the same weights (`generate`, sets,
    /// `eval`) would otherwise transform each layer's weights again for every batch: for DCGAN-64 that
    /// writes 69 MB, about 4 ms of a 64-picture batch's 52. Kept only within the scope, so a trainer's
    /// memory between its measurements holds none.
    public static func keepingTransformedWeights<T>(_ body: () throws -> T) rethrows -> T {
        let outermost = kept.withLock { kept in
            guard kept == nil else { return false }
            kept = KeptWeights()
            return true
        }
        defer { if outermost { kept.withLock { $0 = nil } } }
        return try body()
    }

    /// Bytes the kept weights and their transforms may take; the least recently used go first.
    nonisolated(unsafe) static var keptBytes = 128 << 20

    private static let kept = Mutex<KeptWeights?>(nil)

    /// Weights (a copy, to find them again by value) and their transforms, most recently used last.
    private final class KeptWeights: @unchecked Sendable {
        struct Entry {
            let weight: Storage, count: Int, tile: Int, transformed: TransformedWeights
            var bytes: Int { count * MemoryLayout<Float>.stride + transformed.bytes }
        }
        var entries: [Entry] = []

        func find(_ weight: UnsafePointer<Float>, count: Int, tile: Int, halves: Bool) -> TransformedWeights? {
            guard let i = entries.lastIndex(where: { $0.count == count && $0.tile == tile && $0.transformed.isHalves == halves
                && memcmp($0.weight.base, weight, count * MemoryLayout<Float>.stride) == 0 }) else { return nil }
            let entry = entries.remove(at: i)
            entries.append(entry)
            return entry.transformed
        }

        func add(_ weight: UnsafePointer<Float>, count: Int, tile: Int, transformed: TransformedWeights) {
            let copy = Storage(count: count)
            copy.base.update(from: weight, count: count)
            entries.append(Entry(weight: copy, count: count, tile: tile, transformed: transformed))
            while entries.map(\.bytes).reduce(0, +) > keptBytes, !entries.isEmpty { entries.removeFirst() }
        }
    }

    /// U for every phase of output channels `group`: the taps laid out [16, Cin, group], then each phase's
    /// 2×2 through G. In bf16 each phase is rounded as it is made, so only one phase is ever held in float32
    /// (13 MB rather than 52 for DCGAN-128's 512 → 256 layer, which otherwise raised generation's pool top
    /// after training).
    private static func transform(_ weight: UnsafePointer<Float>, inputs cin: Int, outputs: Int, group: Range<Int>, tile m: Int)
        -> TransformedWeights {
        let cout = group.count, pairs = cin * group.count, products = (m + 1) * (m + 1)
        let taps = Storage(count: 16 * pairs)
        Parallel.chunks(cin, grain: max(1, 4096 / cout)) { inputs in
            for i in inputs { neurossia_transpose(weight + (i * outputs + group.lowerBound) * 16, cout, 16, 16, taps.base + i * cout, pairs) }
        }
        let halves = BF16Copy(count: 4 * products * pairs)
        let floats = Storage(count: (halves == nil ? 4 : 1) * products * pairs)
        for phase in 0..<4 {
            let (a, b) = (phase / 2, phase % 2)
            let into = halves == nil ? phase * products * pairs : 0
            Parallel.chunks(pairs, grain: 4096) { range in
                // Tap (k, k′) of the phase is w[3 − a − 2k, 3 − b − 2k′]: 8 taps on per k, 2 per k′.
                neurossia_winograd_weights(Int32(m), taps.base + ((3 - a) * 4 + 3 - b) * pairs + range.lowerBound, -8 * pairs, -2 * pairs,
                                           range.count, floats.base + into + range.lowerBound, pairs)
            }
            halves?.round(floats.base, count: products * pairs, at: phase * products * pairs)
        }
        return halves.map(TransformedWeights.halves) ?? .floats(floats)
    }
}
