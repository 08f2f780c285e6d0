/// The geometry of a k×k convolution over a batch: images [N, C, H, W] → output grid Ho × Wo.
/// Columns are [C·k·k, N·Ho·Wo]: one row per (channel, kernel tap), one column per output pixel of
/// the whole batch, so a layer is one GEMM whatever the batch size.
///
/// With stride s > 1 the image is first split into s×s phase planes ("space to depth": phase (a, b)
/// holds pixels y ≡ a, x ≡ b mod s), so every tap reads and writes contiguous rows of one plane and
/// the copies vectorise instead of striding.
struct ConvGeometry {
    let batch: Int, channels: Int, height: Int, width: Int
    let kernel: Int, stride: Int, padding: Int
    let outHeight: Int, outWidth: Int

    var columnRows: Int { channels * kernel * kernel }
    var columnCount: Int { batch * outHeight * outWidth }
    /// Size of a phase plane, zero-padded to the largest phase.
    var phaseHeight: Int { (height + stride - 1) / stride }
    var phaseWidth: Int { (width + stride - 1) / stride }
    var phasePlanes: Int { stride * stride * phaseHeight * phaseWidth }

    /// For kernel offset t: image index o·s − p + t = s·(o + shift) + phase.
    @inline(__always) func phaseAndShift(_ t: Int) -> (phase: Int, shift: Int) {
        let d = t - padding
        let shift = d >= 0 ? d / stride : -((-d + stride - 1) / stride)
        return (d - shift * stride, shift)
    }

    /// Where tap `row` reads from inside the phase block of one (n, c), and which output columns are inside.
    @inline(__always) func tap(_ row: Int) -> (offset: Int, dy: Int, valid: Range<Int>) {
        let (ki, kj) = (row % (kernel * kernel)).quotientAndRemainder(dividingBy: kernel)
        let (a, dy) = phaseAndShift(ki), (b, dx) = phaseAndShift(kj)
        let (ph, pw) = (phaseHeight, phaseWidth)
        let lo = min(max(0, -dx), outWidth), hi = max(lo, min(outWidth, pw - dx))
        return ((a * stride + b) * ph * pw + dx, dy, lo..<hi)
    }

    /// Copies every receptive field into columns [C·k·k, N·Ho·Wo], zeros where it overhangs.
    func im2col(_ image: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>) {
        if stride == 1 {
            gather(image, into: cols)
        } else {
            let phases = Tensor(uninitialized: [batch * channels * phasePlanes])
            splitPhases(image, into: phases.data)
            gather(phases.data, into: cols)
        }
    }

    /// Adds columns back onto images [N, C, H, W] (the adjoint of `im2col`); overlapping taps sum.
    func col2im(_ cols: UnsafePointer<Float>, addingInto image: UnsafeMutablePointer<Float>) {
        if stride == 1 {
            scatter(cols, addingInto: image)
        } else {
            let phases = Tensor(zeros: [batch * channels * phasePlanes])
            scatter(cols, addingInto: phases.data)
            mergePhases(phases.data, addingInto: image)
        }
    }

    private func gather(_ source: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>) {
        let (ph, pw, block) = (phaseHeight, phaseWidth, phasePlanes)
        let (ho, wo, count) = (outHeight, outWidth, columnCount)
        let taps = kernel * kernel
        Parallel.chunks(columnRows, grain: max(1, 16_384 / max(count, 1))) { rows in
            for row in rows {
                let (offset, dy, valid) = tap(row)
                let c = row / taps
                for n in 0..<batch {
                    let src = source + (n * channels + c) * block + offset
                    var dst = cols + row * count + n * ho * wo
                    for oh in 0..<ho {
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
    }

    /// Threads split by channel, so each owns its planes.
    private func scatter(_ cols: UnsafePointer<Float>, addingInto target: UnsafeMutablePointer<Float>) {
        let (ph, pw, block) = (phaseHeight, phaseWidth, phasePlanes)
        let (ho, wo, count) = (outHeight, outWidth, columnCount)
        let taps = kernel * kernel
        Parallel.chunks(channels, grain: max(1, 16_384 / max(taps * count, 1))) { channelRange in
            for c in channelRange {
                for row in (c * taps)..<((c + 1) * taps) {
                    let (offset, dy, valid) = tap(row)
                    let rowStart = max(0, -dy), rowEnd = min(ho, ph - dy)
                    guard rowStart < rowEnd, !valid.isEmpty else { continue }
                    for n in 0..<batch {
                        let dst = target + (n * channels + c) * block + offset
                        let src = cols + row * count + n * ho * wo
                        for oh in rowStart..<rowEnd {
                            let line = dst + (oh + dy) * pw, col = src + oh * wo
                            for ow in valid { line[ow] += col[ow] }
                        }
                    }
                }
            }
        }
    }

    /// [N, C, H, W] → [N, C, s, s, ⌈H/s⌉, ⌈W/s⌉], zero where a phase is shorter.
    private func splitPhases(_ image: UnsafePointer<Float>, into phases: UnsafeMutablePointer<Float>) {
        let (h, w, s, ph, pw, block) = (height, width, stride, phaseHeight, phaseWidth, phasePlanes)
        Parallel.chunks(batch * channels, grain: max(1, 16_384 / max(h * w, 1))) { planes in
            for p in planes {
                let src = image + p * h * w, dst = phases + p * block
                for a in 0..<s {
                    for b in 0..<s {
                        let plane = dst + (a * s + b) * ph * pw
                        for u in 0..<ph {
                            let y = u * s + a, line = plane + u * pw
                            guard y < h else { for v in 0..<pw { line[v] = 0 }; continue }
                            let row = src + y * w + b
                            let inside = (w - b + s - 1) / s
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
        let (h, w, s, ph, pw, block) = (height, width, stride, phaseHeight, phaseWidth, phasePlanes)
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

/// dst[j, i, :] = src[i, j, :] (+ bias[i] when given): moves between [C, N, L] and [N, C, L].
func swapLeadingAxes(
    _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ d0: Int, _ d1: Int, inner: Int,
    bias: UnsafePointer<Float>? = nil
) {
    Parallel.chunks(d0 * d1, grain: max(1, 32_768 / max(inner, 1))) { r in
        for ij in r {
            let (i, j) = ij.quotientAndRemainder(dividingBy: d1)
            let s = src + ij * inner, d = dst + (j * d0 + i) * inner
            if let bias {
                let b = bias[i]
                for l in 0..<inner { d[l] = s[l] + b }
            } else {
                d.update(from: s, count: inner)
            }
        }
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
