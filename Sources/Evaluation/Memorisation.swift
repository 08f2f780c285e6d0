import Imaging

/// Whether a generator hands back its training pictures: each picture's nearest real picture in
/// pixel space (RMS over all values at full size), against how near real pictures come to each other.
///
/// The rule: a picture is a copy when its nearest real picture is closer than half the 1st-percentile
/// nearest-neighbour distance among the real pictures (the value at index ⌊(n − 1) / 100⌋ of their
/// sorted leave-one-out nearest distances: the smallest for up to 100 real pictures). A sample of the
/// data itself almost never comes that close, while a copy sits at 0 and a copy with slight blur or
/// noise well below; halving the percentile is the margin that keeps independent pictures unflagged.
public struct Memorisation: Sendable {
    public struct Report: Sendable, Equatable {
        /// Pictures closer to a real one than `threshold`.
        public let copies: Int
        public let pictures: Int
        /// Copies are nearer than this to a real picture, in [0, 1] RMS units.
        public let threshold: Double
        /// Median over the measured pictures of the distance to their nearest real picture.
        public let medianNearest: Double
        /// Median over the real pictures of the distance to their nearest other real picture.
        public let realMedianNearest: Double
    }

    public let real: [Image]
    /// Each real picture's distance to its nearest other real picture, sorted.
    let realNearest: [Double]
    public var threshold: Double { 0.5 * realNearest[Self.percentileIndex(count: realNearest.count)] }

    /// Where the 1st percentile of `count` sorted values sits: ⌊(count − 1) / 100⌋.
    static func percentileIndex(count: Int) -> Int { (count - 1) / 100 }

    /// `real` needs at least two pictures, all of one size.
    public init(real: [Image]) throws(EvaluationError) {
        _ = try checkComparable(real, real, minimum: 1)
        guard real.count >= 2 else { throw .tooFew(set: "real", count: real.count, minimum: 2) }
        self.real = real
        let n = real.count, distances = PixelDistance.matrix(real, real)
        realNearest = (0..<n).map { i in Double((0..<n).filter { $0 != i }.map { distances[i * n + $0] }.min()!) }.sorted()
    }

    public func measure(_ pictures: [Image]) throws(EvaluationError) -> Report {
        _ = try checkComparable(pictures, real, minimum: 1)
        let n = real.count, distances = PixelDistance.matrix(pictures, real)
        let nearest = pictures.indices.map { i in Double(distances[(i * n)..<((i + 1) * n)].min()!) }
        return Report(copies: nearest.filter { $0 < threshold }.count, pictures: pictures.count, threshold: threshold,
                      medianNearest: Self.median(nearest), realMedianNearest: Self.median(realNearest))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
