import Engine
import Imaging

/// Sampled pixels in Lab, and gathered by colour: sRGB cut to `bitsPerChannel` bits per channel,
/// each occupied bin keeping how many samples fell in it and the sum of their Lab values. k-means
/// iterates on the bins weighted by their counts, so a cluster's centre is still the exact mean of
/// its pixels while an iteration visits a few hundred bins instead of thousands of pixels.
struct ColourBins {
    static let bitsPerChannel = 4
    /// [3, N] planar Lab of the samples, in the order drawn.
    let samples: [Float]
    /// Occupied bins in order of their sRGB key, [M, 3]: the mean Lab of each bin's samples.
    let means: [Float]
    /// [M, 3]: the Lab sum of each bin's samples.
    let sums: [Float]
    /// [M]: samples in each bin, ≥ 1.
    let counts: [Int]
    /// Samples in all bins.
    let total: Int

    var count: Int { counts.count }

    /// Stratified samples of `images`' `total` pixels: one pixel from each of `samples` equal runs of
    /// all pixels in order, or every pixel when there are no more than `samples`.
    init(_ images: [Image], total: Int, samples: Int, random: inout RandomGenerator) {
        let picks: [Int] = total <= samples ? Array(0..<total) : (0..<samples).map { i in
            let (start, end) = (i * total / samples, (i + 1) * total / samples)
            return start + random.index(below: end - start)
        }
        let n = picks.count
        var rgb = [Float](repeating: 0, count: 3 * n), lab = [Float](repeating: 0, count: 3 * n)
        rgb.withUnsafeMutableBufferPointer { rgb in
            var (s, offset) = (0, 0)
            for image in images {
                let plane = image.width * image.height
                image.pixels.withUnsafeBufferPointer { p in
                    while s < n && picks[s] - offset < plane {
                        let i = picks[s] - offset
                        (rgb[s], rgb[n + s], rgb[2 * n + s]) = (p[i], p[plane + i], p[2 * plane + i])
                        s += 1
                    }
                }
                offset += plane
            }
        }
        rgb.withUnsafeBufferPointer { source in lab.withUnsafeMutableBufferPointer { Lab.convert(planarRGB: source, into: $0) } }

        let levels = 1 << Self.bitsPerChannel
        func level(_ v: Float) -> Int { min(Int(min(max(v, 0), 1) * Float(levels)), levels - 1) }
        var binCounts = [Int](repeating: 0, count: levels * levels * levels)
        var binSums = [Float](repeating: 0, count: 3 * binCounts.count)
        for s in 0..<n {
            let key = (level(rgb[s]) * levels + level(rgb[n + s])) * levels + level(rgb[2 * n + s])
            binCounts[key] += 1
            binSums[3 * key] += lab[s]
            binSums[3 * key + 1] += lab[n + s]
            binSums[3 * key + 2] += lab[2 * n + s]
        }
        var (means, sums, counts): ([Float], [Float], [Int]) = ([], [], [])
        for key in binCounts.indices where binCounts[key] > 0 {
            counts.append(binCounts[key])
            for c in 0..<3 {
                sums.append(binSums[3 * key + c])
                means.append(binSums[3 * key + c] / Float(binCounts[key]))
            }
        }
        (self.samples, self.means, self.sums, self.counts, self.total) = (lab, means, sums, counts, n)
    }
}
