import Engine
import XCTest
@testable import Architectures

/// One fixed batch, Adam: D first learns to tell it from G's fixed output, then G learns to fool that D.
final class OverfitTests: XCTestCase {
    struct Run { var dLosses: [Float] = [], gLosses: [Float] = [], parts: [[String: Float]] = [] }

    func overfit(_ architecture: any Architecture, resolution: Int, steps: Int) -> Run {
        var rng = RandomGenerator(seed: 11)
        let g = architecture.makeGenerator(rng: &rng), d = architecture.makeDiscriminator(rng: &rng)
        let real = gradientImages(4, size: resolution, rng: &rng)
        let z = Tensor(randomNormal: [4, architecture.latent], rng: &rng)
        let optD = Adam(parameters: d.namedParameters(), learningRate: 1e-3, beta1: 0.5)
        let optG = Adam(parameters: g.namedParameters(), learningRate: 1e-3, beta1: 0.5)
        var run = Run()
        for _ in 0..<steps {
            optD.zeroGrad()
            let loss = d.discriminatorBackward(real: real, fake: { withoutGradients { g(z) } }, rng: &rng)
            run.dLosses.append(loss.total)
            run.parts.append(Dictionary(uniqueKeysWithValues: loss.parts.map { ($0.name, $0.value) }))
            optD.update()
        }
        for _ in 0..<steps {
            optG.zeroGrad()
            let loss = d.generatorLoss(fake: g(z))
            run.gLosses.append(loss.total.item)
            loss.total.backward()
            optG.update()
        }
        return run
    }

    func testDCGANFitsOneBatch() throws {
        let run = overfit(LatentWidthArchitecture<DCGAN>(latent: 16, width: 8, resolution: 32), resolution: 32, steps: 30)
        print("dcgan D", run.dLosses.first!, run.dLosses.last!, "G", run.gLosses.first!, run.gLosses.last!)
        XCTAssertEqual(run.dLosses[0], 2 * log(2), accuracy: 0.3, "BCE of near-zero logits on both halves")
        XCTAssertLessThan(run.dLosses.last!, 0.1 * run.dLosses[0])
        XCTAssertGreaterThan(run.gLosses[0], 2, "G starts against a D that rejects its images")
        XCTAssertLessThan(run.gLosses.last!, 0.5 * run.gLosses[0])
    }

    func testFastGANLiteFitsOneBatchAndLearnsToReconstruct() throws {
        let run = overfit(LatentWidthArchitecture<FastGANLite>(latent: 16, width: 4, resolution: 64),
                      resolution: 64, steps: 30)
        print("fastgan D", run.dLosses.first!, run.dLosses.last!, "G", run.gLosses.first!, run.gLosses.last!,
              "parts", run.parts.first!, run.parts.last!)
        let (first, last) = (run.parts.first!, run.parts.last!)
        XCTAssertEqual(first["real"]! + first["fake"]!, 2, accuracy: 0.5, "hinge of near-zero logits")
        XCTAssertLessThan(last["real"]! + last["fake"]!, 0.2 * (first["real"]! + first["fake"]!))
        XCTAssertLessThan(last["reconstruction"]!, 0.8 * first["reconstruction"]!)
        XCTAssertLessThan(run.dLosses.last!, 0.5 * run.dLosses[0])
        XCTAssertLessThan(run.gLosses.last!, run.gLosses[0] - 1, "−mean D(G(z)) falls as G fools the fixed D")
    }
}
