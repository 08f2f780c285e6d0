import Engine
import XCTest
@testable import Architectures

final class ShapeTests: XCTestCase {
    /// G: [2, latent] → [2, 3, R, R] in [-1, 1]; D: [2, 3, R, R] → logits `logitShape`; at every resolution.
    func checkShapes(_ name: String, logitShape: [Int]) throws {
        let declaration = try XCTUnwrap(ArchitectureRegistry.named(name)).declaration
        for resolution in declaration.resolutions {
            let architecture = try small(name, resolution: resolution)
            var rng = RandomGenerator(seed: 1)
            let g = architecture.makeGenerator(rng: &rng)
            let d = architecture.makeDiscriminator(rng: &rng)
            XCTAssertEqual(g.latent, 16)
            let images = withoutGradients { g(Tensor(randomNormal: [2, 16], rng: &rng)) }
            XCTAssertEqual(images.shape, [2, 3, resolution, resolution], "\(name) G at \(resolution)")
            XCTAssertLessThanOrEqual(images.scalars.map(abs).max()!, 1)
            let logits = withoutGradients { d.discriminatorLoss(real: images, fake: images, rng: &rng) }
            XCTAssertEqual(logits.total.shape, [])
            XCTAssertTrue(logits.total.item.isFinite)
            if let dcgan = d as? DCGAN.Discriminator {
                XCTAssertEqual(withoutGradients { dcgan(images) }.shape, logitShape, "\(name) D at \(resolution)")
            } else if let fast = d as? FastGANLite.Discriminator {
                XCTAssertEqual(withoutGradients { fast(images) }.shape, logitShape, "\(name) D at \(resolution)")
            } else {
                XCTFail("unexpected discriminator \(type(of: d))")
            }
        }
    }

    func testDCGANShapes() throws { try checkShapes("dcgan", logitShape: [2]) }

    func testFastGANLiteShapes() throws { try checkShapes("fastgan-lite", logitShape: [2, 25]) }

    func testFastGANLiteInternalFeatureSizes() {
        var rng = RandomGenerator(seed: 2)
        let channels = FastGANLite.Channels(width: 4)
        let d = FastGANLite.Discriminator(channels: channels, resolution: 128, rng: &rng)
        let (logits, at16, at8) = withoutGradients { d.features(Tensor(randomNormal: [2, 3, 128, 128], rng: &rng)) }
        XCTAssertEqual(logits.shape, [2, 25])
        XCTAssertEqual(at16.shape, [2, 32, 16, 16])
        XCTAssertEqual(at8.shape, [2, 64, 8, 8])
        XCTAssertEqual(d.excitations.count, 2, "64 → 16 and 32 → 8")
        let g = FastGANLite.Generator(latent: 16, channels: channels, resolution: 256, rng: &rng)
        XCTAssertEqual(g.excitations.map { $0.excite.weight.shape[0] }, [8, 4, 2], "4→64, 8→128, 16→256")
    }
}
