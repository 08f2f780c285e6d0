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
    func gather(_ source: UnsafePointer<Float>, _ tile: ConvTile, into cols: UnsafeMutablePointer<Float>) {
        let (ph, pw, block, wo, ld) = (phaseHeight, phaseWidth, sourceBlock, outWidth, tile.columns)
        let taps = kernel * kernel
        for row in 0..<columnRows {
            let (offset, dy, valid) = tap(row)
            let c = row / taps
            var dst = cols + row * ld
            for n in tile.images {
                let src = source + (n * channels + c) * block + offset
                for oh in tile.rows {
                    let u = oh + dy
                    if u < 0 || u >= ph {
                        for ow in 0..<wo { dst[ow] = 0 }
                    } else {
                        let line = src + u * pw
                        for ow in 0..<valid.lowerBound { dst[ow] = 0 }
                        for ow in valid { dst[ow] = line[ow] }
                        for ow in valid.upperBound..<wo { dst[ow] = 0 }
                    }
                    dst += wo
                }
            }
        }
    }

    /// Adds cols of `tile` back onto the source layout (the adjoint of `gather`); overlapping taps sum.
    func scatter(_ cols: UnsafePointer<Float>, _ tile: ConvTile, addingInto target: UnsafeMutablePointer<Float>) {
        let (ph, pw, block, wo, ld) = (phaseHeight, phaseWidth, sourceBlock, outWidth, tile.columns)
        let taps = kernel * kernel
        let rowsPerImage = tile.rows.count
        for row in 0..<columnRows {
            let (offset, dy, valid) = tap(row)
            let first = max(tile.rows.lowerBound, -dy), last = min(tile.rows.upperBound, ph - dy)
            guard first < last, !valid.isEmpty else { continue }
            let c = row / taps
            for (i, n) in tile.images.enumerated() {
                let dst = target + (n * channels + c) * block + offset
                let src = cols + row * ld + (i * rowsPerImage - tile.rows.lowerBound) * wo
                for oh in first..<last {
                    let line = dst + (oh + dy) * pw, col = src + oh * wo
                    for ow in valid { line[ow] += col[ow] }
                }
            }
        }
    }

    /// Adds a gradient in the source layout onto the images (the adjoint of `source`).
    func addSource(_ source: UnsafePointer<Float>, into images: UnsafeMutablePointer<Float>) {
        if stride > 1 {
            mergePhases(source, addingInto: images)
        } else {
            Parallel.chunks(batch * channels * height * width) { r in for i in r { images[i] += source[i] } }
        }
    }

    /// [N, C, H, W] → [N, C, s, s, ⌈H/s⌉, ⌈W/s⌉], zero where a phase is shorter.
    private func splitPhases(_ image: UnsafePointer<Float>, into phases: UnsafeMutablePointer<Float>) {
        let (h, w, s, ph, pw, block) = (height, width, stride, phaseHeight, phaseWidth, sourceBlock)
        Parallel.chunks(batch * channels, grain: max(1, 16_384 / max(h * w, 1))) { planes in
            for p in planes {
                let src = image + p * h * w, dst = phases + p * block
                for a in 0..<s {
                    for b in 0..<s {
                        let plane = dst + (a * s + b) * ph * pw
                        let inside = (w - b + s - 1) / s
                        for u in 0..<ph {
                            let y = u * s + a, line = plane + u * pw
                            guard y < h else { for v in 0..<pw { line[v] = 0 }; continue }
                            let row = src + y * w + b
                            for v in 0..<inside { line[v] = row[v * s] }
                            for v in inside..<pw { line[v] = 0 }
                        }
                    }
                }
            }
        }
    }

    /// Adds phase planes back into [N, C, H, W] (the adjoint of `splitPhases`).
    private func mergePhases(_ phases: UnsafePointer<Float>, addingInto image: UnsafeMutablePointer<Float>) {
        let (h, w, s, ph, pw, block) = (height, width, stride, phaseHeight, phaseWidth, sourceBlock)
        Parallel.chunks(batch * channels, grain: max(1, 16_384 / max(h * w, 1))) { planes in
            for p in planes {
                let dst = image + p * h * w, src = phases + p * block
                for y in 0..<h {
                    let (u, a) = y.quotientAndRemainder(dividingBy: s)
                    let row = dst + y * w
                    for b in 0..<s {
                        let line = src + ((a * s + b) * ph + u) * pw
                        let inside = (w - b + s - 1) / s
                        for v in 0..<inside { row[v * s + b] += line[v] }
                    }
                }
            }
        }
    }
}
