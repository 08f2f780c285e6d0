import Cluster
import Engine
import Foundation

extension TrainingSession {
    /// Everything a step depends on besides the tensors, as rank 0 sends it to the others.
    struct SharedProgress: Codable {
        var counters: Counters
        var rng: [UInt64]
        var nextBatch: Int
        var updatesG: Int
        var updatesD: Int
    }

    /// Trains with `team`: from here on every step is a collective of all its ranks.
    public func join(_ team: DataParallel) {
        self.team = team
    }

    /// Rank 0's networks, average, optimiser moments, counters, data position and randomness on every
    /// rank: at the start (whatever each rank's files say, only rank 0's count) and after a rollback.
    public func shareLeaderState() throws {
        guard let team else { return }
        for state in [generator.namedState(), discriminator.namedState(), average.namedState(), optimizerG.state, optimizerD.state] {
            for (_, tensor) in state { try team.job.broadcast(floats: tensor.data, count: tensor.count) }
        }
        let mine = SharedProgress(counters: counters, rng: rng.stateWords, nextBatch: sampler.nextBatch,
                                  updatesG: optimizerG.step, updatesD: optimizerD.step)
        let shared = try JSONDecoder().decode(SharedProgress.self, from: try team.job.broadcast(try JSONEncoder().encode(mine)))
        counters = shared.counters
        rng = RandomGenerator(state: shared.rng)
        sampler.nextBatch = shared.nextBatch
        (optimizerG.step, optimizerD.step) = (shared.updatesG, shared.updatesD)
        optimizerG.learningRate = Float(learningRate)
        optimizerD.learningRate = Float(learningRate)
    }
}
