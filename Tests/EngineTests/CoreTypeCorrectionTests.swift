import Foundation
import XCTest

/// Runs the `neurossia` executable built beside the tests with a pretended OpenBLAS misdetection, and with
/// a user's own OPENBLAS_CORETYPE, to check the start-up correction both ways.
final class CoreTypeCorrectionTests: XCTestCase {
    func run(_ environment: [String: String]) throws -> String {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let executable = folder.appendingPathComponent("neurossia")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { throw XCTSkip("neurossia not built beside the tests") }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["bench", "blas", "--size", "64"]
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_CORETYPE"] = nil
        env["NEUROSSIA_OPENBLAS_MISDETECTED"] = nil
        process.environment = env.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        return output
    }

    func testMisdetectedCoreIsReplacedByTheWidestTheCPUSupports() throws {
        let output = try run(["NEUROSSIA_ASSUME_OPENBLAS_CORE": "Prescott"])
        XCTAssertTrue(output.contains("(corrected from Prescott)"), output)
        XCTAssertFalse(output.hasPrefix("OpenBLAS core Prescott"), output)
    }

    func testAUsersCoreTypeIsNeverOverridden() throws {
        let output = try run(["OPENBLAS_CORETYPE": "Haswell", "NEUROSSIA_ASSUME_OPENBLAS_CORE": "Prescott"])
        XCTAssertTrue(output.hasPrefix("OpenBLAS core Haswell,"), output)
        XCTAssertFalse(output.contains("corrected"), output)
    }
}
