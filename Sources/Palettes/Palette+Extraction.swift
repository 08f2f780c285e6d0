import Engine
import Imaging

extension Palette {
    /// The `count` dominant colours of `images` and the share of pixels each covers: k-means in
    /// CIELAB, seeded by k-means++, over `samples` pixels drawn with `seed`. Same input, same palette.
    ///
    /// Sampling is stratified (one pixel from each of `samples` equal runs of all pixels in order),
    /// so a region's share is exact to a run's length instead of varying like a coin count; with
    /// no more pixels than `samples` every pixel is used. Pictures with fewer distinct colours than
    /// `count` give fewer colours: k-means++ stops once every sample sits on a centre. A cluster
    /// that empties during the iterations moves to the sample farthest from its centre.
    public init(extractingFrom images: [Image], count: Int, samples: Int = 4096, seed: UInt64 = 0) throws(PaletteError) {
        guard count >= 2 else { throw .tooFewClusters(requested: count) }
        let total = images.reduce(0) { $0 + $1.width * $1.height }
        guard total > 0 else { throw .noImages }
        var random = RandomGenerator(seed: seed)
        let points = Self.sampledLab(images, total: total, samples: max(samples, count), random: &random)
        var centres = Self.seeded(points, count: count, random: &random)
        let sizes = Self.refine(points, centres: &centres)
        let n = Float(points.count / 3)
        try self.init(colours: stride(from: 0, to: centres.count, by: 3).map { Lab(l: centres[$0], a: centres[$0 + 1], b: centres[$0 + 2]).rgb },
                      weights: sizes.map { Float($0) / n })
    }

    /// [N, 3] Lab values of the stratified sample.
    private static func sampledLab(_ images: [Image], total: Int, samples: Int, random: inout RandomGenerator) -> [Float] {
        let picks: [Int] = total <= samples ? Array(0..<total) : (0..<samples).map { i in
            let (start, end) = (i * total / samples, (i + 1) * total / samples)
            return start + random.index(below: end - start)
        }
        var points: [Float] = []
        points.reserveCapacity(3 * picks.count)
        var image = 0, offset = 0
        for pick in picks {
            while pick - offset >= images[image].width * images[image].height {
                offset += images[image].width * images[image].height
                image += 1
            }
            let lab = images[image].lab(at: pick - offset)
            points += [lab.l, lab.a, lab.b]
        }
        return points
    }

    /// k-means++ centres, [K, 3] with K ≤ `count`: each next centre drawn with probability
    /// proportional to its squared distance from the nearest centre so far.
    private static func seeded(_ points: [Float], count: Int, random: inout RandomGenerator) -> [Float] {
        let n = points.count / 3
        let first = random.index(below: n)
        var centres = Array(points[(3 * first)..<(3 * first + 3)])
        var nearest = [Float](repeating: .infinity, count: n)
        while centres.count < 3 * count {
            let c = centres.count - 3
            var sum: Double = 0
            points.withUnsafeBufferPointer { p in
                for i in 0..<n {
                    let (dl, da, db) = (p[3 * i] - centres[c], p[3 * i + 1] - centres[c + 1], p[3 * i + 2] - centres[c + 2])
                    nearest[i] = min(nearest[i], dl * dl + da * da + db * db)
                    sum += Double(nearest[i])
                }
            }
            guard sum > 0 else { break }
            var target = Double(random.uniform()) * sum, chosen = n - 1
            for i in 0..<n where nearest[i] > 0 {
                target -= Double(nearest[i])
                if target < 0 { chosen = i; break }
            }
            centres += points[(3 * chosen)..<(3 * chosen + 3)]
        }
        return centres
    }

    /// Lloyd iterations until no sample changes cluster (at most 100); returns each cluster's size.
    private static func refine(_ points: [Float], centres: inout [Float]) -> [Int] {
        let n = points.count / 3, k = centres.count / 3
        var cluster = [Int](repeating: -1, count: n), distance = [Float](repeating: 0, count: n)
        var sizes = [Int](repeating: 0, count: k)
        for _ in 0..<100 {
            var changed = false
            points.withUnsafeBufferPointer { p in
                for i in 0..<n {
                    var best = 0, bestDistance = Float.infinity
                    for j in 0..<k {
                        let (dl, da, db) = (p[3 * i] - centres[3 * j], p[3 * i + 1] - centres[3 * j + 1], p[3 * i + 2] - centres[3 * j + 2])
                        let d = dl * dl + da * da + db * db
                        if d < bestDistance { bestDistance = d; best = j }
                    }
                    if cluster[i] != best { cluster[i] = best; changed = true }
                    distance[i] = bestDistance
                }
            }
            var sums = [Double](repeating: 0, count: 3 * k)
            sizes = [Int](repeating: 0, count: k)
            for i in 0..<n {
                sizes[cluster[i]] += 1
                for c in 0..<3 { sums[3 * cluster[i] + c] += Double(points[3 * i + c]) }
            }
            for j in 0..<k {
                if sizes[j] == 0 {
                    let far = distance.indices.max { distance[$0] < distance[$1] }!
                    centres.replaceSubrange((3 * j)..<(3 * j + 3), with: points[(3 * far)..<(3 * far + 3)])
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
