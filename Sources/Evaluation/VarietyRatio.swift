import Imaging

/// How varied a set of pictures is next to the real ones: the mean distance between two pictures
/// of the set over the same among the real pictures, at 16×16 and 32×32 (composition and colour
/// layout, not texture). About 1 for a sample of the data; well below 1 means mode collapse.
public struct VarietyRatio: Sendable {
    /// Sides the pictures are shrunk to (area average) before pairs are compared; sides larger than
    /// the pictures themselves are skipped.
    public static let sizes = [16, 32]

    public struct Level: Sendable, Equatable {
        public let size: Int
        /// Mean RMS distance over all pairs of the measured set, and of the real set, in [0, 1] units.
        public let measured: Double, real: Double
        public var ratio: Double { measured / real }
    }

    public struct Report: Sendable, Equatable {
        /// Coarsest first.
        public let levels: [Level]
    }

    /// One real picture, to check sizes against, and the real pictures' mean pairwise distance per size.
    let real: [Image]
    let realDistances: [(size: Int, distance: Double)]

    /// `real` needs at least two pictures, all of one size.
    public init(real: [Image]) throws(EvaluationError) {
        let (width, height) = try checkComparable(real, real, minimum: 1)
        guard real.count >= 2 else { throw .tooFew(set: "real", count: real.count, minimum: 2) }
        self.real = [real[0]]
        realDistances = Self.sizes.filter { $0 <= min(width, height) }.map { ($0, Self.meanPairwiseDistance(real, size: $0)) }
    }

    /// `pictures` needs at least two, of the real pictures' size.
    public func measure(_ pictures: [Image]) throws(EvaluationError) -> Report {
        _ = try checkComparable(pictures, real, minimum: 1)
        guard pictures.count >= 2 else { throw .tooFew(set: "measured", count: pictures.count, minimum: 2) }
        return Report(levels: realDistances.map {
            Level(size: $0.size, measured: Self.meanPairwiseDistance(pictures, size: $0.size), real: $0.distance)
        })
    }

    /// Mean over the n(n − 1)/2 pairs of RMS distance between the pictures shrunk to size × size.
    static func meanPairwiseDistance(_ pictures: [Image], size: Int) -> Double {
        let small = pictures.map { $0.resized(width: size, height: size) }
        let distances = PixelDistance.matrix(small, small)
        var sum = 0.0
        for i in small.indices {
            for j in (i + 1)..<small.count { sum += Double(distances[i * small.count + j]) }
        }
        return sum / Double(small.count * (small.count - 1) / 2)
    }
}
