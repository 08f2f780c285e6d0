import Foundation
@testable import Engine

/// Naive Float64 forwards, written from the definitions, that the fast kernels are checked against.
enum Reference {
    /// x [N, C, H, W], w [O, C, k, k] → [N, O, Ho, Wo]
    static func conv2d(_ x: [Double], _ w: [Double], _ b: [Double]?, n: Int, c: Int, h: Int, wd: Int,
                       o: Int, k: Int, stride s: Int, padding p: Int) -> [Double] {
        let ho = (h + 2 * p - k) / s + 1, wo = (wd + 2 * p - k) / s + 1
        var out = [Double](repeating: 0, count: n * o * ho * wo)
        for i in 0..<n { for oc in 0..<o { for y in 0..<ho { for xx in 0..<wo {
            var acc = b?[oc] ?? 0
            for ic in 0..<c { for ki in 0..<k { for kj in 0..<k {
                let iy = y * s - p + ki, ix = xx * s - p + kj
                if iy >= 0 && iy < h && ix >= 0 && ix < wd {
                    acc += x[((i * c + ic) * h + iy) * wd + ix] * w[((oc * c + ic) * k + ki) * k + kj]
                }
            } } }
            out[((i * o + oc) * ho + y) * wo + xx] = acc
        } } } }
        return out
    }

    /// x [N, Cin, H, W], w [Cin, Cout, k, k]: each input pixel scatters a k×k patch → [N, Cout, Ho, Wo]
    static func convTranspose2d(_ x: [Double], _ w: [Double], _ b: [Double]?, n: Int, cin: Int, h: Int, wd: Int,
                                cout: Int, k: Int, stride s: Int, padding p: Int) -> [Double] {
        let ho = (h - 1) * s - 2 * p + k, wo = (wd - 1) * s - 2 * p + k
        var out = [Double](repeating: 0, count: n * cout * ho * wo)
        for i in 0..<n { for oc in 0..<cout { for y in 0..<ho { for xx in 0..<wo {
            out[((i * cout + oc) * ho + y) * wo + xx] = b?[oc] ?? 0
        } } } }
        for i in 0..<n { for ic in 0..<cin { for y in 0..<h { for xx in 0..<wd {
            let v = x[((i * cin + ic) * h + y) * wd + xx]
            for oc in 0..<cout { for ki in 0..<k { for kj in 0..<k {
                let oy = y * s - p + ki, ox = xx * s - p + kj
                if oy >= 0 && oy < ho && ox >= 0 && ox < wo {
                    out[((i * cout + oc) * ho + oy) * wo + ox] += v * w[((ic * cout + oc) * k + ki) * k + kj]
                }
            } } }
        } } } }
        return out
    }

    /// Training-mode batch norm over [N, C, L] with biased batch variance.
    static func batchNorm(_ x: [Double], _ g: [Double], _ b: [Double], n: Int, c: Int, l: Int, eps: Double = 1e-5) -> [Double] {
        var out = x
        for ch in 0..<c {
            var values: [Double] = []
            for i in 0..<n { for j in 0..<l { values.append(x[(i * c + ch) * l + j]) } }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            for i in 0..<n { for j in 0..<l {
                let idx = (i * c + ch) * l + j
                out[idx] = g[ch] * (x[idx] - mean) / (variance + eps).squareRoot() + b[ch]
            } }
        }
        return out
    }

    /// Broadcasting of two shapes by explicit index arithmetic.
    static func broadcast(_ a: [Double], _ sa: [Int], _ b: [Double], _ sb: [Int], _ f: (Double, Double) -> Double) -> [Double] {
        let rank = max(sa.count, sb.count)
        let pa = Array(repeating: 1, count: rank - sa.count) + sa, pb = Array(repeating: 1, count: rank - sb.count) + sb
        let shape = zip(pa, pb).map { max($0, $1) }
        let total = shape.reduce(1, *)
        return (0..<total).map { flat in
            var rest = flat, ia = 0, ib = 0, stepA = 1, stepB = 1
            for d in stride(from: rank - 1, through: 0, by: -1) {
                let idx = rest % shape[d]; rest /= shape[d]
                ia += (pa[d] == 1 ? 0 : idx) * stepA; stepA *= pa[d]
                ib += (pb[d] == 1 ? 0 : idx) * stepB; stepB *= pb[d]
            }
            return f(a[ia], b[ib])
        }
    }
}

extension Reference {
    /// x [N, I], w [O, I], b [O] → [N, O]
    static func linear(_ x: [Double], _ w: [Double], _ b: [Double], n: Int, i: Int, o: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * o)
        for r in 0..<n {
            for c in 0..<o {
                var acc = b[c]
                for j in 0..<i { acc += x[r * i + j] * w[c * i + j] }
                out[r * o + c] = acc
            }
        }
        return out
    }

    /// Mean over k×k windows of `planes` planes of h × w.
    static func avgPool(_ x: [Double], k: Int, planes: Int, h: Int, w: Int) -> [Double] {
        var out: [Double] = []
        for p in 0..<planes {
            for i in 0..<(h / k) {
                for j in 0..<(w / k) {
                    var acc = 0.0
                    for di in 0..<k { for dj in 0..<k { acc += x[p * h * w + (k * i + di) * w + k * j + dj] } }
                    out.append(acc / Double(k * k))
                }
            }
        }
        return out
    }

    static func upsample2(_ x: [Double], planes: Int, h: Int, w: Int) -> [Double] {
        var out: [Double] = []
        for p in 0..<planes { for i in 0..<(2 * h) { for j in 0..<(2 * w) { out.append(x[p * h * w + (i / 2) * w + j / 2]) } } }
        return out
    }

    /// Channel concat of per-image blocks of sizes `blockA` and `blockB`.
    static func concat(_ a: [Double], _ b: [Double], n: Int, blockA: Int, blockB: Int) -> [Double] {
        var out: [Double] = []
        for i in 0..<n {
            out += a[(i * blockA)..<((i + 1) * blockA)]
            out += b[(i * blockB)..<((i + 1) * blockB)]
        }
        return out
    }

    static func crop(_ x: [Double], planes: Int, h: Int, w: Int, top: Int, left: Int, ch: Int, cw: Int) -> [Double] {
        var out: [Double] = []
        for p in 0..<planes { for i in top..<(top + ch) { for j in left..<(left + cw) { out.append(x[p * h * w + i * w + j]) } } }
        return out
    }

    /// W / (uᵀ W v) with W viewed as [rows, cols].
    static func spectral(_ w: [Double], u: [Double], v: [Double]) -> [Double] {
        let rows = u.count, cols = v.count
        var sigma = 0.0
        for r in 0..<rows {
            var wv = 0.0
            for c in 0..<cols { wv += w[r * cols + c] * v[c] }
            sigma += u[r] * wv
        }
        return w.map { $0 / sigma }
    }

    static func glu(_ x: [Double], n: Int, block: Int) -> [Double] {
        var out: [Double] = []
        for i in 0..<n {
            for j in 0..<block {
                let a = x[i * 2 * block + j], b = x[i * 2 * block + block + j]
                out.append(a / (1 + exp(-b)))
            }
        }
        return out
    }

    static func bce(_ x: [Double], target y: Double) -> Double {
        var total = 0.0
        for v in x {
            let p = 1 / (1 + exp(-v))
            total -= y * log(p) + (1 - y) * log(1 - p)
        }
        return total / Double(x.count)
    }

    static func mean(_ x: [Double], _ f: (Double) -> Double) -> Double { x.map(f).reduce(0, +) / Double(x.count) }
}

extension Reference {
    /// The worst error of `out`, the output of a transposed 4×4 convolution with stride 2 and padding 1
    /// followed by `activation`, against the Float64 definition: each entry's error over its magnitude
    /// reference (the same convolution of |x|, |w| and |b|: the scale of its rounding) plus 1e-3.
    static func upsamplingError(_ out: [Float], x: Tensor, weight: Tensor, bias: Tensor?, activation: Activation) -> Double {
        let (n, cin, h, w, cout) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], weight.shape[1])
        return layerError(out, x: x, weight: weight, bias: bias, activation: activation) { xs, ws, bs in
            convTranspose2d(xs, ws, bs, n: n, cin: cin, h: h, wd: w, cout: cout, k: 4, stride: 2, padding: 1)
        }
    }

    /// The same for the 4×4 convolution with stride 2 and padding 1, weight [O, C, 4, 4].
    static func downsamplingError(_ out: [Float], x: Tensor, weight: Tensor, bias: Tensor?, activation: Activation) -> Double {
        let (n, c, h, w, o) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], weight.shape[0])
        return layerError(out, x: x, weight: weight, bias: bias, activation: activation) { xs, ws, bs in
            conv2d(xs, ws, bs, n: n, c: c, h: h, wd: w, o: o, k: 4, stride: 2, padding: 1)
        }
    }

    private static func layerError(_ out: [Float], x: Tensor, weight: Tensor, bias: Tensor?, activation: Activation,
                                   layer: ([Double], [Double], [Double]?) -> [Double]) -> Double {
        let (xs, ws, bs) = (x.scalars.map(Double.init), weight.scalars.map(Double.init), bias.map { $0.scalars.map(Double.init) })
        let linear = layer(xs, ws, bs)
        let scale = layer(xs.map(abs), ws.map(abs), bs.map { $0.map(abs) })
        let expected: [Double] = switch activation {
        case .identity: linear
        case .relu: linear.map { max($0, 0) }
        case .tanh: linear.map { Foundation.tanh($0) }
        case .leakyReLU(let slope): linear.map { $0 > 0 ? $0 : Double(slope) * $0 }
        }
        precondition(out.count == expected.count, "\(out.count) outputs for \(expected.count)")
        return out.indices.map { abs(Double(out[$0]) - expected[$0]) / (scale[$0] + 1e-3) }.max() ?? 0
    }
}
