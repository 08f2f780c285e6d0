import Engine
import XCTest
@testable import Architectures

/// FastGAN-lite's noise injection and random hinge margins: what is drawn, from which stream, and what
/// the gradient of the noise weight is.
final class NoiseInjectionTests: XCTestCase {
    func streams(_ count: Int, seed: UInt64) -> [RandomGenerator] {
        (0..<count).map { RandomGenerator(seed: seed).derived(UInt64($0)) }
    }

    /// One plane [N, 1, H, W] of standard normal noise per sample, each from its own stream (the same
    /// stream, the same plane), and w starts at 0. What the norm does with them: `OpGradientTests`.
    func testPlanesAreOnePerSampleFromItsStream() {
        let (n, c, h, w) = (3, 2, 16, 20)
        let inject = FastGANLite.NoiseInjection()
        XCTAssertEqual(inject.weight.scalars, [0], "w starts at 0")
        let x = Tensor(zeros: [n, c, h, w])
        let planes = inject.planes(for: x, streams: streams(n, seed: 7))
        XCTAssertEqual(planes.shape, [n, 1, h, w])
        XCTAssertEqual(inject.planes(for: x, streams: streams(n, seed: 7)).scalars, planes.scalars)
        let perSample = (0..<n).map { Array(planes.scalars[($0 * h * w)..<(($0 + 1) * h * w)]) }
        XCTAssertEqual(Set(perSample.map { $0.map(\.bitPattern) }).count, n, "each sample its own noise")
        let values = planes.scalars.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        XCTAssertEqual(mean, 0, accuracy: 0.1)
        XCTAssertEqual(variance, 1, accuracy: 0.15)
    }

    /// A fresh generator's noise weights are 0: its pictures do not depend on the noise drawn. Once they
    /// are not 0, they do. (Two generators from one seed, each called once: while training, spectral norm
    /// moves its vectors at every call.)
    func testFreshGeneratorIgnoresItsNoise() {
        func generator() -> FastGANLite.Generator {
            var rng = RandomGenerator(seed: 3)
            return FastGANLite.Generator(latent: 16, channels: FastGANLite.Channels(width: 4), resolution: 64, rng: &rng)
        }
        func difference(_ a: Tensor, _ b: Tensor) -> Float { zip(a.scalars, b.scalars).map { abs($0 - $1) }.max()! }
        var rng = RandomGenerator(seed: 4)
        let z = Tensor(randomNormal: [3, 16], rng: &rng)
        XCTAssertEqual(generator().namedParameters().map(\.name).filter { $0.hasSuffix("noise.weight") },
                       ["blocks.0.stages.0.noise.weight", "blocks.0.stages.1.noise.weight",
                        "blocks.2.stages.0.noise.weight", "blocks.2.stages.1.noise.weight"],
                       "compound blocks at 8 and 32, two injections each")
        for training in [true, false] {
            let (g1, g2) = (generator(), generator())
            for g in [g1, g2] { g.train(training) }
            let (a, b) = withoutGradients { (g1(z, noise: streams(3, seed: 1)), g2(z, noise: streams(3, seed: 2))) }
            XCTAssertEqual(difference(a, b), 0, "training \(training)")
            for g in [g1, g2] {
                for (name, weight) in g.namedParameters() where name.hasSuffix("noise.weight") { weight.data[0] = 0.5 }
            }
            let (c, d) = withoutGradients { (g1(z, noise: streams(3, seed: 1)), g2(z, noise: streams(3, seed: 2))) }
            XCTAssertGreaterThan(difference(c, d), 1e-3, "training \(training)")
        }
    }

    /// Generating, the noise comes from each latent: the same z gives the same picture, whichever batch
    /// holds it, and another z other noise.
    func testNoiseIsReproducibleForEachLatent() {
        var rng = RandomGenerator(seed: 4)
        let g = FastGANLite.Generator(latent: 16, channels: FastGANLite.Channels(width: 4), resolution: 64, rng: &rng)
        for (name, weight) in g.namedParameters() where name.hasSuffix("noise.weight") { weight.data[0] = 0.5 }
        g.train(false)
        let z = Tensor(randomNormal: [4, 16], rng: &rng)
        let whole = withoutGradients { g(z) }.scalars
        XCTAssertTrue(withoutGradients { g(z) }.scalars == whole)
        let firstTwo = Tensor(Array(z.scalars[0..<32]), shape: [2, 16])
        XCTAssertTrue(withoutGradients { g(firstTwo) }.scalars == Array(whole[0..<(2 * 3 * 64 * 64)]), "whichever batch holds z")
        let seeded = RandomGenerator.seededByRows(of: z)
        XCTAssertEqual(Set(seeded.map(\.stateWords)).count, 4, "one stream per latent")
        XCTAssertEqual(RandomGenerator.seededByRows(of: firstTwo).map(\.stateWords), Array(seeded[0..<2]).map(\.stateWords))
    }

    /// The hinge margins lie in [0.8, 1), differ per logit, and follow the image and the salt, not the batch.
    func testMarginsBelongToEachImage() {
        var rng = RandomGenerator(seed: 5)
        let images = Tensor(randomNormal: [4, 3, 8, 8], rng: &rng)
        let logits = Tensor(zeros: [4, 25])
        let (real, fake) = FastGANLite.Discriminator.margins(like: logits, for: images, salt: 9)
        for margins in [real, fake] {
            XCTAssertEqual(margins.shape, [4, 25])
            XCTAssertTrue(margins.scalars.allSatisfy { $0 >= 0.8 && $0 < 1 })
            XCTAssertGreaterThan(Set(margins.scalars).count, 90)
        }
        XCTAssertNotEqual(real.scalars, fake.scalars)
        let half = Tensor(Array(images.scalars[(2 * 192)...]), shape: [2, 3, 8, 8])
        let (realHalf, fakeHalf) = FastGANLite.Discriminator.margins(like: Tensor(zeros: [2, 25]), for: half, salt: 9)
        XCTAssertEqual(realHalf.scalars, Array(real.scalars[50...]))
        XCTAssertEqual(fakeHalf.scalars, Array(fake.scalars[50...]))
        XCTAssertNotEqual(FastGANLite.Discriminator.margins(like: logits, for: images, salt: 10).real.scalars, real.scalars)
    }
}
