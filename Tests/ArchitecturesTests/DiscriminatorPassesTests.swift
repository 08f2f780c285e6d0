import Engine
import XCTest
@testable import Architectures

/// D's loss comes in passes (real, fake) back-propagated one at a time, so that a step holds one graph
/// of D. The weights' gradients must be those of the whole loss back-propagated at once: a graph shared
/// between passes would be consumed by the first backward and the second pass's share would be lost.
final class DiscriminatorPassesTests: XCTestCase {
    func check(_ architecture: any Architecture, resolution: Int, file: StaticString = #filePath, line: UInt = #line) {
        var rng = RandomGenerator(seed: 5)
        let g = architecture.makeGenerator(rng: &rng)
        let (passByPass, whole) = (architecture.makeDiscriminator(rng: &rng), architecture.makeDiscriminator(rng: &rng))
        copyState(from: passByPass, to: whole)
        let real = gradientImages(4, size: resolution, rng: &rng)
        let fake = withoutGradients { g(Tensor(randomNormal: [4, architecture.latent], rng: &rng)) }

        var lossRNG = RandomGenerator(seed: 8)
        let values = passByPass.discriminatorBackward(real: real, fake: { fake }, rng: &lossRNG, scale: 0.5)

        lossRNG = RandomGenerator(seed: 8)
        var passes: [GANLoss] = []
        passes.append(whole.discriminatorLoss(real: real, fake: { fake }, rng: &lossRNG) { passes.append($0) })
        XCTAssertEqual(passes.count, 2, file: file, line: line)
        let total = passes.dropFirst().reduce(passes[0].total) { $0 + $1.total }.affine(scale: 0.5)
        total.backward()

        XCTAssertEqual(values.total, total.item, accuracy: 1e-6 * abs(total.item), file: file, line: line)
        XCTAssertEqual(values.parts.map(\.name), passes.flatMap { $0.parts.map(\.name) }, file: file, line: line)
        XCTAssertEqual(values.parts.map(\.value), passes.flatMap { $0.parts.map { 0.5 * $0.value } }, file: file, line: line)
        for ((name, a), (_, b)) in zip(passByPass.namedParameters(), whole.namedParameters()) {
            let (ga, gb) = (a.grad ?? [], b.grad ?? [])
            XCTAssertEqual(ga.count, a.count, "\(name) received a gradient", file: file, line: line)
            let scale = gb.map(abs).max() ?? 0
            let worst = zip(ga, gb).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 1e-5 * scale, "\(name): pass by pass against all at once", file: file, line: line)
        }
    }

    func testDCGAN() {
        check(LatentWidthArchitecture<DCGAN>(latent: 16, width: 8, resolution: 32), resolution: 32)
    }

    func testFastGANLite() {
        check(LatentWidthArchitecture<FastGANLite>(latent: 16, width: 4, resolution: 64), resolution: 64)
    }
}
