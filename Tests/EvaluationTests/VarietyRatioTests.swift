import Imaging
import XCTest
@testable import Evaluation

final class VarietyRatioTests: XCTestCase {
    let real = sampleImages(40, size: 32, seed: 1)

    func testACollapsedGeneratorHasNoVariety() throws {
        let report = try VarietyRatio(real: real).measure(Array(repeating: sampleImages(1, size: 32, seed: 7)[0], count: 20))
        XCTAssertEqual(report.levels.map(\.size), [16, 32])
        for level in report.levels { XCTAssertEqual(level.ratio, 0, accuracy: 1e-3) }
    }

    func testAnIndependentSampleOfTheSameKindHasTheVarietyOfTheData() throws {
        let report = try VarietyRatio(real: real).measure(sampleImages(40, size: 32, seed: 2))
        for level in report.levels { XCTAssertEqual(level.ratio, 1, accuracy: 0.1, "\(level)") }
    }

    func testRatioIsTheMeanPairwiseDistanceOfTheShrunkPicturesOverTheRealOnes() throws {
        let real = Array(self.real[0..<6]), generated = sampleImages(5, size: 32, seed: 3)
        func direct(_ pictures: [Image], size: Int) -> Double {
            let small = pictures.map { $0.resized(width: size, height: size) }
            var sum = 0.0, pairs = 0.0
            for i in small.indices {
                for j in small.indices where j > i { sum += Double(PixelDistance.distance(small[i], small[j])); pairs += 1 }
            }
            return sum / pairs
        }
        let report = try VarietyRatio(real: real).measure(generated)
        for level in report.levels {
            XCTAssertEqual(level.measured, direct(generated, size: level.size), accuracy: 1e-4)
            XCTAssertEqual(level.real, direct(real, size: level.size), accuracy: 1e-4)
            XCTAssertEqual(level.ratio, level.measured / level.real)
        }
    }

    func testSizesLargerThanThePicturesAreSkippedAndOnePictureIsNoVariety() throws {
        let small = sampleImages(4, size: 16, seed: 5)
        XCTAssertEqual(try VarietyRatio(real: small).measure(small).levels.map(\.size), [16])
        XCTAssertThrowsError(try VarietyRatio(real: [small[0]])) {
            XCTAssertEqual($0 as? EvaluationError, .tooFew(set: "real", count: 1, minimum: 2))
        }
        XCTAssertThrowsError(try VarietyRatio(real: small).measure([small[0]]))
    }
}
