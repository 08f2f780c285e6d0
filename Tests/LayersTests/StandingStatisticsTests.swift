import Engine
import XCTest
@testable import Layers

/// A spectrally normalised transposed convolution into a batch norm, as in fastgan-lite's generator.
private final class Stage: Module {
    let conv: ConvTranspose2d
    let norm: BatchNorm2d

    init(rng: inout RandomGenerator) {
        conv = ConvTranspose2d(inputChannels: 4, outputChannels: 3, kernelSize: 4, bias: false, spectralNorm: true, rng: &rng)
        norm = BatchNorm2d(channels: 3, rng: &rng)
    }

    func callAsFunction(_ z: Tensor) -> Tensor { norm(conv(z)) }
}

final class StandingStatisticsTests: XCTestCase {
    /// After the passes, each channel's running mean is the mean of the passes' batch means and its
    /// running variance the mean of their unbiased batch variances, computed here in Float64 from the
    /// convolution's outputs; the power-iteration vector did not move, and modes and momentum are back.
    func testRunningStatisticsAreTheMeanOfThePassesBatchStatistics() {
        var rng = RandomGenerator(seed: 5)
        let stage = Stage(rng: &rng)
        stage.train(false)
        let batches = (0..<3).map { _ in Tensor(randomNormal: [6, 4, 1, 1], rng: &rng) }
        let u = stage.conv.spectral!.u.scalars
        let outputs = batches.map { z in withoutGradients { stage.conv(z) }.scalars.map(Double.init) }
        let (n, c, plane) = (6, 3, 16)
        var expectedMean = [Double](repeating: 0, count: c), expectedVar = [Double](repeating: 0, count: c)
        for y in outputs {
            for ch in 0..<c {
                var values: [Double] = []
                for i in 0..<n {
                    let start = (i * c + ch) * plane
                    values += y[start..<(start + plane)]
                }
                let mean = values.reduce(0, +) / Double(values.count)
                let squares: Double = values.reduce(0) { sum, v in sum + (v - mean) * (v - mean) }
                let variance = squares / Double(values.count - 1)
                expectedMean[ch] += mean / Double(outputs.count)
                expectedVar[ch] += variance / Double(outputs.count)
            }
        }

        var passes: [Int] = []
        stage.measureBatchNormStatistics(passes: 3) { k in
            passes.append(k)
            _ = stage(batches[k - 1])
        }
        XCTAssertEqual(passes, [1, 2, 3])
        for ch in 0..<c {
            XCTAssertEqual(Double(stage.norm.runningMean.scalars[ch]), expectedMean[ch], accuracy: 1e-5)
            XCTAssertEqual(Double(stage.norm.runningVar.scalars[ch]), expectedVar[ch], accuracy: 1e-5 * max(1, expectedVar[ch]))
        }
        XCTAssertEqual(stage.conv.spectral!.u.scalars, u, "spectral norm did not iterate")
        XCTAssertFalse(stage.norm.training)
        XCTAssertFalse(stage.conv.training)
        XCTAssertEqual(stage.norm.momentum, 0.1)
    }

    /// Batch norms are found at any depth, in declaration order.
    func testModulesOfATypeAreFoundInside() {
        var rng = RandomGenerator(seed: 1)
        let stage = Stage(rng: &rng)
        XCTAssertTrue(stage.modules(of: BatchNorm2d.self).map { $0 === stage.norm } == [true])
        XCTAssertEqual(stage.modules(of: Module.self).map { String(describing: type(of: $0)) },
                       ["Stage", "ConvTranspose2d", "SpectralVectors", "BatchNorm2d"])
    }
}
