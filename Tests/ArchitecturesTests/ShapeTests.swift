import Engine
import XCTest
@testable import Architectures

final class ShapeTests: XCTestCase {
    /// G: [2, latent] → [2, 3, R, R] in [-1, 1]; D: → logits [2, …] and finite scalar losses; every
    /// registered architecture at every resolution it declares.
    func testEveryArchitectureMakesImagesAndLogitsAtEveryResolution() throws {
        for type in ArchitectureRegistry.all {
            for resolution in type.declaration.resolutions {
                let place = "\(type.declaration.name) at \(resolution)"
                let architecture = try smallest(type, resolution: resolution)
                var rng = RandomGenerator(seed: 1)
                let g = architecture.makeGenerator(rng: &rng)
                let d = architecture.makeDiscriminator(rng: &rng)
                XCTAssertEqual(g.latent, architecture.latent, place)
                let images = withoutGradients { g(Tensor(randomNormal: [2, architecture.latent], rng: &rng)) }
                XCTAssertEqual(images.shape, [2, 3, resolution, resolution], place)
                XCTAssertLessThanOrEqual(images.scalars.map(abs).max()!, 1, place)
                let logits = withoutGradients { d(images) }
                XCTAssertEqual(logits.shape.first, 2, "one row of logits per image: \(place)")
                XCTAssertTrue(logits.scalars.allSatisfy(\.isFinite), place)
                var passes: [GANLoss] = []
                withoutGradients { passes.append(d.discriminatorLoss(real: images, fake: { images }, rng: &rng) { passes.append($0) }) }
                XCTAssertEqual(passes.count, 2, "one pass over the real pictures, one over the fake: \(place)")
                let gLoss = withoutGradients { d.generatorLoss(fake: images) }
                for loss in passes + [gLoss] {
                    XCTAssertEqual(loss.total.shape, [], place)
                    XCTAssertTrue(loss.total.item.isFinite, place)
                }
            }
        }
    }

    /// DCGAN scores each image once; FastGAN-lite scores a 5×5 map of patches.
    func testLogitShapesFollowEachPaper() {
        var rng = RandomGenerator(seed: 1)
        for resolution in DCGAN.declaration.resolutions {
            let d = DCGAN.Discriminator(width: 8, resolution: resolution, rng: &rng)
            XCTAssertEqual(withoutGradients { d(Tensor(randomNormal: [2, 3, resolution, resolution], rng: &rng)) }.shape,
                           [2], "dcgan at \(resolution)")
        }
        for resolution in FastGANLite.declaration.resolutions {
            let d = FastGANLite.Discriminator(channels: FastGANLite.Channels(width: 4), resolution: resolution, rng: &rng)
            XCTAssertEqual(withoutGradients { d(Tensor(randomNormal: [2, 3, resolution, resolution], rng: &rng)) }.shape,
                           [2, 25], "fastgan-lite at \(resolution)")
        }
    }

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
