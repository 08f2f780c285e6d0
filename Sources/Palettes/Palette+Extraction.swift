import Engine
import Imaging

extension Palette {
    /// The `count` dominant colours of `images` and the share of pixels each covers: k-means in
    /// CIELAB, seeded by k-means++, over `samples` pixels drawn with `seed`. Same input, same palette.
    ///
    /// Sampling is stratified (one pixel from each of `samples` equal runs of all pixels in order),
    /// so a region's share is exact to a run's length instead of varying like a coin count; with
    /// no more pixels than `samples` every pixel is used. The samples are clustered as `ColourBins`
    /// (4 bits per sRGB channel, weighted by their counts), which keeps centres exact means of their
    /// pixels at a tenth of the cost. Pictures with fewer distinct colours than `count` give fewer
    /// colours: k-means++ stops once every sample sits on a centre. A cluster that empties during the
    /// iterations moves to the bin farthest from its centre.
    public init(extractingFrom images: [Image], count: Int, samples: Int = 4096, seed: UInt64 = 0) throws(PaletteError) {
        guard count >= 2 else { throw .tooFewClusters(requested: count) }
        let total = images.reduce(0) { $0 + $1.width * $1.height }
        guard total > 0 else { throw .noImages }
        var random = RandomGenerator(seed: seed)
        let bins = ColourBins(images, total: total, samples: max(samples, count), random: &random)
        var centres = Self.seeded(bins, count: count, random: &random)
        let sizes = Self.refine(bins, centres: &centres)
        let n = Float(bins.total)
        try self.init(colours: stride(from: 0, to: centres.count, by: 3).map { Lab(l: centres[$0], a: centres[$0 + 1], b: centres[$0 + 2]).rgb },
                      weights: sizes.map { Float($0) / n })
    }

    /// k-means++ centres, [K, 3] with K ≤ `count`, from the samples themselves (not their bins):
    /// each next centre drawn with probability proportional to its squared distance from the
    /// nearest centre so far.
    private static func seeded(_ bins: ColourBins, count: Int, random: inout RandomGenerator) -> [Float] {
        let n = bins.total
        var nearest = [Float](repeating: .infinity, count: n)
        return bins.samples.withUnsafeBufferPointer { p in nearest.withUnsafeMutableBufferPointer { nearest in
            let first = random.index(below: n)
            var centres = [p[first], p[n + first], p[2 * n + first]]
            while centres.count < 3 * count {
                let (l, a, b) = (centres[centres.count - 3], centres[centres.count - 2], centres[centres.count - 1])
                for i in 0..<n {
                    let (dl, da, db) = (p[i] - l, p[n + i] - a, p[2 * n + i] - b)
                    nearest[i] = min(nearest[i], dl * dl + da * da + db * db)
                }
                let sum = nearest.reduce(0.0) { $0 + Double($1) }
                guard sum > 0 else { break }
                var target = Double(random.uniform()) * sum, chosen = n - 1
                for i in 0..<n where nearest[i] > 0 {
                    target -= Double(nearest[i])
                    if target < 0 { chosen = i; break }
                }
                centres += [p[chosen], p[n + chosen], p[2 * n + chosen]]
            }
            return centres
        } }
    }

    /// Lloyd iterations until no bin changes cluster (at most 100); returns each cluster's size in samples.
    private static func refine(_ bins: ColourBins, centres: inout [Float]) -> [Int] {
        let m = bins.count, k = centres.count / 3
        var cluster = [Int](repeating: -1, count: m), distance = [Float](repeating: 0, count: m)
        var sizes = [Int](repeating: 0, count: k)
        for _ in 0..<100 {
            var changed = false
            bins.means.withUnsafeBufferPointer { p in centres.withUnsafeBufferPointer { centres in
                for i in 0..<m {
                    var best = 0, bestDistance = Float.infinity
                    for j in 0..<k {
                        let (dl, da, db) = (p[3 * i] - centres[3 * j], p[3 * i + 1] - centres[3 * j + 1], p[3 * i + 2] - centres[3 * j + 2])
                        let d = dl * dl + da * da + db * db
                        if d < bestDistance { bestDistance = d; best = j }
                    }
                    if cluster[i] != best { cluster[i] = best; changed = true }
                    distance[i] = bestDistance
                }
            } }
            var sums = [Double](repeating: 0, count: 3 * k)
            sizes = [Int](repeating: 0, count: k)
            for i in 0..<m {
                sizes[cluster[i]] += bins.counts[i]
                for c in 0..<3 { sums[3 * cluster[i] + c] += Double(bins.sums[3 * i + c]) }
            }
            for j in 0..<k {
                if sizes[j] == 0 {
                    let far = distance.indices.max { distance[$0] < distance[$1] }!
                    centres.replaceSubrange((3 * j)..<(3 * j + 3), with: bins.means[(3 * far)..<(3 * far + 3)])
                    distance[far] = 0
                    changed = true
                } else {
                    for c in 0..<3 { centres[3 * j + c] = Float(sums[3 * j + c] / Double(sizes[j])) }
                }
            }
            if !changed { break }
        }
        return sizes
    }
}
