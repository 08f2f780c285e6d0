/// Convolution and transposed convolution as one batched im2col/col2im plus one GEMM per pass.

/// x [N, C, H, W] ⊛ weight [O, C, k, k] (+ bias [O]) → [N, O, Ho, Wo], Ho = (H + 2p − k) / s + 1.
public func conv2d(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4 && weight.shape[1] == x.shape[1] && weight.shape[2] == weight.shape[3],
                 "conv2d of \(x.shape) with weight \(weight.shape): expected [N, C, H, W] and [O, C, k, k]")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, k) = (weight.shape[0], weight.shape[2])
    let ho = (h + 2 * padding - k) / stride + 1, wo = (w + 2 * padding - k) / stride + 1
    precondition(ho > 0 && wo > 0, "conv2d: kernel \(k) with padding \(padding) does not fit \(h)×\(w)")
    let g = ConvGeometry(batch: n, channels: c, height: h, width: w, kernel: k, stride: stride, padding: padding,
                         outHeight: ho, outWidth: wo)
    let (rows, columns, plane) = (g.columnRows, g.columnCount, ho * wo)

    let cols = Tensor(uninitialized: [rows, columns])
    g.im2col(x.data, into: cols.data)
    let product = Tensor(uninitialized: [o, columns])
    gemm(m: o, n: columns, k: rows, weight.data, lda: rows, cols.data, ldb: columns, product.data, ldc: columns)
    let out = Tensor(uninitialized: [n, o, ho, wo])
    swapLeadingAxes(product.data, into: out.data, o, n, inner: plane, bias: bias?.data)

    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    return out.recorded(from: inputs) { out in
        let dy = Tensor(uninitialized: [o, columns])
        swapLeadingAxes(out.gradBuffer, into: dy.data, n, o, inner: plane)
        if weight.requiresGrad {
            gemm(transB: true, m: o, n: rows, k: columns, dy.data, lda: columns, cols.data, ldb: columns,
                 beta: 1, weight.gradBuffer, ldc: rows)
        }
        if let bias, bias.requiresGrad {
            addChannelSums(out.gradBuffer, batch: n, channels: o, inner: plane, into: bias.gradBuffer)
        }
        if x.requiresGrad {
            let dcols = Tensor(uninitialized: [rows, columns])
            gemm(transA: true, m: rows, n: columns, k: o, weight.data, lda: rows, dy.data, ldb: columns,
                 dcols.data, ldc: columns)
            g.col2im(dcols.data, addingInto: x.gradBuffer)
        }
    }
}

/// The adjoint of conv2d: x [N, Cin, H, W] with weight [Cin, Cout, k, k] (+ bias [Cout]) →
/// [N, Cout, Ho, Wo], Ho = (H − 1)·s − 2p + k. Each input pixel scatters a k×k patch.
public func convTranspose2d(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4 && weight.shape[0] == x.shape[1] && weight.shape[2] == weight.shape[3],
                 "convTranspose2d of \(x.shape) with weight \(weight.shape): expected [N, Cin, H, W] and [Cin, Cout, k, k]")
    let (n, cin, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, k) = (weight.shape[1], weight.shape[2])
    let ho = (h - 1) * stride - 2 * padding + k, wo = (w - 1) * stride - 2 * padding + k
    precondition(ho > 0 && wo > 0, "convTranspose2d: output would be \(ho)×\(wo)")
    // Seen from the output side this is a conv2d of [N, Cout, Ho, Wo] down to the H × W grid.
    let g = ConvGeometry(batch: n, channels: cout, height: ho, width: wo, kernel: k, stride: stride, padding: padding,
                         outHeight: h, outWidth: w)
    let (rows, columns, plane) = (g.columnRows, g.columnCount, h * w)

    let xt = Tensor(uninitialized: [cin, columns])
    swapLeadingAxes(x.data, into: xt.data, n, cin, inner: plane)
    let cols = Tensor(uninitialized: [rows, columns])
    gemm(transA: true, m: rows, n: columns, k: cin, weight.data, lda: rows, xt.data, ldb: columns, cols.data, ldc: columns)
    let out = Tensor(zeros: [n, cout, ho, wo])
    g.col2im(cols.data, addingInto: out.data)
    if let bias { addBias(bias.data, to: out.data, batch: n, channels: cout, inner: ho * wo) }

    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    return out.recorded(from: inputs) { out in
        let gcols = Tensor(uninitialized: [rows, columns])
        g.im2col(out.gradBuffer, into: gcols.data)
        if weight.requiresGrad {
            gemm(transB: true, m: cin, n: rows, k: columns, xt.data, lda: columns, gcols.data, ldb: columns,
                 beta: 1, weight.gradBuffer, ldc: rows)
        }
        if let bias, bias.requiresGrad {
            addChannelSums(out.gradBuffer, batch: n, channels: cout, inner: ho * wo, into: bias.gradBuffer)
        }
        if x.requiresGrad {
            let dxt = Tensor(uninitialized: [cin, columns])
            gemm(m: cin, n: columns, k: rows, weight.data, lda: rows, gcols.data, ldb: columns, dxt.data, ldc: columns)
            let dx = x.gradBuffer
            Parallel.chunks(n * cin, grain: max(1, 32_768 / max(plane, 1))) { r in
                for nc in r {
                    let (i, c) = nc.quotientAndRemainder(dividingBy: cin)
                    let s = dxt.data + (c * n + i) * plane, d = dx + nc * plane
                    for l in 0..<plane { d[l] += s[l] }
                }
            }
        }
    }
}

/// out[n, c, :] += bias[c] over [N, C, L].
func addBias(_ bias: UnsafePointer<Float>, to out: UnsafeMutablePointer<Float>, batch: Int, channels: Int, inner: Int) {
    Parallel.chunks(batch * channels, grain: max(1, 32_768 / max(inner, 1))) { r in
        for nc in r {
            let b = bias[nc % channels], p = out + nc * inner
            for l in 0..<inner { p[l] += b }
        }
    }
}

/// x [N, I] · weightᵀ (weight [O, I]) + bias [O] → [N, O].
public func linear(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
                 "linear of \(x.shape) with weight \(weight.shape): expected [N, I] and [O, I]")
    let (n, i, o) = (x.shape[0], x.shape[1], weight.shape[0])
    let out = Tensor(uninitialized: [n, o])
    gemm(transB: true, m: n, n: o, k: i, x.data, lda: i, weight.data, ldb: i, out.data, ldc: o)
    if let bias { addRowBias(bias.data, to: out.data, rows: n, columns: o) }
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    return out.recorded(from: inputs) { out in
        let dy = out.gradBuffer
        if weight.requiresGrad {
            gemm(transA: true, m: o, n: i, k: n, dy, lda: o, x.data, ldb: i, beta: 1, weight.gradBuffer, ldc: i)
        }
        if let bias, bias.requiresGrad {
            let db = bias.gradBuffer
            for r in 0..<n { for c in 0..<o { db[c] += dy[r * o + c] } }
        }
        if x.requiresGrad {
            gemm(m: n, n: i, k: o, dy, lda: o, weight.data, ldb: i, beta: 1, x.gradBuffer, ldc: i)
        }
    }
}

/// out[r, c] += bias[c] over [R, C].
func addRowBias(_ bias: UnsafePointer<Float>, to out: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    for r in 0..<rows {
        let p = out + r * columns
        for c in 0..<columns { p[c] += bias[c] }
    }
}
