import Engine
import XCTest
@testable import Datasets

final class BatchSamplerTests: XCTestCase {
    /// Ten 2×2 pictures; picture i has red = 20·i, green a left-to-right ramp (0, 255), blue 255.
    private let dataset: Dataset = {
        var pixels: [UInt8] = []
        for i in 0..<10 { pixels += [UInt8(20 * i), UInt8(20 * i), UInt8(20 * i), UInt8(20 * i), 0, 255, 0, 255, 255, 255, 255, 255] }
        return Dataset(resolution: 2, pixels: pixels, summary: DatasetSummary(
            source: "test", count: 10, skipped: [], ignored: 0, cache: .written(URL(fileURLWithPath: "/dev/null"))))
    }()

    func testBatchHoldsThePickedPicturesInMinusOneToOne() {
        let sampler = BatchSampler(dataset: dataset, batchSize: 4, seed: 1, flip: true)
        let batch = sampler.batch(0)
        XCTAssertEqual(batch.shape, [4, 3, 2, 2])
        let values = batch.scalars
        for (b, pick) in sampler.picks(ofBatch: 0).enumerated() {
            let image = Array(values[(b * 12)..<((b + 1) * 12)])
            let red = Float(20 * pick.index) * 2 / 255 - 1
            let ramp: [Float] = pick.flipped ? [1, -1, 1, -1] : [-1, 1, -1, 1]
            let expected = [red, red, red, red] + ramp + [1, 1, 1, 1]
            XCTAssertLessThan(zip(image, expected).map { abs($0 - $1) }.max()!, 1e-6, "batch position \(b): \(image)")
        }
    }

    func testSpreadTakesEvenlySpacedPicturesFromTheFirst() {
        XCTAssertEqual(dataset.spread(4).map { Int(($0.pixels[0] * 255).rounded()) / 20 }, [0, 2, 5, 7])
        XCTAssertEqual(dataset.spread(25).count, 10, "never more than the dataset has")
    }

    /// Positions 0..<10 are the first epoch: every picture exactly once, even across batch boundaries.
    func testEachEpochShowsEveryPictureOnce() {
        let sampler = BatchSampler(dataset: dataset, batchSize: 4, seed: 3, flip: false)
        let positions = (0..<5).flatMap { sampler.picks(ofBatch: $0) }
        XCTAssertEqual(positions[0..<10].map(\.index).sorted(), Array(0..<10))
        XCTAssertEqual(positions[10..<20].map(\.index).sorted(), Array(0..<10))
        XCTAssertNotEqual(positions[0..<10].map(\.index), positions[10..<20].map(\.index), "each epoch reshuffles")
        XCTAssertFalse(positions.contains { $0.flipped })
    }

    func testSameSeedSameOrderOtherSeedOtherOrder() {
        let order = { (seed: UInt64) in (0..<6).flatMap { BatchSampler(dataset: self.dataset, batchSize: 4, seed: seed, flip: true).picks(ofBatch: $0) } }
        XCTAssertEqual(order(7), order(7))
        XCTAssertNotEqual(order(7).map(\.index), order(8).map(\.index))
        XCTAssertNotEqual(order(7).map(\.flipped), order(8).map(\.flipped))
    }

    /// A sampler restored from `nextBatch` continues with exactly the batches the first one gives.
    func testResumingFromNextBatchReplaysExactly() {
        var first = BatchSampler(dataset: dataset, batchSize: 3, seed: 11, flip: true)
        let batches = (0..<7).map { _ in first.next().scalars }
        var resumed = BatchSampler(dataset: dataset, batchSize: 3, seed: 11, flip: true)
        resumed.nextBatch = 4
        XCTAssertEqual(resumed.epoch, 1)
        XCTAssertEqual((4..<7).map { _ in resumed.next().scalars }, Array(batches[4..<7]))
    }

    /// Over 400 epochs about half the pictures are mirrored (binomial, 4000 draws: 2000 ± 130 at 4σ).
    func testFlipMirrorsAboutHalf() {
        let sampler = BatchSampler(dataset: dataset, batchSize: 10, seed: 5, flip: true)
        let flipped = (0..<400).flatMap { sampler.picks(ofBatch: $0) }.filter(\.flipped).count
        XCTAssertEqual(Double(flipped), 2000, accuracy: 130)
    }
}
