/// One line of `log.jsonl`: where training stood at one moment. The JSON keys are part of the
/// file format (other tools read them) and must not change:
///
///     {"step": 1200, "kimg": 19.2, "seconds": 1830.5, "img_per_s": 10.5, "lr": 0.0002,
///      "losses": {"D": 0.61, "G": 1.9, "D.real": 0.3, ...}, "event": "checkpoint"}
///     {"step": 3125, "kimg": 50.0, ..., "losses": {}, "event": "eval",
///      "quality": {"swd": 121.1, "swd_floor": 17.1, "colour": 1.33, "colour_floor": 0.19,
///                  "variety_16": 0.91, "variety_16_floor": 1.02, "variety_32": 0.88, "variety_32_floor": 1.01,
///                  "copies": 0, "copies_floor": 0}}
///
/// Eval lines written before variety and copies were measured have only the first four keys; readers
/// treat every quality key as optional.
///
/// Non-finite numbers are written as the strings "nan", "inf" and "-inf".
public struct RunLogRecord: Codable, Equatable, Sendable {
    /// Optimiser steps taken since the theme's training began (across resumes).
    public var step: Int
    /// Thousands of real images shown to the discriminator so far.
    public var kimg: Double
    /// Training wall time so far in seconds, across resumes; time spent loading or idle is not counted.
    public var seconds: Double
    /// Real images per second over the stretch since the previous line.
    public var imagesPerSecond: Double
    /// Generator learning rate in effect at this step.
    public var learningRate: Double
    /// Loss terms by name ("D", "G", "D.real", "D.fake", ...), averaged since the previous line.
    public var losses: [String: Double]
    /// Marks a line written for something other than the regular cadence: "resumed", "checkpoint",
    /// "sample", "rollback: non-finite loss, lr halved to 0.0001". Absent on ordinary lines.
    public var event: String?
    /// On "eval" lines: the moving-average generator's SWD ×10³, colour distance, variety ratios and
    /// copies, each with its real-vs-real floor, as `neurossia eval` prints them (`QualityMeasure.Result.summary`).
    public var quality: [String: Double]?

    public init(step: Int, kimg: Double, seconds: Double, imagesPerSecond: Double, learningRate: Double,
                losses: [String: Double], event: String? = nil, quality: [String: Double]? = nil) {
        self.step = step
        self.kimg = kimg
        self.seconds = seconds
        self.imagesPerSecond = imagesPerSecond
        self.learningRate = learningRate
        self.losses = losses
        self.event = event
        self.quality = quality
    }

    enum CodingKeys: String, CodingKey {
        case step, kimg, seconds
        case imagesPerSecond = "img_per_s"
        case learningRate = "lr"
        case losses, event, quality
    }

    /// "D" and "G" first, then the rest by name: the order plots and reports list losses in.
    public static func displayOrder(_ names: some Sequence<String>) -> [String] {
        let leading = ["D", "G"]
        return Set(names).sorted { a, b in
            let rankA = leading.firstIndex(of: a) ?? leading.count
            let rankB = leading.firstIndex(of: b) ?? leading.count
            return rankA != rankB ? rankA < rankB : a < b
        }
    }
}
