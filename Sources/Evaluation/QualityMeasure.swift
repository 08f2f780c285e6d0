import Engine
import Imaging

/// SWD, colour distance, variety and copies of generated pictures against a fixed set of real
/// ones, each beside its floor: the same measure of a second, disjoint set of real pictures, which
/// says what "as good as the data" looks like. The real pictures are split into the two halves by a
/// seeded shuffle, so the halves are exchangeable even when a folder's file order runs from one
/// camera, place or season to another. The floors are measured once, so a trainer can measure
/// every few kimg for the price of the generated side. `neurossia eval` prints these; training logs them.
public struct QualityMeasure: Sendable {
    public struct Result: Sendable, Equatable {
        public let swd: SlicedWasserstein.Report
        public let swdFloor: SlicedWasserstein.Report
        public let colour: ColourHistogramDistance.Report
        public let colourFloor: ColourHistogramDistance.Report
        public let variety: VarietyRatio.Report
        public let varietyFloor: VarietyRatio.Report
        public let memorisation: Memorisation.Report
        public let memorisationFloor: Memorisation.Report
        /// Generated pictures measured (and real ones in each half).
        public let pictures: Int

        /// What a log line or a generator's metadata keeps: "swd", "colour", "variety_16",
        /// "variety_32" (sizes the pictures allow) and "copies", each also with "_floor".
        public var summary: [String: Double] {
            var summary = ["swd": swd.average, "swd_floor": swdFloor.average, "colour": colour.mean, "colour_floor": colourFloor.mean,
                           "copies": Double(memorisation.copies), "copies_floor": Double(memorisationFloor.copies)]
            for (level, floor) in zip(variety.levels, varietyFloor.levels) {
                summary["variety_\(level.size)"] = level.ratio
                summary["variety_\(level.size)_floor"] = floor.ratio
            }
            return summary
        }

        /// What a generator file's metadata keeps of this measurement (`eval --record`, the trainer's
        /// best.safetensors): the summary to three decimals, the pictures measured and the truncation.
        public func metadata(truncation: Double) -> [String: String] {
            summary.mapValues { String(format: "%.3f", $0) }
                .merging(["eval_pictures": String(pictures), "eval_truncation": String(truncation)]) { $1 }
        }
    }

    /// The seed `neurossia eval` and training measure with unless told otherwise, so their numbers agree.
    public static let standardSeed: UInt64 = 1
    /// Generated pictures (and real ones per half of the floor) that `neurossia eval` measures by default.
    public static let standardCount = 256
    /// Seeds `neurossia eval` measures SWD at by default (standardSeed and the next ones), to show its noise.
    public static let standardSeedCount = 3

    /// The reference half of the real pictures: what generated ones are compared with.
    public let reference: [Image]
    public let seed: UInt64
    let swdFloor: SlicedWasserstein.Report
    let colourFloor: ColourHistogramDistance.Report
    let variety: VarietyRatio
    let varietyFloor: VarietyRatio.Report
    let memorisation: Memorisation
    let memorisationFloor: Memorisation.Report

    /// `real` holds both halves (2n ≥ 4 pictures; an odd one out is left over); `seed` draws the split,
    /// SWD's patches and directions.
    public init(real: [Image], seed: UInt64) throws(EvaluationError) {
        guard real.count >= 4 else { throw .tooFew(set: "real", count: real.count, minimum: 4) }
        let (first, second) = Self.split(real, seed: seed)
        reference = first
        self.seed = seed
        swdFloor = try SlicedWasserstein().distance(second, reference, seed: seed)
        colourFloor = try ColourHistogramDistance().distance(second, reference)
        variety = try VarietyRatio(real: reference)
        varietyFloor = try variety.measure(second)
        memorisation = try Memorisation(real: reference)
        memorisationFloor = try memorisation.measure(second)
    }

    /// Two disjoint halves of ⌊n / 2⌋ pictures, reference first, drawn by a shuffle from `seed`'s
    /// own stream (apart from SWD's draws).
    public static func split(_ real: [Image], seed: UInt64) -> (reference: [Image], held: [Image]) {
        var rng = RandomGenerator(seed: seed).derived(1)
        let order = rng.permutation(real.count), half = real.count / 2
        return (order[0..<half].map { real[$0] }, order[half..<(2 * half)].map { real[$0] })
    }

    /// Measures `generated` (at least two pictures; the reference has `reference.count`) against the reference.
    public func measure(_ generated: [Image]) throws(EvaluationError) -> Result {
        Result(swd: try SlicedWasserstein().distance(generated, reference, seed: seed), swdFloor: swdFloor,
               colour: try ColourHistogramDistance().distance(generated, reference), colourFloor: colourFloor,
               variety: try variety.measure(generated), varietyFloor: varietyFloor,
               memorisation: try memorisation.measure(generated), memorisationFloor: memorisationFloor,
               pictures: generated.count)
    }
}
