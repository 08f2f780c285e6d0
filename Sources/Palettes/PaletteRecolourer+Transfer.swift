import Foundation
import Imaging

extension PaletteRecolourer {
    /// The transfer of one colour: `sampled` evaluates it on the grid in Float, `callAsFunction`
    /// exactly, as the reference the grid and the lookup are tested against.
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

        /// The exact transfer of `colour`, with the Double conversions of `Lab`.
        func callAsFunction(_ colour: RGB) -> RGB {
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * sources.count) { inGamut(moved(Lab(colour), scratch: $0)) }
        }

        /// `lab` moved: L along the knots by `lightnessShare`, a and b by the palette shifts blended
        /// with the interpolating weights (negatives dropped, the rest normalised; all zero: the
        /// nearest palette colour's shift). `scratch` holds 2K Doubles: the kernel, then the weights.
        func moved(_ lab: Lab, scratch: UnsafeMutableBufferPointer<Double>) -> Lab {
            let k = sources.count
            for j in 0..<k { scratch[j] = Self.gaussian(Double(lab.distance(to: sources[j])), sigma: sigma) }
            var total = 0.0
            for i in 0..<k {
                var weight = 0.0
                for j in 0..<k { weight += inverseKernel[i * k + j] * scratch[j] }
                scratch[k + i] = max(0, weight)
                total += scratch[k + i]
            }
            var (da, db): (Float, Float) = (0, 0)
            if total > 0 {
                for i in 0..<k {
                    let weight = Float(scratch[k + i] / total)
                    da += weight * shifts[i].a
                    db += weight * shifts[i].b
                }
            } else {
                (da, db) = shifts[(0..<k).max { scratch[$0] < scratch[$1] }!]
            }
            return Lab(l: lab.l + lightnessShare * (lightness(lab.l) - lab.l), a: lab.a + da, b: lab.b + db)
        }

        /// [N, 3] sRGB: the transfer of the [3, N] planar Lab colours `labs` at `indices` (0 elsewhere),
        /// as `callAsFunction` but with the Float conversions (`Lab.convert`, `linearRGB`), which agree
        /// within 0.001 ΔE; this is what building a recolourer costs.
        func sampled(_ labs: [Float], at indices: some Sequence<Int>) -> [Float] {
            let n = labs.count / 3
            var out = [Float](repeating: 0, count: 3 * n)
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * sources.count) { scratch in
                for i in indices {
                    let colour = inGamutInLinearLight(moved(Lab(l: labs[i], a: labs[n + i], b: labs[2 * n + i]), scratch: scratch))
                    (out[3 * i], out[3 * i + 1], out[3 * i + 2]) = (colour.r, colour.g, colour.b)
                }
            }
            return out
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

        /// `inGamut` in Float through linear light, where the fit needs no sRGB curve: the sRGB
        /// bounds [−1e-4, 1 + 1e-4] are `linearFit` in linear light.
        func inGamutInLinearLight(_ lab: Lab) -> RGB {
            func fits(_ c: SIMD3<Float>) -> Bool { all(c .>= Self.linearFit.lowerBound) && all(c .<= Self.linearFit.upperBound) }
            let direct = lab.linearRGB
            if fits(direct) { return Lab.clampedSRGB(linear: direct) }
            var (inside, outside): (Float, Float) = (0, 1)
            for _ in 0..<16 {
                let middle = (inside + outside) / 2
                if fits(Lab(l: lab.l, a: lab.a * middle, b: lab.b * middle).linearRGB) { inside = middle } else { outside = middle }
            }
            return Lab.clampedSRGB(linear: Lab(l: lab.l, a: lab.a * inside, b: lab.b * inside).linearRGB)
        }

        static let linearFit = Float(-1e-4 / 12.92)...Float(pow((1 + 1e-4 + 0.055) / 1.055, 2.4))
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
