import Imaging
import XCTest
@testable import Evaluation

final class QualityMeasureTests: XCTestCase {
    func testSplitsRealIntoReferenceAndFloorHalvesAndMeasuresLikeTheDistancesThemselves() throws {
        let real = sampleImages(9, size: 32, seed: 2), generated = sampleImages(3, size: 32, seed: 8)
        let measure = try QualityMeasure(real: real, seed: 5)
        XCTAssertEqual(measure.reference, Array(real[0..<4]), "9 pictures: halves of 4, the last left out")
        let result = try measure.measure(generated)
        XCTAssertEqual(result.swd, try SlicedWasserstein().distance(generated, measure.reference, seed: 5))
        XCTAssertEqual(result.swdFloor, try SlicedWasserstein().distance(Array(real[4..<8]), measure.reference, seed: 5))
        XCTAssertEqual(result.colour, try ColourHistogramDistance().distance(generated, measure.reference))
        XCTAssertEqual(result.colourFloor, try ColourHistogramDistance().distance(Array(real[4..<8]), measure.reference))
        XCTAssertEqual(result.pictures, 3)
        XCTAssertEqual(result.summary, ["swd": result.swd.average, "swd_floor": result.swdFloor.average,
                                        "colour": result.colour.mean, "colour_floor": result.colourFloor.mean])
    }

    func testTheReferenceItselfHasNoColourDistanceAndBeatsOtherPictures() throws {
        let measure = try QualityMeasure(real: sampleImages(8, size: 32, seed: 3), seed: 1)
        let itself = try measure.measure(measure.reference), other = try measure.measure(sampleImages(4, size: 32, seed: 9))
        XCTAssertEqual(itself.colour.mean, 0)
        XCTAssertLessThan(itself.swd.average, other.swd.average)
    }

    func testFewerThanTwoRealPicturesCannotBeMeasured() {
        XCTAssertThrowsError(try QualityMeasure(real: [], seed: 1)) { XCTAssertEqual($0 as? EvaluationError, .emptySet(set: "first")) }
        XCTAssertThrowsError(try QualityMeasure(real: sampleImages(1, size: 32, seed: 1), seed: 1)) {
            XCTAssertEqual($0 as? EvaluationError, .emptySet(set: "second"))
        }
    }
}
