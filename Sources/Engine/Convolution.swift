/// Convolution and transposed convolution: oneDNN's direct kernels where `ConvolutionTuning` finds them
/// faster (`DirectConvolution`), else a 3×3 layer to a few channels by its own kernel
/// (`NarrowConvolution`), else per-core column tiles, each an im2col (or col2im) and one
/// single-threaded GEMM, so columns never leave the core's cache. A kernel that covers its whole input
/// (DCGAN's first and last layers) is a plain matrix product and goes straight to GEMM. The 4×4 stride-2
/// layers between wide channel counts map through their weights by Winograd's minimal filtering
/// (`Winograd.runs`): transposed ones in inference, and in float32 training every forward and
/// input-gradient pass of either kind, whichever way runs the weight gradient.

/// x [N, C, H, W] ⊛ weight [O, C, k, k] (+ bias [O]) → [N, O, Ho, Wo], Ho = (H + 2p − k) / s + 1.
public func conv2d(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                   activation: Activation = .identity) -> Tensor {
    var way = ConvolutionAlgorithm.im2col
    let out = lettingGoOfInput(x, convolutionOf: OpClock.measure(.convolution) {
        precondition(x.rank == 4 && weight.rank == 4 && weight.shape[1] == x.shape[1] && weight.shape[2] == weight.shape[3],
                     "conv2d of \(x.shape) with weight \(weight.shape): expected [N, C, H, W] and [O, C, k, k]")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, k) = (weight.shape[0], weight.shape[2])
        if padding == 0 && h == k && w == k {
            return activation(linear(x.reshaped([n, c * k * k]), weight.reshaped([o, c * k * k]), bias: bias).reshaped([n, o, 1, 1]))
        }
        let ho = (h + 2 * padding - k) / stride + 1, wo = (w + 2 * padding - k) / stride + 1
        precondition(ho > 0 && wo > 0, "conv2d: kernel \(k) with padding \(padding) does not fit \(h)×\(w)")
        let training = isRecordingGradients && (x.requiresGrad || weight.requiresGrad)
        let narrow = NarrowConvolution(x: x, weight: weight, stride: stride, padding: padding)
        if let direct = DirectConvolution(batch: n, channels: c, height: h, width: w, outChannels: o, kernel: k, stride: stride,
                                          padding: padding, training: training),
           ConvolutionTuning.runsDirect(.init(convolution: direct, transposed: false, training: training, inputGradient: x.requiresGrad,
                                              alternative: narrow == nil ? .im2col : .narrow),
                                        trial: { ConvolutionTuning.trial(x, weight) { conv2d($0, $1, stride: stride, padding: padding) } }) {
            way = .direct
            return direct.op(x, weight, bias: bias, activation: activation, transposed: false)
        }
        if let narrow {
            way = .narrow
            return narrow(x, weight, bias: bias, activation: activation)
        }
        let g = ConvGeometry(batch: n, channels: c, height: h, width: w, kernel: k, stride: stride, padding: padding,
                             outHeight: ho, outWidth: wo)
        let (rows, plane) = (g.columnRows, g.gridSize)
        // A 4×4 stride-2 layer's forward pass in training, and its dx (the transposed layer of dy), by Winograd.
        let byWinograd = Winograd.mapsInTraining(channels: c, outChannels: o, height: h, width: w, kernel: k, stride: stride, padding: padding)
        let out = Tensor(uninitialized: [n, o, ho, wo])
        if training && byWinograd {
            winogradConv2d(x.data, x.shape, weight.data, outChannels: o, bias: bias?.data, activation: activation, into: out.data)
        } else {
            let source = g.source(x.data)
            let weight16 = BF16Copy(weight.data, count: weight.count)
            // Bias and activation go over each tile's output rows as the GEMM leaves them, in cache.
            let epilogue = PlaneEpilogue(bias: bias?.data, activation: activation)
            g.perCore(packRows: o) { _, tiles, bands, scratch, packed in
                for tile in tiles {
                    tile.result(into: out.data, channels: o, plane: plane, adding: false, packingInto: packed) { block, ld, _ in
                        for band in bands {
                            g.gather(source.pointer, tile, rows: band, into: scratch)
                            gemm(m: o, n: tile.columns, k: band.count, weight.data + band.lowerBound, lda: rows, scratch, ldb: tile.columns,
                                 beta: band.lowerBound == 0 ? 0 : 1, block, ldc: ld, a16: weight16.map { $0.pointer + band.lowerBound })
                        }
                        for row in 0..<o { epilogue?.apply(block + row * ld, channel: row, count: tile.columns) }
                    }
                }
            }
        }

        let inputs = [x, weight] + (bias.map { [$0] } ?? [])
        return out.recorded(from: inputs, readsOutput: activation != .identity) { out in
            let dy = out.gradBuffer
            activation.backward(inPlace: dy, output: out)
            let byBands = weight.requiresGrad && g.weightGradientByBands
            let partials = weight.requiresGrad && !byBands
                ? WeightGradients(into: weight.gradBuffer, count: o * rows, parts: min(n, Parallel.workers), coreZeroAddsInPlace: true)
                : nil
            // Only the weight gradient reads x. Its columns, and (strided) its phases, are made again here
            // rather than kept from forward: even a first layer on RGB, whose kept columns (four times its
            // input) held 25 MB at DCGAN-128's peak, trained no faster keeping them. By bands, the phases go
            // before dx's pass begins.
            /// x as the columns are gathered from. Strided, that is its phases, a copy: x's values (remade for
            /// it where they were let go) go at once rather than beside the phases and dx.
            func columnSource() -> (pointer: UnsafePointer<Float>, keepAlive: Tensor?) {
                let source = g.source(x.data)
                if source.keepAlive != nil { x.letGoOfValuesIfRemakeable() }
                return source
            }
            if byBands {
                let source = columnSource()
                withExtendedLifetime(source.keepAlive) {
                    g.addWeightGradientByBands(dy, channels: o, columnsOf: source.pointer, into: weight.gradBuffer)
                }
                x.letGoOfValuesIfRemakeable()
            }
            // Made after the weight gradient by bands and after the phases, so x's remade values are gone
            // before it is. Strided, the phase merge writes every pixel of dx; at stride 1 columns add straight in.
            let dxByWinograd = x.requiresGrad && byWinograd  // after the weight gradient
            let source = partials != nil ? columnSource() : nil
            let (dx, adding) = x.requiresGrad && !dxByWinograd ? x.gradBuffer(writesAll: g.stride > 1) : (nil, true)
            let weight16 = dx != nil ? BF16Copy(weight.data, count: weight.count) : nil  // made again (`BF16Copy`)
            if dx != nil || partials != nil {
                g.perCore(packRows: o) { core, tiles, bands, scratch, packed in
                    /// Packs the tile's output gradient and, when the weights need one, adds the tile's weight
                    /// gradient from its columns, gathered again from x a band at a time; returns the output gradient.
                    func prepare(_ tile: ConvTile) -> (dy: UnsafePointer<Float>, ld: Int) {
                        let (dyTile, ld) = tile.operand(dy, channels: o, plane: plane, packingInto: packed)
                        if let partials {
                            for band in bands {
                                g.gather(source!.pointer, tile, rows: band, into: scratch)
                                gemm(transB: true, m: o, n: band.count, k: tile.columns, dyTile, lda: ld, scratch, ldb: tile.columns,
                                     beta: 1, partials.part(core) + band.lowerBound, ldc: rows)
                            }
                        }
                        return (dyTile, ld)
                    }
                    guard let dx else { return tiles.forEach { _ = prepare($0) } }
                    var dyTile: (dy: UnsafePointer<Float>, ld: Int)!
                    g.scatter(tiles, bands: bands, into: dx, adding: adding) { tile, band in
                        if band.lowerBound == 0 { dyTile = prepare(tile) }
                        // The scratch is free again: it takes this band of the tile's column gradient.
                        gemm(transA: true, m: band.count, n: tile.columns, k: o, weight.data + band.lowerBound, lda: rows, dyTile.dy,
                             ldb: dyTile.ld, scratch, ldc: tile.columns, a16: weight16.map { $0.pointer + band.lowerBound })
                        return scratch
                    }
                }
            }
            partials?.addBufferedParts()
            x.letGoOfValuesIfRemakeable()
            if dxByWinograd {
                let (dx, adding) = x.gradBuffer(writesAll: true)
                writingOrAdding(x.count, into: dx, adding: adding) { dx in
                    winogradConvTranspose2d(dy, [n, o, ho, wo], weight.data, outChannels: c, bias: nil, activation: .identity, into: dx,
                                            batchIndependent: false)
                }
            }
            if let bias, bias.requiresGrad { addChannelSums(dy, batch: n, channels: o, inner: plane, into: bias.gradBuffer) }
        }
    })
    // From a few channels to many (a discriminator's RGB layer, 3 → 64 at 128 px: 5.3 times its input at
    // 48 multiply-adds a value), the output is made again from x, which backward keeps anyway, where it is
    // read again: DCGAN-128's is 64 MB at batch 64, held through the whole pass. The same way runs on the
    // weights as they are now (an update inside backward may change the layer's before its output is
    // remade), so the values are the same bits.
    if out.node != nil && weight.count / weight.shape[0] <= 64 && out.count >= 4 * x.count {
        let (weight, bias) = (weight.copied(), bias?.copied())
        out.remake = {
            let before = ConvolutionAlgorithm.current
            ConvolutionAlgorithm.current = way
            defer { ConvolutionAlgorithm.current = before }
            return withoutGradients { conv2d(x, weight, bias: bias, stride: stride, padding: padding, activation: activation) }.storage
        }
        out.keepSignBits(for: activation)
    }
    return out
}

/// The adjoint of conv2d: x [N, Cin, H, W] with weight [Cin, Cout, k, k] (+ bias [Cout]) →
/// [N, Cout, Ho, Wo], Ho = (H − 1)·s − 2p + k. Each input pixel scatters a k×k patch.
///
/// `remakeable`: while recording, the output can be made again from x and a copy of the weight, one more
/// forward pass of the layer, so a reader that lets go of it (a batch norm) need not hold it from forward
/// to backward: DCGAN-128's last hidden layer, 64 MB at batch 64, otherwise held from the generator's forward
/// through both of D's passes. The same way runs again (`recording`), so the values are forward's bits.
public func convTranspose2d(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                            activation: Activation = .identity, remakeable: Bool = false) -> Tensor {
    let recording = isRecordingGradients && ([x, weight] + (bias.map { [$0] } ?? [])).contains(where: \.requiresGrad)
    let out = lettingGoOfInput(x, convolutionOf: convTranspose2d(x, weight, bias: bias, stride: stride, padding: padding,
                                                                  activation: activation, recording: recording))
    if remakeable && out.node != nil {
        let (weight, bias) = (weight.copied(), bias?.copied())
        out.remake = {
            let remade = withoutGradients {
                convTranspose2d(x, weight, bias: bias, stride: stride, padding: padding, activation: activation, recording: true)
            }.storage
            // Its reader's backward is the next to need x, which remakes it there if it can.
            x.letGoOfValuesIfRemakeable()
            return remade
        }
    }
    return out
}

/// The side of a transposed convolution's output for an input side: (input − 1)·s − 2p + k.
public func transposedConvolutionSide(_ input: Int, kernel: Int, stride: Int, padding: Int) -> Int {
    (input - 1) * stride - 2 * padding + kernel
}

/// convTranspose2d on the way a recorded (`recording`) or an unrecorded call takes: Winograd and the
/// narrow kernel only run unrecorded, and oneDNN's direct kernels are timed apart for each.
private func convTranspose2d(_ x: Tensor, _ weight: Tensor, bias: Tensor?, stride: Int, padding: Int, activation: Activation,
                             recording: Bool) -> Tensor {
    OpClock.measure(.convolution) {
        precondition(x.rank == 4 && weight.rank == 4 && weight.shape[0] == x.shape[1] && weight.shape[2] == weight.shape[3],
                     "convTranspose2d of \(x.shape) with weight \(weight.shape): expected [N, Cin, H, W] and [Cin, Cout, k, k]")
        let (n, cin, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, k) = (weight.shape[1], weight.shape[2])
        if padding == 0 && h == 1 && w == 1 {
            let patches = matmul(x.reshaped([n, cin]), weight.reshaped([cin, cout * k * k]), rowsAreSamples: true).reshaped([n, cout, k, k])
            guard recording else {
                PlaneEpilogue(bias: bias?.data, activation: activation)?.apply(to: patches.data, batch: n, channels: cout, inner: k * k)
                return patches
            }
            return activation(bias.map { patches + $0.reshaped([1, cout, 1, 1]) } ?? patches)
        }
        let ho = transposedConvolutionSide(h, kernel: k, stride: stride, padding: padding)
        let wo = transposedConvolutionSide(w, kernel: k, stride: stride, padding: padding)
        precondition(ho > 0 && wo > 0, "convTranspose2d: output would be \(ho)×\(wo)")
        let byWinograd = Winograd.runs(channels: cin, outChannels: cout, height: h, width: w, kernel: k, stride: stride, padding: padding,
                                       training: recording)
        if byWinograd && !recording { return winogradConvTranspose2d(x, weight, bias: bias?.data, activation: activation) }
        if let narrow = NarrowTransposedConvolution(x: x, weight: weight, stride: stride, padding: padding, recording: recording) {
            return narrow(x, weight, bias: bias, activation: activation)
        }
        // The convolution this is the adjoint of: [N, Cout, Ho, Wo] ⊛ weight read as [Cin, Cout, k, k] → x's grid.
        if let direct = DirectConvolution(batch: n, channels: cout, height: ho, width: wo, outChannels: cin, kernel: k,
                                          stride: stride, padding: padding, training: recording),
           direct.outHeight == h, direct.outWidth == w,
           ConvolutionTuning.runsDirect(.init(convolution: direct, transposed: true, training: recording, inputGradient: x.requiresGrad,
                                              alternative: .im2col),
                                        trial: { ConvolutionTuning.trial(x, weight) { convTranspose2d($0, $1, stride: stride, padding: padding) } }) {
            return direct.op(x, weight, bias: bias, activation: activation, transposed: true)
        }
        // Seen from the output side this is a conv2d of [N, Cout, Ho, Wo] down to the H × W grid.
        let g = ConvGeometry(batch: n, channels: cout, height: ho, width: wo, kernel: k, stride: stride, padding: padding,
                             outHeight: h, outWidth: w)
        let (rows, plane) = (g.columnRows, g.gridSize)
        // Taps overlap, so columns are added: into zeros at stride 1, else into phase planes merged per image.
        let out = g.stride > 1 ? Tensor(uninitialized: [n, cout, ho, wo]) : Tensor(zeros: [n, cout, ho, wo])
        // Forward by Winograd where it runs (in training, float32), else by columns.
        if byWinograd {
            winogradConvTranspose2d(x.data, x.shape, weight.data, outChannels: cout, bias: bias?.data, activation: activation, into: out.data,
                                    batchIndependent: false)
        } else {
            let weight16 = BF16Copy(weight.data, count: weight.count)
            // Bias and activation go with the phase merge, where each output plane is in cache (stride > 1);
            // at stride 1 columns add straight into the output, so they are a pass of their own after.
            let epilogue = PlaneEpilogue(bias: bias?.data, activation: activation)
            let xData = x.data
            g.perCore(packRows: cin) { _, tiles, bands, cols, packed in
                var xTile: (pointer: UnsafePointer<Float>, ld: Int)!
                g.scatter(tiles, bands: bands, into: out.data, adding: false, epilogue: g.stride > 1 ? epilogue : nil) { tile, band in
                    if band.lowerBound == 0 { xTile = tile.operand(xData, channels: cin, plane: plane, packingInto: packed) }
                    gemm(transA: true, m: band.count, n: tile.columns, k: cin, weight.data + band.lowerBound, lda: rows, xTile.pointer,
                         ldb: xTile.ld, cols, ldc: tile.columns, a16: weight16.map { $0.pointer + band.lowerBound })
                    return cols
                }
            }
            if g.stride == 1 { epilogue?.apply(to: out.data, batch: n, channels: cout, inner: ho * wo) }
        }

        let inputs = [x, weight] + (bias.map { [$0] } ?? [])
        return out.recorded(from: inputs, readsOutput: activation != .identity) { out in
            let dy = out.gradBuffer
            activation.backward(inPlace: dy, output: out)
            let source = g.source(dy)
            let byBands = weight.requiresGrad && g.weightGradientByBands
            let partials = weight.requiresGrad && !byBands
                ? WeightGradients(into: weight.gradBuffer, count: cin * rows, parts: min(n, Parallel.workers), coreZeroAddsInPlace: true)
                : nil
            // Read (and remade, if it was let go) before the cores share the work.
            let xData = weight.requiresGrad ? x.data : nil
            if byBands {
                withExtendedLifetime(source.keepAlive) {
                    g.addWeightGradientByBands(xData!, channels: cin, columnsOf: source.pointer, into: weight.gradBuffer)
                }
                x.letGoOfValuesIfRemakeable()
            }
            /// One pass over the tiles: each band of a tile's columns, gathered from dy, into the weight gradient
            /// (with `partials`) and into dx (with `dx`).
            func pass(_ partials: WeightGradients?, _ dx: (pointer: UnsafeMutablePointer<Float>, adding: Bool)?) {
                let weight16 = dx != nil ? BF16Copy(weight.data, count: weight.count) : nil  // made again (`BF16Copy`)
                // x packed for the weight gradient and dx's packed result each take half of `packed`.
                g.perCore(packRows: 2 * cin) { core, tiles, bands, cols, packed in
                    for tile in tiles {
                        let xTile = partials != nil ? tile.operand(xData!, channels: cin, plane: plane, packingInto: packed + cin * tile.columns) : nil
                        func bandByBand(_ product: ((_ band: Range<Int>, _ beta: Float) -> Void)?) {
                            for band in bands {
                                g.gather(source.pointer, tile, rows: band, into: cols)
                                if let partials, let xTile {
                                    gemm(transB: true, m: cin, n: band.count, k: tile.columns, xTile.pointer, lda: xTile.ld, cols,
                                         ldb: tile.columns, beta: 1, partials.part(core) + band.lowerBound, ldc: rows)
                                }
                                product?(band, band.lowerBound == 0 ? 0 : 1)
                            }
                        }
                        guard let dx else { bandByBand(nil); continue }
                        tile.result(into: dx.pointer, channels: cin, plane: plane, adding: dx.adding, packingInto: packed) { block, ld, beta in
                            bandByBand { band, after in
                                gemm(m: cin, n: tile.columns, k: band.count, weight.data + band.lowerBound, lda: rows, cols, ldb: tile.columns,
                                     beta: max(beta, after), block, ldc: ld, a16: weight16.map { $0.pointer + band.lowerBound })
                            }
                        }
                    }
                }
                partials?.addBufferedParts()
            }
            // x remade for the weight gradient is let go before dx is made, in a pass of its own: dy's columns
            // are gathered twice, but x's values and its gradient are never held at once (DCGAN-128's last
            // layer: 64 MB each at batch 64, at the step's peak).
            // So is the weight gradient when dx is the strided layer of dy by Winograd.
            let dxByWinograd = x.requiresGrad && byWinograd
            let apart = partials != nil && x.requiresGrad && (x.remake != nil || dxByWinograd)
            if apart {
                pass(partials, nil)
                x.letGoOfValuesIfRemakeable()
            }
            if dxByWinograd {
                let (dx, adding) = x.gradBuffer(writesAll: true)
                writingOrAdding(x.count, into: dx, adding: adding) { dx in
                    winogradConv2d(dy, [n, cout, ho, wo], weight.data, outChannels: cin, bias: nil, activation: .identity, into: dx)
                }
            } else {
                // Every element of dx is one tile's product.
                let dx = x.requiresGrad ? x.gradBuffer(writesAll: true) : nil
                if dx != nil || (partials != nil && !apart) { pass(apart ? nil : partials, dx) }
            }
            x.letGoOfValuesIfRemakeable()
            if let bias, bias.requiresGrad { addChannelSums(dy, batch: n, channels: cout, inner: ho * wo, into: bias.gradBuffer) }
        }
    }
}

/// A convolution's output, after letting go of its input's values where they can be remade (a batch
/// norm's output): the convolution's backward is the next to read them, and remaking them there is a
/// pass over x where keeping them holds a tensor of x's size from forward to backward.
private func lettingGoOfInput(_ x: Tensor, convolutionOf out: Tensor) -> Tensor {
    if out.node != nil { x.letGoOfValuesIfRemakeable() }
    return out
}

/// One weight-gradient accumulator per core, added into the weight's gradient in core order so results
/// do not depend on timing. Kernels that add into their part (GEMM with beta 1) let core 0 add straight
/// into the gradient (`coreZeroAddsInPlace`): only the other cores' parts are then buffers, one
/// weight-sized buffer less at the start of backward, where a step's memory peaks. Layers whose weights
/// outnumber their grid go by bands instead and hold no part (`ConvGeometry.weightGradientByBands`).
struct WeightGradients {
    let gradient: UnsafeMutablePointer<Float>
    let count: Int
    let coreZeroAddsInPlace: Bool
    let buffer: Tensor

    init(into gradient: UnsafeMutablePointer<Float>, count: Int, parts: Int, coreZeroAddsInPlace: Bool = false) {
        (self.gradient, self.count, self.coreZeroAddsInPlace) = (gradient, count, coreZeroAddsInPlace)
        buffer = Tensor(zeros: [count * (max(parts, 1) - (coreZeroAddsInPlace ? 1 : 0))])
    }

    func part(_ core: Int) -> UnsafeMutablePointer<Float> {
        guard coreZeroAddsInPlace else { return buffer.data + core * count }
        return core == 0 ? gradient : buffer.data + (core - 1) * count
    }

    /// Adds the buffered parts into the gradient, in core order.
    func addBufferedParts() {
        let parts = buffer.count / count
        let (src, gradient, count) = (buffer.data, gradient, count)
        Parallel.chunks(count) { r in
            for p in 0..<parts { for i in r { gradient[i] += src[p * count + i] } }
        }
    }
}

/// What an op applies to its output as it writes it: bias per channel, then activation. Nil when there
/// is neither, so there is nothing to apply.
struct PlaneEpilogue {
    let bias: UnsafePointer<Float>?
    let activation: Activation

    init?(bias: UnsafePointer<Float>?, activation: Activation) {
        guard bias != nil || activation != .identity else { return nil }
        (self.bias, self.activation) = (bias, activation)
    }

    /// A run of `count` outputs of one channel, in place.
    @inline(__always)
    func apply(_ plane: UnsafeMutablePointer<Float>, channel: Int, count: Int) {
        activation.apply(plane, count: count, shift: bias?[channel] ?? 0)
    }

    /// Every plane of out [N, C, L], in place, as a pass of its own over both cores.
    func apply(to out: UnsafeMutablePointer<Float>, batch: Int, channels: Int, inner: Int) {
        Parallel.chunks(batch * channels, grain: max(1, 32_768 / max(inner, 1))) { apply(to: out, planes: $0, channels: channels, inner: inner) }
    }

    /// Planes `planes` (image · C + channel) of out [N, C, L], in place, on the calling thread.
    func apply(to out: UnsafeMutablePointer<Float>, planes: Range<Int>, channels: Int, inner: Int) {
        for nc in planes { apply(out + nc * inner, channel: nc % channels, count: inner) }
    }
}

/// Sums a gradient [N, C, L] over N and L into a per-channel bias gradient [C].
func addChannelSums(_ g: UnsafePointer<Float>, batch: Int, channels: Int, inner: Int, into db: UnsafeMutablePointer<Float>) {
    Parallel.chunks(channels, grain: max(1, 32_768 / max(batch * inner, 1))) { r in
        for c in r {
            var total: Float = 0
            for n in 0..<batch {
                let p = g + (n * channels + c) * inner
                for l in 0..<inner { total += p[l] }
            }
            db[c] += total
        }
    }
}
