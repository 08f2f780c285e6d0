import Checkpoint
import Engine
import Foundation
import ThemeConfig
import XCTest
@testable import Training

/// `training.precision` reaches the engine, is said and recorded, and a bf16 step stays close to the fp32 one.
final class PrecisionTests: XCTestCase {
    override func tearDown() {
        try? GEMMBackend.use(.fp32)
    }

    func testTheThemeKeyNamesTheEnginesPrecisions() {
        XCTAssertEqual(TrainingPrecision.allCases.map(\.rawValue).sorted(), Precision.allCases.map(\.rawValue).sorted())
    }

    func testTheSessionRunsTheThemesPrecisionAndTheCheckpointRecordsIt() throws {
        let theme = try tinyTheme(self, precision: "fp32")
        let s = try session(theme)
        XCTAssertEqual(GEMMBackend.current, .fastestFP32)
        try s.saveCheckpoint()
        let metadata = try SafeTensorsFile(contentsOf: s.path(CheckpointFiles.state)).metadata
        XCTAssertEqual(metadata["precision"], "fp32")
        XCTAssertEqual(metadata["gemm"], GEMMBackend.fastestFP32.rawValue)
    }

    /// Three steps from the same start: every weight of G and D within a bound of its fp32 value. bf16 keeps
    /// 8 significant bits, so each product is off by up to 2⁻⁸ relative; Adam's first steps move each weight
    /// by about lr in the sign of its gradient, so the weights differ by at most a few lr where a gradient's
    /// sign flips, and the mean difference is far below that.
    func testABF16StepStaysCloseToTheFP32Step() throws {
        guard GEMMBackend.cpuHasBF16 else { throw XCTSkip("this CPU has no AVX-512 BF16: bf16 cannot run here") }
        func weights(_ precision: String) throws -> [Float] {
            let s = try session(try tinyTheme(self, precision: precision))
            for _ in 0..<3 { XCTAssertTrue(s.step()) }
            return (s.generator.namedParameters() + s.discriminator.namedParameters()).flatMap { $0.tensor.scalars }
        }
        let fp32 = try weights("fp32"), bf16 = try weights("bf16")
        XCTAssertEqual(GEMMBackend.current, .oneDNNBF16)
        let differences = zip(fp32, bf16).map { abs($0 - $1) }
        let lr: Float = 0.0002
        XCTAssertLessThanOrEqual(differences.max()!, 6 * lr, "largest weight difference after 3 steps")
        XCTAssertLessThan(differences.reduce(0, +) / Float(differences.count), 0.5 * lr, "mean weight difference")
        XCTAssertGreaterThan(differences.max()!, 0, "bf16 really rounded")
    }
}
