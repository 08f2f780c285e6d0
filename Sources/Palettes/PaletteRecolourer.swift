import Foundation
import Imaging

/// Palette-based recolouring in the manner of Chang et al. 2015, "Palette-based Photo Recoloring":
/// the source palette's colours are matched to the target's (`matches(to:)`), lightness moves
/// `lightnessShare` of the way along a monotone piecewise-linear map through the matched palette
/// lightnesses (so light stays above shadow), and a, b move by the palette colours' displacements blended with Gaussian radial basis
/// weights in Lab (σ = mean distance between source palette colours, weights interpolating exactly
/// at the palette colours, negatives dropped). Results outside sRGB lose chroma at constant L and hue.
///
/// As in the paper the transfer is evaluated once on a 17³ grid over RGB and a picture is
/// recoloured by trilinear lookup, so a picture costs one pass over its pixels.
public struct PaletteRecolourer: Recolouring {
    static let gridSize = 17
    /// [G, G, G, 3]: the recoloured sRGB of grid colour (r, g, b), red slowest.
    let table: [Float]

    public init(from source: Palette, to target: Palette) {
        let transfer = Transfer(from: source, to: target)
        let g = Self.gridSize
        var table = [Float](repeating: 0, count: g * g * g * 3)
        for r in 0..<g {
            for gr in 0..<g {
                for b in 0..<g {
                    let grid = RGB(Float(r) / Float(g - 1), Float(gr) / Float(g - 1), Float(b) / Float(g - 1))
                    let out = transfer(grid)
                    let i = ((r * g + gr) * g + b) * 3
                    (table[i], table[i + 1], table[i + 2]) = (out.r, out.g, out.b)
                }
            }
        }
        self.table = table
    }

    public func fullyRecoloured(_ image: Image) -> Image {
        let plane = image.width * image.height, g = Self.gridSize
        let top = Float(g - 1)
        var result = image
        result.pixels.withUnsafeMutableBufferPointer { out in
            image.pixels.withUnsafeBufferPointer { source in
                table.withUnsafeBufferPointer { lut in
                    for i in 0..<plane {
                        let (fr, fg, fb) = (min(max(source[i], 0), 1) * top, min(max(source[plane + i], 0), 1) * top,
                                            min(max(source[2 * plane + i], 0), 1) * top)
                        let (r0, g0, b0) = (min(Int(fr), g - 2), min(Int(fg), g - 2), min(Int(fb), g - 2))
                        let (tr, tg, tb) = (fr - Float(r0), fg - Float(g0), fb - Float(b0))
                        let base = ((r0 * g + g0) * g + b0) * 3
                        let (dr, dg, db) = (g * g * 3, g * 3, 3)
                        for c in 0..<3 {
                            let p = base + c
                            let c00 = lut[p] + tb * (lut[p + db] - lut[p])
                            let c01 = lut[p + dg] + tb * (lut[p + dg + db] - lut[p + dg])
                            let c10 = lut[p + dr] + tb * (lut[p + dr + db] - lut[p + dr])
                            let c11 = lut[p + dr + dg] + tb * (lut[p + dr + dg + db] - lut[p + dr + dg])
                            let c0 = c00 + tg * (c01 - c00), c1 = c10 + tg * (c11 - c10)
                            out[c * plane + i] = c0 + tr * (c1 - c0)
                        }
                    }
                }
            }
        }
        return result
    }

    /// The exact transfer of one colour, which the grid samples; kept callable as the reference
    /// the lookup is tested against.
    struct Transfer {
        let sources: [Lab]
        /// (Δa, Δb) of each source palette colour.
        let shifts: [(a: Float, b: Float)]
        /// [K, K]: inverse of the Gaussian kernel between source colours, so weights interpolate.
        let inverseKernel: [Double]
        let sigma: Double
        /// Knots (source L, target L), both increasing, of the lightness map.
        let knots: [(x: Float, y: Float)]

        init(from source: Palette, to target: Palette) {
            let sources = source.labs
            self.sources = sources
            let matched = target.gathered(onto: source).map(\.lab)
            shifts = zip(sources, matched).map { ($1.a - $0.a, $1.b - $0.b) }
            let k = sources.count
            var spacing = 0.0
            for i in 0..<k { for j in (i + 1)..<k { spacing += Double(sources[i].distance(to: sources[j])) } }
            sigma = max(spacing / Double(k * (k - 1) / 2), 1)
            let s = sigma
            inverseKernel = inverted((0..<(k * k)).map { index in
                Self.gaussian(Double(sources[index / k].distance(to: sources[index % k])), sigma: s)
            }, size: k)
            knots = Self.lightnessKnots(sources.map(\.l), matched.map(\.l))
        }

        static func gaussian(_ r: Double, sigma: Double) -> Double { exp(-r * r / (2 * sigma * sigma)) }

        /// Source and target lightnesses each sorted (so the map cannot fold), equal sources
        /// averaged, pinned at black and white unless a palette colour is there already.
        static func lightnessKnots(_ from: [Float], _ to: [Float]) -> [(x: Float, y: Float)] {
            var knots: [(x: Float, y: Float)] = []
            for (x, y) in zip(from.sorted(), to.sorted()) {
                if let last = knots.last, last.x == x { knots[knots.count - 1].y = (last.y + y) / 2 } else { knots.append((x, y)) }
            }
            if knots[0].x > 0 { knots.insert((0, 0), at: 0) }
            if knots[knots.count - 1].x < 100 { knots.append((100, 100)) }
            return knots
        }

        func lightness(_ l: Float) -> Float {
            guard l > knots[0].x else { return knots[0].y }
            for (left, right) in zip(knots, knots.dropFirst()) where l <= right.x {
                return left.y + (l - left.x) / (right.x - left.x) * (right.y - left.y)
            }
            return knots[knots.count - 1].y
        }

        func callAsFunction(_ colour: RGB) -> RGB {
            let lab = Lab(colour), k = sources.count
            let kernel = sources.map { Self.gaussian(Double(lab.distance(to: $0)), sigma: sigma) }
            var weights = (0..<k).map { i in max(0, (0..<k).reduce(0.0) { $0 + inverseKernel[i * k + $1] * kernel[$1] }) }
            let total = weights.reduce(0, +)
            if total > 0 {
                weights = weights.map { $0 / total }
            } else {
                weights = (0..<k).map { $0 == kernel.indices.max { kernel[$0] < kernel[$1] }! ? 1 : 0 }
            }
            var (da, db): (Float, Float) = (0, 0)
            for (shift, weight) in zip(shifts, weights) {
                da += Float(weight) * shift.a
                db += Float(weight) * shift.b
            }
            return inGamut(Lab(l: lab.l + lightnessShare * (lightness(lab.l) - lab.l), a: lab.a + da, b: lab.b + db))
        }

        /// `lab` as sRGB, its chroma scaled down (bisection, same L and hue) until it fits.
        func inGamut(_ lab: Lab) -> RGB {
            func fits(_ c: RGB) -> Bool { [c.r, c.g, c.b].allSatisfy { $0 >= -1e-4 && $0 <= 1 + 1e-4 } }
            let direct = lab.rgb
            if fits(direct) { return direct.clamped }
            var (inside, outside): (Float, Float) = (0, 1)
            for _ in 0..<16 {
                let middle = (inside + outside) / 2
                if fits(Lab(l: lab.l, a: lab.a * middle, b: lab.b * middle).rgb) { inside = middle } else { outside = middle }
            }
            return Lab(l: lab.l, a: lab.a * inside, b: lab.b * inside).rgb.clamped
        }
    }
}

/// The inverse of the symmetric positive-definite [n, n] matrix `m` by Gauss–Jordan elimination with
/// partial pivoting; a ridge of 1e-6 on the diagonal keeps near-equal palette colours solvable.
func inverted(_ m: [Double], size n: Int) -> [Double] {
    var a = m, inverse = [Double](repeating: 0, count: n * n)
    for i in 0..<n { a[i * n + i] += 1e-6; inverse[i * n + i] = 1 }
    for column in 0..<n {
        let pivot = (column..<n).max { abs(a[$0 * n + column]) < abs(a[$1 * n + column]) }!
        if pivot != column {
            for j in 0..<n {
                a.swapAt(pivot * n + j, column * n + j)
                inverse.swapAt(pivot * n + j, column * n + j)
            }
        }
        let scale = 1 / a[column * n + column]
        for j in 0..<n { a[column * n + j] *= scale; inverse[column * n + j] *= scale }
        for row in 0..<n where row != column {
            let factor = a[row * n + column]
            guard factor != 0 else { continue }
            for j in 0..<n {
                a[row * n + j] -= factor * a[column * n + j]
                inverse[row * n + j] -= factor * inverse[column * n + j]
            }
        }
    }
    return inverse
}
