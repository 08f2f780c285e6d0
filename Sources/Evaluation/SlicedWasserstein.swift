import Engine
import Imaging

/// Multi-scale sliced Wasserstein distance (Karras et al. 2018, "Progressive Growing of GANs", §5):
/// how far apart two image sets' distributions of 7×7 colour patches are, per Laplacian-pyramid level
/// (fine detail at full size down to 16×16 colour layout). Reported ×10³, as in the paper.
public struct SlicedWasserstein: Sendable {
    public static let patchSize = 7
    public static let coarsest = 16
    /// Values per descriptor: a 7×7 patch of three channels.
    static let dimensions = 3 * patchSize * patchSize

    public var patchesPerImage: Int
    public var projections: Int
    public var repeats: Int

    /// ProGAN draws 128 patches per image and 4 × 128 directions; 512 per repeat halves the noise.
    public init(patchesPerImage: Int = 128, projections: Int = 512, repeats: Int = 4) {
        self.patchesPerImage = patchesPerImage
        self.projections = projections
        self.repeats = repeats
    }

    public struct Level: Sendable, Equatable {
        /// Shorter side of the level in pixels.
        public let size: Int
        /// Sliced Wasserstein distance ×10³.
        public let distance: Double
    }

    public struct Report: Sendable, Equatable {
        /// Finest first.
        public let levels: [Level]
        public var average: Double { levels.map(\.distance).reduce(0, +) / Double(levels.count) }
    }

    /// Both sets give `patchesPerImage × max(count)` descriptors per level (the smaller set's images
    /// are cycled), so sets of different sizes compare. The same seed gives the same report.
    ///
    /// Random draws, in order, per level: the first set's patch centres (y, x per descriptor), the
    /// second's, then per repeat `projections × 147` normals for the directions.
    public func distance(_ first: [Image], _ second: [Image], seed: UInt64 = 0) throws(EvaluationError) -> Report {
        _ = try checkComparable(first, second, minimum: Self.coarsest)
        let pyramids = [first, second].map { set in set.map { LaplacianPyramid.levels($0, coarsest: Self.coarsest) } }
        var rng = RandomGenerator(seed: seed)
        let count = patchesPerImage * max(first.count, second.count)
        let levels = pyramids[0][0].indices.map { level -> Level in
            var descriptors = pyramids.map { set in
                Self.patches(set.map { $0[level] }, count: count, perImage: patchesPerImage, rng: &rng)
            }
            Self.standardise(&descriptors)
            var total = 0.0
            for _ in 0..<repeats {
                let directions = Self.directions(projections, rng: &rng)
                total += Self.projectedDistance(descriptors[0], descriptors[1], directions: directions, count: projections)
            }
            let plane = pyramids[0][0][level]
            return Level(size: min(plane.width, plane.height), distance: 1e3 * total / Double(repeats))
        }
        return Report(levels: levels)
    }

    /// `count` descriptors [count, 3, 7, 7] from random positions; descriptor i comes from image
    /// (i / perImage) mod n, so each image gives `perImage` in turn.
    static func patches(_ planes: [Planes], count: Int, perImage: Int, rng: inout RandomGenerator) -> [Float] {
        let (w, h, k) = (planes[0].width, planes[0].height, patchSize)
        var out = [Float](repeating: 0, count: count * dimensions)
        for i in 0..<count {
            let image = planes[(i / perImage) % planes.count]
            let top = rng.index(below: h - k + 1), left = rng.index(below: w - k + 1)
            for c in 0..<3 {
                for dy in 0..<k {
                    for dx in 0..<k { out[i * dimensions + (c * k + dy) * k + dx] = image.values[(c * h + top + dy) * w + left + dx] }
                }
            }
        }
        return out
    }

    /// Subtracts each channel's mean and divides by its standard deviation, both taken over the two
    /// sets together. (ProGAN's code standardises each set alone, which hides a global colour or
    /// contrast shift at the coarsest level; pooled statistics keep the distance scale-free without that.)
    static func standardise(_ sets: inout [[Float]]) {
        let area = patchSize * patchSize
        for c in 0..<3 {
            var sum = 0.0, squares = 0.0, n = 0
            for set in sets {
                for start in stride(from: c * area, to: set.count, by: dimensions) {
                    for v in set[start..<(start + area)] { sum += Double(v); squares += Double(v) * Double(v) }
                    n += area
                }
            }
            let mean = sum / Double(n)
            let deviation = (squares / Double(n) - mean * mean).squareRoot()
            let (shift, scale) = (Float(mean), Float(deviation > 1e-12 ? 1 / deviation : 1))
            for s in sets.indices {
                for start in stride(from: c * area, to: sets[s].count, by: dimensions) {
                    for j in start..<(start + area) { sets[s][j] = (sets[s][j] - shift) * scale }
                }
            }
        }
    }

    /// `count` unit vectors [count, 147], uniform on the sphere.
    static func directions(_ count: Int, rng: inout RandomGenerator) -> [Float] {
        var out = (0..<(count * dimensions)).map { _ in rng.normal() }
        for p in 0..<count {
            let row = (p * dimensions)..<((p + 1) * dimensions)
            let norm = out[row].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in row { out[j] /= norm }
        }
        return out
    }

    /// Mean over directions of the 1-D Wasserstein-1 distance between the two projected sets: project
    /// (one GEMM per set: directions [count, 147] · descriptorsᵀ → [count, n], a row per direction),
    /// sort each row (on every core, a part of the rows each), average |a − b| of the sorted values.
    /// Descriptors [n, 147], equal n.
    static func projectedDistance(_ a: [Float], _ b: [Float], directions: [Float], count: Int) -> Double {
        let n = a.count / dimensions
        let (projectedA, projectedB) = withoutGradients {
            let d = Tensor(directions, shape: [count, dimensions])
            return (matmul(d, Tensor(a, shape: [n, dimensions]), transposeB: true),
                    matmul(d, Tensor(b, shape: [n, dimensions]), transposeB: true))
        }
        var sums = [Double](repeating: 0, count: count)
        sums.withUnsafeMutableBufferPointer { sums in
            Parallel.parts(count) { _, rows in
                let scratch = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
                defer { scratch.deallocate() }
                for p in rows {
                    let rowA = UnsafeMutableBufferPointer(start: projectedA.data + p * n, count: n)
                    let rowB = UnsafeMutableBufferPointer(start: projectedB.data + p * n, count: n)
                    RadixSort.sort(rowA, scratch: scratch)
                    RadixSort.sort(rowB, scratch: scratch)
                    var sum = 0.0
                    for i in 0..<n { sum += Double(abs(rowA[i] - rowB[i])) }
                    sums[p] = sum / Double(n)
                }
            }
        }
        return sums.reduce(0, +) / Double(count)
    }
}
