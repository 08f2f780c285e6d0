import Evaluation
import Foundation
import Generation

extension TrainingSession {
    /// Measures the moving-average generator the way `neurossia eval THEME --count N` measures the
    /// shipped file (same real pictures, latents and seed; N = `training.eval_pictures`), so a run's
    /// log shows when SWD stops improving. Touches neither the training randomness nor any weights:
    /// a run that measures trains exactly as one that does not.
    public func measureQuality() throws -> QualityMeasure.Result {
        counters.lastEval = .init(images: counters.imagesSeen, seconds: counters.seconds)
        let measure = try qualityMeasure
            ?? QualityMeasure(real: sampler.dataset.spread(2 * theme.training.evalPictures), seed: QualityMeasure.standardSeed)
        qualityMeasure = measure
        refreshAverageStatistics()
        let pictures = average.generate(count: measure.reference.count, seed: measure.seed,
                                        truncation: Float(theme.generate.truncation))
        return try measure.measure(pictures)
    }
}
