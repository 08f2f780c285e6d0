import Engine
import Layers

extension TrainingSession {
    /// Pictures the moving average makes to measure its batch-norm statistics: a few seconds of
    /// two cores at 128 px, and the statistics of 512 pictures differ from those of 2560 by far less
    /// than one checkpoint's differ from the next.
    static let statisticsPictures = 512

    /// Gives the moving average batch-norm statistics of its own, from its own pictures of fixed
    /// latents (`measureBatchNormStatistics`), before it makes pictures or is saved; the running
    /// statistics it copies from G every step fit G's weights of the last few steps, not the average's.
    /// The same weights get the same statistics and the training randomness is untouched, so a run
    /// trains as it would without; once per step, so a step's samples, measurement and files share it.
    func refreshAverageStatistics() {
        guard averageStatisticsStep != counters.step else { return }
        // Each pass's statistics are one batch's; at least 16 pictures, so that a theme with a tiny
        // batch still averages statistics that mean something.
        let batch = max(theme.training.batch, 16)
        var latents = RandomGenerator(seed: UInt64(theme.training.seed)).derived(0x5354_4154)
        average.measureBatchNormStatistics(passes: max(1, Self.statisticsPictures / batch)) { _ in
            _ = average(Tensor(randomNormal: [batch, architecture.latent], rng: &latents))
        }
        averageStatisticsStep = counters.step
    }
}
