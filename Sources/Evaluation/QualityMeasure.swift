import Imaging

/// SWD and colour distance of generated pictures against a fixed set of real ones, each beside its
/// floor: the same distance between two disjoint halves of the real pictures, which says what "as
/// good as the data" looks like. The floor is measured once, so a trainer can measure every few kimg
/// for the price of the generated side. `neurossia eval` prints these; training logs them.
public struct QualityMeasure: Sendable {
    public struct Result: Sendable, Equatable {
        public let swd: SlicedWasserstein.Report
        public let swdFloor: SlicedWasserstein.Report
        public let colour: ColourHistogramDistance.Report
        public let colourFloor: ColourHistogramDistance.Report
        /// Generated pictures measured (and real ones in each half).
        public let pictures: Int

        /// What a log line or a generator's metadata keeps: "swd", "swd_floor", "colour", "colour_floor".
        public var summary: [String: Double] {
            ["swd": swd.average, "swd_floor": swdFloor.average, "colour": colour.mean, "colour_floor": colourFloor.mean]
        }
    }

    /// The seed `neurossia eval` and training measure with unless told otherwise, so their numbers agree.
    public static let standardSeed: UInt64 = 1
    /// Generated pictures (and real ones per half of the floor) that `neurossia eval` measures by default.
    public static let standardCount = 256

    /// The first half of the real pictures: what generated ones are compared with.
    public let reference: [Image]
    public let seed: UInt64
    let swdFloor: SlicedWasserstein.Report
    let colourFloor: ColourHistogramDistance.Report

    /// `real` holds both halves, reference first (2n pictures); `seed` draws SWD's patches and directions.
    public init(real: [Image], seed: UInt64) throws(EvaluationError) {
        let half = real.count / 2
        guard half > 0 else { throw .emptySet(set: real.isEmpty ? "first" : "second") }
        reference = Array(real[0..<half])
        let second = Array(real[half..<(2 * half)])
        self.seed = seed
        swdFloor = try SlicedWasserstein().distance(second, reference, seed: seed)
        colourFloor = try ColourHistogramDistance().distance(second, reference)
    }

    /// Measures `generated` (any count; the reference has `reference.count`) against the reference.
    public func measure(_ generated: [Image]) throws(EvaluationError) -> Result {
        Result(swd: try SlicedWasserstein().distance(generated, reference, seed: seed), swdFloor: swdFloor,
               colour: try ColourHistogramDistance().distance(generated, reference), colourFloor: colourFloor,
               pictures: generated.count)
    }
}
