import CVectorMath

/// The 4×4 convolution with stride 2 and padding 1 (DCGAN's downsampling layers, and the input gradient of
/// its generator's upsampling layers, their adjoint) by Winograd's minimal filtering, in float32 training.
/// Output pixel (i, j) reads input pixels (2i − 1 + ky, 2j − 1 + kx); split by the taps' parities,
/// ky = 2k + a and kx = 2k′ + b, it is the sum of four 2×2 correlations, phase (a, b) over the input pixels
/// (2u + a − 1, 2v + b − 1) with taps w[2k + a, 2k′ + b]. F(m×m, 2×2) makes an m×m block of outputs from
/// (m + 1)² products per channel pair and phase instead of 4m² (2.56× fewer for m = 4). The four phases'
/// transformed inputs lie side by side, so each product is one GEMM [tiles, 4C] · [4C, O] that sums the
/// phases too, and one output transform per tile follows.
///
/// x [N, C, H, W] with weight [O, C, 4, 4] (+ bias [O]) → out [N, O, H/2, W/2], H and W multiples of 4.
/// Runs end with the batch's tiles, split so that every core has some: training's calls, not inference's.
/// Benchmarks count the layer it computes (16 multiply-adds per output pixel and channel pair).
func winogradConv2d(_ xData: UnsafePointer<Float>, _ shape: [Int], _ weight: UnsafePointer<Float>, outChannels o: Int,
                    bias: UnsafePointer<Float>?, activation: Activation, into outData: UnsafeMutablePointer<Float>) {
    defer { OpClock.countLayer(multiplyAdds: shape[0] * shape[1] * o * 4 * shape[2] * shape[3]) }
    OpClock.counting(definedPerRun: 0) {
        stridedProducts(xData, shape, weight, outChannels: o, bias: bias, activation: activation, into: outData)
    }
}

private func stridedProducts(_ xData: UnsafePointer<Float>, _ shape: [Int], _ weight: UnsafePointer<Float>, outChannels o: Int,
                             bias: UnsafePointer<Float>?, activation: Activation, into outData: UnsafeMutablePointer<Float>) {
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    precondition(h % 4 == 0 && w % 4 == 0, "Winograd strided convolution of \(shape): expected a grid of multiples of 4")
    let m = Winograd.tile(height: h / 2, width: w / 2, inputs: c, outputs: o, keeping: false)
    let padded = Winograd.channelsLastWithBorder(xData, shape)
    for group in Winograd.outputGroups(inputs: c, outputs: o, tile: m, keeping: false) {
        stridedProducts(padded, shape, tile: m, weight, outChannels: o, group: group, bias: bias, activation: activation, into: outData)
    }
    if activation == .tanh { PlaneEpilogue(bias: nil, activation: .tanh)?.apply(to: outData, batch: n, channels: o, inner: h * w / 4) }
}

/// The outputs of channels `group` from x channels-last with its border (`padded`), as `winogradConvTranspose2d`'s groups.
private func stridedProducts(_ padded: Storage, _ shape: [Int], tile m: Int, _ weight: UnsafePointer<Float>, outChannels: Int,
                             group: Range<Int>, bias: UnsafePointer<Float>?, activation: Activation, into outData: UnsafeMutablePointer<Float>) {
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let (oh, ow) = (h / 2, w / 2)
    let products = (m + 1) * (m + 1), o = group.count
    let tileColumns = ow / m, tilesPerImage = (oh / m) * tileColumns, tiles = n * tilesPerImage
    let paddedWidth = w + 2, paddedImage = (h + 2) * paddedWidth * c
    let depth = 4 * c
    let transformed = stridedTransform(weight, outputs: outChannels, inputs: c, group: group, tile: m)
    // A unit's transformed inputs and products fit a core's L2 cache where runs stay long enough.
    let longest = max(Winograd.shortestRun, Winograd.unitBytes / (products * (depth + o) * MemoryLayout<Float>.stride))
    let run = min(longest, (tiles + Parallel.workers - 1) / Parallel.workers)
    let runs = (tiles + run - 1) / run
    let plane = oh * ow
    let gate = activation.negativeSlope
    Parallel.parts(runs) { _, units in
        let inputs = Storage(count: products * run * depth)
        let sums = Storage(count: products * run * o)
        for unit in units {
            let first = unit * run, count = min(run, tiles - first)
            // V = Bᵀ d B per tile and phase, into [ξ, tile, phase · C + channel].
            for i in 0..<count {
                let (image, tile) = (first + i).quotientAndRemainder(dividingBy: tilesPerImage)
                let (ty, tx) = tile.quotientAndRemainder(dividingBy: tileColumns)
                for phase in 0..<4 {
                    // Phase (a, b)'s pixel (u, v) is padded pixel (2u + a, 2v + b): every other row and column.
                    let (a, b) = (phase / 2, phase % 2)
                    let patch = padded.base + image * paddedImage + ((2 * ty * m + a) * paddedWidth + 2 * tx * m + b) * c
                    neurossia_winograd_input(Int32(m), patch, 2 * paddedWidth * c, 2 * c, c, inputs.base + i * depth + phase * c, run * depth)
                }
            }
            // Z = U ⊙ V summed over channels and phases: [ξ, tile, O].
            for product in 0..<products {
                gemm(m: count, n: o, k: depth, inputs.base + product * run * depth, lda: depth, transformed.base + product * depth * o, ldb: o,
                     sums.base + product * run * o, ldc: o, backend: .oneDNN)
            }
            // Y = Aᵀ Z A per tile: rows ty·m ..< (ty + 1)·m, pixels tx·m ..< (tx + 1)·m.
            for i in 0..<count {
                let (image, tile) = (first + i).quotientAndRemainder(dividingBy: tilesPerImage)
                let (ty, tx) = tile.quotientAndRemainder(dividingBy: tileColumns)
                neurossia_winograd_output(Int32(m), sums.base + i * o, run * o, o, bias.map { $0 + group.lowerBound }, gate == nil ? 0 : 1,
                                          gate ?? 0, outData + (image * outChannels + group.lowerBound) * plane + ty * m * ow + tx * m, plane, ow)
            }
        }
    }
}

/// U [ξ, phase, C, O] = G g Gᵀ of each phase's 2×2 taps of a weight [outputs, C, 4, 4]'s output channels
/// `group` (O of them): the taps laid out [16, C, O] first, so each phase's transform runs along contiguous
/// channel pairs.
private func stridedTransform(_ weight: UnsafePointer<Float>, outputs: Int, inputs c: Int, group: Range<Int>, tile m: Int) -> Storage {
    let o = group.count, pairs = c * o, products = (m + 1) * (m + 1)
    let taps = Storage(count: 16 * pairs)
    Parallel.chunks(c, grain: max(1, 4096 / o)) { channels in
        for i in channels { neurossia_transpose(weight + (group.lowerBound * c + i) * 16, o, 16, c * 16, taps.base + i * o, pairs) }
    }
    let transformed = Storage(count: products * 4 * pairs)
    for phase in 0..<4 {
        let (a, b) = (phase / 2, phase % 2)
        Parallel.chunks(pairs, grain: 4096) { range in
            // Tap (k, k′) of the phase is w[2k + a, 2k′ + b]: 8 taps on per k, 2 per k′.
            neurossia_winograd_weights(Int32(m), taps.base + (a * 4 + b) * pairs + range.lowerBound, 8 * pairs, 2 * pairs, range.count,
                                       transformed.base + phase * pairs + range.lowerBound, 4 * pairs)
        }
    }
    return transformed
}
