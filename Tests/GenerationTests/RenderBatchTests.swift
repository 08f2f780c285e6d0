import Architectures
import Engine
import Generation
import Imaging
import XCTest

/// `render` goes through the network in passes of `renderBatch`; the pictures are those of one
/// latent at a time, so where the passes split makes no difference.
final class RenderBatchTests: XCTestCase {
    func testPassesHoldAtMostHalfAMillionPixelsAndSixtyFourPictures() {
        var rng = RandomGenerator(seed: 1)
        let passes = [32: 64, 64: 64, 128: 32, 256: 8].map { resolution, expected in
            (DCGAN.Generator(latent: 4, width: 2, resolution: resolution, rng: &rng).renderBatch, expected)
        }
        for (batch, expected) in passes { XCTAssertEqual(batch, expected) }
    }

    /// 34 pictures at 128 px: a dropped first picture, a pass of 32 and one of 2, each picture the
    /// bytes it has when rendered alone.
    func testPicturesAcrossPassesAreThoseRenderedAlone() {
        var rng = RandomGenerator(seed: 2)
        let generator = DCGAN.Generator(latent: 8, width: 4, resolution: 128, rng: &rng)
        generator.train(false)
        let latents = (0..<34).map { generator.latentVector(seed: 9, index: $0) }
        let together = generator.render(latents, truncation: 0.8)
        XCTAssertEqual(together.count, 34)
        for index in [0, 31, 32, 33] {
            XCTAssertEqual(generator.render([latents[index]], truncation: 0.8)[0], together[index], "picture \(index)")
        }
    }
}
