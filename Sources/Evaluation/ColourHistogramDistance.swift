import Imaging

/// How far apart two image sets' colours are: the earth mover's distance between the histograms of
/// L, a and b over all pixels, in Lab units (≈ just-noticeable differences). Marginal EMD rather
/// than an L1 between histograms because it keeps growing with the size of a shift instead of
/// saturating once the histograms stop overlapping. Needs no randomness.
public struct ColourHistogramDistance: Sendable {
    /// Histogram ranges with one bin per Lab unit; values outside are clamped into the end bins.
    static let ranges: [ClosedRange<Float>] = [0...100, -128...128, -128...128]

    public struct Report: Sendable, Equatable {
        /// EMD of each channel's histogram, in Lab units.
        public let l: Double, a: Double, b: Double
        public var mean: Double { (l + a + b) / 3 }
    }

    public init() {}

    public func distance(_ first: [Image], _ second: [Image]) throws(EvaluationError) -> Report {
        _ = try checkComparable(first, second, minimum: 1)
        let (p, q) = (Self.histograms(first), Self.histograms(second))
        let emd = (0..<3).map { Self.earthMovers(p[$0], q[$0]) }
        return Report(l: emd[0], a: emd[1], b: emd[2])
    }

    /// Normalised histograms of L, a, b with unit-wide bins.
    static func histograms(_ images: [Image]) -> [[Double]] {
        var counts = ranges.map { [Double](repeating: 0, count: Int($0.upperBound - $0.lowerBound)) }
        var total = 0.0
        for image in images {
            let plane = image.width * image.height
            for i in 0..<plane {
                let lab = Lab(RGB(image.pixels[i], image.pixels[plane + i], image.pixels[2 * plane + i]))
                for (channel, value) in [lab.l, lab.a, lab.b].enumerated() {
                    let range = ranges[channel]
                    let bin = Int((min(max(value, range.lowerBound), range.upperBound) - range.lowerBound).rounded(.down))
                    counts[channel][min(bin, counts[channel].count - 1)] += 1
                }
            }
            total += Double(plane)
        }
        return counts.map { $0.map { $0 / total } }
    }

    /// 1-D Wasserstein-1 between two normalised histograms with unit bins: Σ |CDF_p − CDF_q|.
    static func earthMovers(_ p: [Double], _ q: [Double]) -> Double {
        var cdf = 0.0, distance = 0.0
        for (x, y) in zip(p, q) {
            cdf += x - y
            distance += abs(cdf)
        }
        return distance
    }
}
