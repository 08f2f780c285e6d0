/// The geometry of a k×k convolution over a batch: images [N, C, H, W] → output grid Ho × Wo.
/// Columns are [C·k·k, N·Ho·Wo]: one row per (channel, kernel tap), one column per output pixel of
/// the whole batch, so a layer is one GEMM whatever the batch size.
struct ConvGeometry {
    let batch: Int, channels: Int, height: Int, width: Int
    let kernel: Int, stride: Int, padding: Int
    let outHeight: Int, outWidth: Int

    var columnRows: Int { channels * kernel * kernel }
    var columnCount: Int { batch * outHeight * outWidth }

    /// Output columns `ow` whose input column ow·s − p + kj lies inside the image.
    @inline(__always) func validColumns(_ kj: Int) -> Range<Int> {
        let lo = max(0, (padding - kj + stride - 1) / stride)
        let hi = min(outWidth, (width - 1 + padding - kj) / stride + 1)
        return lo..<max(lo, hi)
    }

    /// Copies every receptive field into columns [C·k·k, N·Ho·Wo], zeros where it overhangs.
    func im2col(_ image: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>) {
        let plane = height * width, outPlane = outHeight * outWidth
        Parallel.chunks(columnRows, grain: max(1, 16_384 / max(columnCount, 1))) { rows in
            for row in rows {
                let (c, tap) = row.quotientAndRemainder(dividingBy: kernel * kernel)
                let (ki, kj) = tap.quotientAndRemainder(dividingBy: kernel)
                let valid = validColumns(kj)
                for n in 0..<batch {
                    let src = image + (n * channels + c) * plane
                    let dst = cols + row * columnCount + n * outPlane
                    for oh in 0..<outHeight {
                        let ih = oh * stride - padding + ki
                        let out = dst + oh * outWidth
                        guard ih >= 0 && ih < height else {
                            out.initialize(repeating: 0, count: outWidth)
                            continue
                        }
                        let line = src + ih * width - padding + kj
                        for ow in 0..<valid.lowerBound { out[ow] = 0 }
                        if stride == 1 {
                            for ow in valid { out[ow] = line[ow] }
                        } else {
                            for ow in valid { out[ow] = line[ow * stride] }
                        }
                        for ow in valid.upperBound..<outWidth { out[ow] = 0 }
                    }
                }
            }
        }
    }

    /// Adds columns back onto images [N, C, H, W] (the adjoint of `im2col`); overlapping taps sum.
    /// Threads split by channel, so each owns its planes and rows.
    func col2im(_ cols: UnsafePointer<Float>, addingInto image: UnsafeMutablePointer<Float>) {
        let plane = height * width, outPlane = outHeight * outWidth
        let taps = kernel * kernel
        Parallel.chunks(channels, grain: max(1, 16_384 / max(taps * columnCount, 1))) { channelRange in
            for c in channelRange {
                for tap in 0..<taps {
                    let (ki, kj) = tap.quotientAndRemainder(dividingBy: kernel)
                    let valid = validColumns(kj)
                    let row = c * taps + tap
                    for n in 0..<batch {
                        let dst = image + (n * channels + c) * plane
                        let src = cols + row * columnCount + n * outPlane
                        for oh in 0..<outHeight {
                            let ih = oh * stride - padding + ki
                            guard ih >= 0 && ih < height else { continue }
                            let line = dst + ih * width - padding + kj
                            let col = src + oh * outWidth
                            if stride == 1 {
                                for ow in valid { line[ow] += col[ow] }
                            } else {
                                for ow in valid { line[ow * stride] += col[ow] }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// dst[j, i, :] = src[i, j, :] (+ bias[i] when given): moves between [C, N, L] and [N, C, L].
func swapLeadingAxes(
    _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ d0: Int, _ d1: Int, inner: Int,
    bias: UnsafePointer<Float>? = nil, biasIndexedBySource: Bool = true
) {
    Parallel.chunks(d0 * d1, grain: max(1, 32_768 / max(inner, 1))) { r in
        for ij in r {
            let (i, j) = ij.quotientAndRemainder(dividingBy: d1)
            let s = src + ij * inner, d = dst + (j * d0 + i) * inner
            if let bias {
                let b = bias[biasIndexedBySource ? i : j]
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
