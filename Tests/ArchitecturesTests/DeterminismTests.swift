import Engine
import Layers
import XCTest
@testable import Architectures

final class DeterminismTests: XCTestCase {
    /// Every registered architecture, smallest settings, at its smallest resolution.
    func everyArchitecture() throws -> [any Architecture] {
        try ArchitectureRegistry.all.map { try smallest($0, resolution: $0.declaration.resolutions.min()!) }
    }

    /// `count` images from a generator built and sampled from seeds, in evaluation mode.
    func generate(_ architecture: any Architecture, modelSeed: UInt64, latentSeed: UInt64, psi: Float = 1) -> Tensor {
        var rng = RandomGenerator(seed: modelSeed)
        let g = architecture.makeGenerator(rng: &rng)
        g.train(false)
        var latentRNG = RandomGenerator(seed: latentSeed)
        let z = Tensor(randomNormal: [3, architecture.latent], rng: &latentRNG)
        return withoutGradients { g(truncated(z, psi: psi)) }
    }

    func testSameSeedsGiveIdenticalImages() throws {
        for architecture in try everyArchitecture() {
            let a = generate(architecture, modelSeed: 3, latentSeed: 5)
            XCTAssertEqual(a.scalars, generate(architecture, modelSeed: 3, latentSeed: 5).scalars)
            XCTAssertNotEqual(a.scalars, generate(architecture, modelSeed: 3, latentSeed: 6).scalars)
            XCTAssertNotEqual(a.scalars, generate(architecture, modelSeed: 4, latentSeed: 5).scalars)
        }
    }

    /// `generate --count 3` makes the first three pictures of `--count 40`: a picture's bits do not depend
    /// on how many others share its batch (BLAS kernels round rows by the product's shape; `bySampleBlocks`
    /// and Winograd's fixed runs keep every call's shape). Default widths, so the upsampling layers run
    /// by Winograd; 66 pictures pass one block of 64 samples.
    func testPicturesDoNotDependOnTheirBatch() throws {
        for type in ArchitectureRegistry.all {
            let architecture = try type.init(parameters: [:], resolution: type.declaration.resolutions.min()!)
            var rng = RandomGenerator(seed: 3), latentRNG = RandomGenerator(seed: 5)
            let g = architecture.makeGenerator(rng: &rng)
            g.train(false)
            let z = Tensor(randomNormal: [66, architecture.latent], rng: &latentRNG)
            let all = withoutGradients { g(z) }.scalars
            let perPicture = all.count / 66
            for count in [1, 3] {
                let first = Tensor(Array(z.scalars[0..<(count * architecture.latent)]), shape: [count, architecture.latent])
                XCTAssertTrue(withoutGradients { g(first) }.scalars == Array(all[0..<(count * perPicture)]),
                              "\(type.declaration.name): the first \(count) of 66 pictures")
            }
        }
    }

    func testTruncationScalesTowardTheMeanLatent() throws {
        let z = Tensor([1, -2, 0.5, 4], shape: [2, 2])
        XCTAssertEqual(truncated(z, psi: 0.5).scalars, [0.5, -1, 0.25, 2])
        XCTAssertEqual(truncated(z, psi: 1).scalars, z.scalars)
        for architecture in try everyArchitecture() {
            let mean = generate(architecture, modelSeed: 3, latentSeed: 5, psi: 0)
            let plane = mean.count / 3
            XCTAssertEqual(Array(mean.scalars[0..<plane]), Array(mean.scalars[plane..<(2 * plane)]),
                           "ψ = 0 maps every z to the same image")
            let full = generate(architecture, modelSeed: 3, latentSeed: 5).scalars
            let half = generate(architecture, modelSeed: 3, latentSeed: 5, psi: 0.5).scalars
            func distance(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.reduce(0, +) }
            XCTAssertLessThan(distance(half, mean.scalars), distance(full, mean.scalars), "ψ = 0.5 lies nearer the mean image")
        }
    }

    /// A fresh model's namedState copied into one built from another seed makes it compute the same.
    func testStateRoundTripReproducesOutputs() throws {
        for architecture in try everyArchitecture() {
            var rngA = RandomGenerator(seed: 1), rngB = RandomGenerator(seed: 2), data = RandomGenerator(seed: 9)
            let gA = architecture.makeGenerator(rng: &rngA), dA = architecture.makeDiscriminator(rng: &rngA)
            let gB = architecture.makeGenerator(rng: &rngB), dB = architecture.makeDiscriminator(rng: &rngB)
            XCTAssertEqual(gA.namedState().map(\.name), gB.namedState().map(\.name))
            XCTAssertEqual(Set(dA.namedState().map(\.name)).count, dA.namedState().count, "state names are unique")
            let z = Tensor(randomNormal: [4, architecture.latent], rng: &data)
            XCTAssertNotEqual(withoutGradients { gA(z) }.scalars, withoutGradients { gB(z) }.scalars)
            copyState(from: gA, to: gB)
            copyState(from: dA, to: dB)
            for training in [true, false] {
                for module in [gA, gB, dA, dB] as [Module] { module.train(training) }
                let (imagesA, imagesB) = withoutGradients { (gA(z), gB(z)) }
                XCTAssertEqual(imagesA.scalars, imagesB.scalars, "training \(training)")
                var lossRNGA = RandomGenerator(seed: 4), lossRNGB = RandomGenerator(seed: 4)
                let lossA = withoutGradients { dA.discriminatorBackward(real: imagesA, fake: { imagesA }, rng: &lossRNGA) }
                let lossB = withoutGradients { dB.discriminatorBackward(real: imagesB, fake: { imagesB }, rng: &lossRNGB) }
                XCTAssertEqual(lossA.total, lossB.total, "training \(training)")
            }
        }
    }
}
