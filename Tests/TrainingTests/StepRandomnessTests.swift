import Datasets
import Engine
import XCTest
@testable import Training

/// What makes 2 ranks × B/2 equal 1 × B without MPI in the way: each sample's latent and augmentation
/// depend on its global index only, whichever slice of the batch holds it.
final class StepRandomnessTests: XCTestCase {
    func testSlicesOfABatchDrawWhatTheWholeBatchDraws() {
        let whole = StepRandomness(seed: 42, slice: 0..<16)
        let halves = [StepRandomness(seed: 42, slice: 0..<8), StepRandomness(seed: 42, slice: 8..<16)]
        XCTAssertEqual(halves.flatMap { $0.latents(width: 5).scalars }, whole.latents(width: 5).scalars)

        let augment = DiffAugment(policy: [.color, .translation, .cutout])
        var rng = RandomGenerator(seed: 1)
        let x = Tensor(randomNormal: [16, 3, 8, 8], rng: &rng)
        var streams = whole.streams(.realAugmentation)
        let together = augment(x, images: &streams).scalars
        let apart = halves.enumerated().flatMap { half, draws in
            var streams = draws.streams(.realAugmentation)
            let part = Tensor(Array(x.scalars[(half * 8 * 192)..<((half + 1) * 8 * 192)]), shape: [8, 3, 8, 8])
            return augment(part, images: &streams).scalars
        }
        XCTAssertEqual(apart, together)
        XCTAssertNotEqual(whole.streams(.fakeAugmentationD).map(\.stateWords), whole.streams(.fakeAugmentationG).map(\.stateWords))
    }

    func testThreadsAreTheCoresSharedAmongTheRanksOnTheMachine() {
        XCTAssertEqual(Parallel.defaultThreads(environment: [:], cores: 8), 8)
        XCTAssertEqual(Parallel.defaultThreads(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "2"], cores: 8), 4)
        XCTAssertEqual(Parallel.defaultThreads(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "3"], cores: 2), 1)
    }
}
