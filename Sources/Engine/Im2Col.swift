/// The geometry of a k×k convolution over a batch: images [N, C, H, W] → output grid Ho × Wo.
/// Columns for a tile of the grid are [C·k·k, T]: one row per (channel, kernel tap), one column per
/// output pixel of the tile, so a tile is one GEMM however many images it spans.
///
/// With stride s > 1 the images are first split into s×s phase planes ("space to depth": phase (a, b)
/// holds pixels y ≡ a, x ≡ b mod s), so every tap reads and writes contiguous rows of one plane and
/// the copies vectorise instead of striding.
struct ConvGeometry {
    let batch: Int, channels: Int, height: Int, width: Int
    let kernel: Int, stride: Int, padding: Int
    let outHeight: Int, outWidth: Int

    var columnRows: Int { channels * kernel * kernel }
    var gridSize: Int { outHeight * outWidth }
    /// Size of a phase plane, zero-padded to the largest phase.
    var phaseHeight: Int { (height + stride - 1) / stride }
    var phaseWidth: Int { (width + stride - 1) / stride }
    /// Floats per (image, channel) in the layout the taps read: the plane itself, or its s² phases.
    var sourceBlock: Int { stride == 1 ? height * width : stride * stride * phaseHeight * phaseWidth }

    /// For kernel offset t: image index o·s − p + t = s·(o + shift) + phase.
    @inline(__always) func phaseAndShift(_ t: Int) -> (phase: Int, shift: Int) {
        let d = t - padding
        let shift = d >= 0 ? d / stride : -((-d + stride - 1) / stride)
        return (d - shift * stride, shift)
    }

    /// Where tap `row` reads inside the source block of one (n, c), and which output columns are inside.
    @inline(__always) func tap(_ row: Int) -> (offset: Int, dy: Int, valid: Range<Int>) {
        let (ki, kj) = (row % (kernel * kernel)).quotientAndRemainder(dividingBy: kernel)
        let (a, dy) = phaseAndShift(ki), (b, dx) = phaseAndShift(kj)
        let (ph, pw) = (phaseHeight, phaseWidth)
        let lo = min(max(0, -dx), outWidth), hi = max(lo, min(outWidth, pw - dx))
        return ((a * stride + b) * ph * pw + dx, dy, lo..<hi)
    }

    /// The images in the layout `gather` reads: themselves at stride 1, else split into phases.
    func source(_ images: UnsafePointer<Float>) -> (pointer: UnsafePointer<Float>, keepAlive: Tensor?) {
        guard stride > 1 else { return (images, nil) }
        let phases = Tensor(uninitialized: [batch * channels * sourceBlock])
        splitPhases(images, into: phases.data)
        return (UnsafePointer(phases.data), phases)
    }

    /// Copies the receptive fields of `tile` into cols [C·k·k, tile.columns], zeros where they overhang.
    /// When a plane row is as wide as an output row (stride-2 phases, "same" padding), a tap's rows lie
    /// back to back in the source as in cols: one copy per image, then the overhanging edge columns of
    /// each row are zeroed, instead of a short copy per row (deep layers' rows are 4–16 floats).
    /// `rows` (default all) picks a band of the column rows, written from cols' first row on.
    func gather(_ source: UnsafePointer<Float>, _ tile: ConvTile, rows band: Range<Int>? = nil, into cols: UnsafeMutablePointer<Float>) {
        let (ph, pw, block, wo, ld) = (phaseHeight, phaseWidth, sourceBlock, outWidth, tile.columns)
        let taps = kernel * kernel
        let rowsPerImage = tile.rows.count
        let band = band ?? 0..<columnRows
        for row in band {
            let (offset, dy, valid) = tap(row)
            let c = row / taps
            // Output rows whose source row lies inside the plane.
            let top = min(max(tile.rows.lowerBound, -dy), tile.rows.upperBound)
            let inside = top..<max(top, min(tile.rows.upperBound, ph - dy))
            for (i, n) in tile.images.enumerated() {
                let src = source + (n * channels + c) * block + offset
                let dst = cols + (row - band.lowerBound) * ld + (i * rowsPerImage - tile.rows.lowerBound) * wo
                (dst + tile.rows.lowerBound * wo).update(repeating: 0, count: (inside.lowerBound - tile.rows.lowerBound) * wo)
                (dst + inside.upperBound * wo).update(repeating: 0, count: (tile.rows.upperBound - inside.upperBound) * wo)
                guard !inside.isEmpty else { continue }
                if pw == wo && !valid.isEmpty {
                    let first = inside.lowerBound * wo + valid.lowerBound, last = (inside.upperBound - 1) * wo + valid.upperBound
                    copyFloats(dst + first, src + dy * pw + first, count: last - first)
                } else {
                    for oh in inside {
                        copyFloats(dst + oh * wo + valid.lowerBound, src + (oh + dy) * pw + valid.lowerBound, count: valid.count)
                    }
                }
                zeroOverhang(dst, rows: inside, valid: valid)
            }
        }
    }

    /// Adds cols of `tile` back onto the source layout (the adjoint of `gather`); overlapping taps sum.
    /// `target` holds the source blocks of images from `firstImage` on. As in `gather`, equally wide
    /// rows go as one block per image, after zeroing the overhanging edge columns in cols (a scratch).
    func scatter(_ cols: UnsafeMutablePointer<Float>, _ tile: ConvTile, rows band: Range<Int>, addingInto target: UnsafeMutablePointer<Float>,
                 firstImage: Int = 0) {
        let (ph, pw, block, wo, ld) = (phaseHeight, phaseWidth, sourceBlock, outWidth, tile.columns)
        let taps = kernel * kernel
        let rowsPerImage = tile.rows.count
        for row in band {
            let (offset, dy, valid) = tap(row)
            let first = max(tile.rows.lowerBound, -dy), last = min(tile.rows.upperBound, ph - dy)
            guard first < last, !valid.isEmpty else { continue }
            let c = row / taps
            for (i, n) in tile.images.enumerated() {
                let dst = target + ((n - firstImage) * channels + c) * block + offset
                let src = cols + (row - band.lowerBound) * ld + (i * rowsPerImage - tile.rows.lowerBound) * wo
                if pw == wo {
                    zeroOverhang(src, rows: first..<last, valid: valid)
                    let start = first * wo + valid.lowerBound, end = (last - 1) * wo + valid.upperBound
                    addFloats(dst + dy * pw + start, src + start, count: end - start)
                } else {
                    for oh in first..<last {
                        addFloats(dst + (oh + dy) * pw + valid.lowerBound, src + oh * wo + valid.lowerBound, count: valid.count)
                    }
                }
            }
        }
    }

    /// Zeroes the columns outside `valid` in `rows` of an [rows, Wo] block: where taps overhang the image.
    private func zeroOverhang(_ block: UnsafeMutablePointer<Float>, rows: Range<Int>, valid: Range<Int>) {
        for oh in rows {
            let line = block + oh * outWidth
            for ow in 0..<valid.lowerBound { line[ow] = 0 }
            for ow in valid.upperBound..<outWidth { line[ow] = 0 }
        }
    }

    /// Scatters one core's tiles onto `images` [N, C, H, W], each tile's columns made a band of rows at a
    /// time by `columns` (`rowBands`). At stride 1 they add straight in (so writing needs zeroed images).
    /// At stride s they add into the phase planes of the tile's images in a per-core scratch, zeroed at an
    /// image group's first tile and merged into `images` (added, or written when `adding` is false, then
    /// passed through `epilogue`) after its last, while still in cache.
    func scatter(_ tiles: [ConvTile], bands: [Range<Int>], into images: UnsafeMutablePointer<Float>, adding: Bool,
                 epilogue: PlaneEpilogue? = nil, columns: (ConvTile, _ band: Range<Int>) -> UnsafeMutablePointer<Float>) {
        precondition(epilogue == nil || (stride > 1 && !adding), "an epilogue goes with the phase merge of written planes")
        guard stride > 1 else {
            for tile in tiles { for band in bands { scatter(columns(tile, band), tile, rows: band, addingInto: images) } }
            return
        }
        let scratch = Tensor(uninitialized: [(tiles.map(\.images.count).max() ?? 0) * channels * sourceBlock])
        for (index, tile) in tiles.enumerated() {
            let floats = tile.images.count * channels * sourceBlock
            if index == 0 || tiles[index - 1].images != tile.images { scratch.data.update(repeating: 0, count: floats) }
            for band in bands {
                scatter(columns(tile, band), tile, rows: band, addingInto: scratch.data, firstImage: tile.images.lowerBound)
            }
            if index == tiles.count - 1 || tiles[index + 1].images != tile.images {
                mergePhases(scratch.data, images: tile.images, into: images, adding: adding, epilogue: epilogue)
            }
        }
    }

    /// [N, C, H, W] → [N, C, s, s, ⌈H/s⌉, ⌈W/s⌉], zero where a phase is shorter. Image row by image
    /// row, so reads are contiguous; stride 2 (every strided layer here) has its own vectorisable loop.
    private func splitPhases(_ image: UnsafePointer<Float>, into phases: UnsafeMutablePointer<Float>) {
        let (h, w, s, ph, pw, block) = (height, width, stride, phaseHeight, phaseWidth, sourceBlock)
        Parallel.chunks(batch * channels, grain: max(1, 16_384 / max(h * w, 1))) { planes in
            for p in planes {
                let src = image + p * h * w, dst = phases + p * block
                if h % s != 0 || w % s != 0 { dst.initialize(repeating: 0, count: block) }
                for y in 0..<h {
                    let (u, a) = y.quotientAndRemainder(dividingBy: s)
                    let row = src + y * w, line = dst + (a * s * ph + u) * pw
                    if s == 2 && w % 2 == 0 {
                        let odd = line + ph * pw
                        for v in 0..<(w / 2) { line[v] = row[2 * v]; odd[v] = row[2 * v + 1] }
                    } else {
                        for x in 0..<w { line[(x % s) * ph * pw + x / s] = row[x] }
                    }
                }
            }
        }
    }

    /// Adds (or writes) the phase planes of `images` back into [N, C, H, W]: the adjoint of
    /// `splitPhases`. `phases` starts at the first of them.
    private func mergePhases(_ phases: UnsafePointer<Float>, images: Range<Int>, into image: UnsafeMutablePointer<Float>,
                             adding: Bool, epilogue: PlaneEpilogue?) {
        let (h, w, s, ph, pw, block) = (height, width, stride, phaseHeight, phaseWidth, sourceBlock)
        for p in (images.lowerBound * channels)..<(images.upperBound * channels) {
            let dst = image + p * h * w, src = phases + (p - images.lowerBound * channels) * block
            for y in 0..<h {
                let (u, a) = y.quotientAndRemainder(dividingBy: s)
                let row = dst + y * w, line = src + (a * s * ph + u) * pw
                if s == 2 && w % 2 == 0 {
                    let odd = line + ph * pw
                    if adding {
                        for v in 0..<(w / 2) { row[2 * v] += line[v]; row[2 * v + 1] += odd[v] }
                    } else {
                        for v in 0..<(w / 2) { row[2 * v] = line[v]; row[2 * v + 1] = odd[v] }
                    }
                } else {
                    for x in 0..<w {
                        let value = line[(x % s) * ph * pw + x / s]
                        row[x] = adding ? row[x] + value : value
                    }
                }
                epilogue?.apply(row, channel: p % channels, count: w)
            }
        }
    }
}

/// Copies `count` floats with inline vector moves. A plain loop would become a memmove call, which
/// costs a call per short row and, for rows of a few KB, takes the "rep movsb" path that is slow on
/// some CPUs (AMD Zen).
@inline(__always)
func copyFloats(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    let (to, from) = (UnsafeMutableRawPointer(dst), UnsafeRawPointer(src))
    var i = 0
    while i + 8 <= count {
        to.storeBytes(of: from.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self), toByteOffset: 4 * i, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        dst[i] = src[i]
        i += 1
    }
}

/// dst[i] += src[i] for `count` floats, with inline vector loads and stores.
@inline(__always)
func addFloats(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    let (to, from) = (UnsafeMutableRawPointer(dst), UnsafeRawPointer(src))
    var i = 0
    while i + 8 <= count {
        let sum = to.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) + from.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
        to.storeBytes(of: sum, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        dst[i] += src[i]
        i += 1
    }
}
