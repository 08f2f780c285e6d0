import Imaging
import XCTest
@testable import Evaluation

final class QualityMeasureTests: XCTestCase {
    func testSplitsRealIntoShuffledHalvesAndMeasuresLikeTheMeasuresThemselves() throws {
        let real = sampleImages(9, size: 32, seed: 2), generated = sampleImages(3, size: 32, seed: 8)
        let measure = try QualityMeasure(real: real, seed: 5)
        let (reference, held) = QualityMeasure.split(real, seed: 5)
        XCTAssertEqual(measure.reference, reference)
        XCTAssertEqual([reference.count, held.count], [4, 4], "9 pictures: halves of 4, one left out")
        XCTAssertEqual(Set((reference + held).map { real.firstIndex(of: $0)! }).count, 8, "disjoint halves of the real pictures")
        XCTAssertNotEqual(reference, Array(real[0..<4]), "not the first half in order")
        let result = try measure.measure(generated)
        XCTAssertEqual(result.swd, try SlicedWasserstein().distance(generated, reference, seed: 5))
        XCTAssertEqual(result.swdFloor, try SlicedWasserstein().distance(held, reference, seed: 5))
        XCTAssertEqual(result.colour, try ColourHistogramDistance().distance(generated, reference))
        XCTAssertEqual(result.colourFloor, try ColourHistogramDistance().distance(held, reference))
        XCTAssertEqual(result.variety, try VarietyRatio(real: reference).measure(generated))
        XCTAssertEqual(result.varietyFloor, try VarietyRatio(real: reference).measure(held))
        XCTAssertEqual(result.memorisation, try Memorisation(real: reference).measure(generated))
        XCTAssertEqual(result.memorisationFloor, try Memorisation(real: reference).measure(held))
        XCTAssertEqual(result.pictures, 3)
        XCTAssertEqual(result.summary, [
            "swd": result.swd.average, "swd_floor": result.swdFloor.average,
            "colour": result.colour.mean, "colour_floor": result.colourFloor.mean,
            "variety_16": result.variety.levels[0].ratio, "variety_16_floor": result.varietyFloor.levels[0].ratio,
            "variety_32": result.variety.levels[1].ratio, "variety_32_floor": result.varietyFloor.levels[1].ratio,
            "copies": Double(result.memorisation.copies), "copies_floor": Double(result.memorisationFloor.copies),
        ])
    }

    func testTheSplitIsAFunctionOfTheSeed() {
        let real = sampleImages(10, size: 16, seed: 4)
        XCTAssertEqual(QualityMeasure.split(real, seed: 3).reference, QualityMeasure.split(real, seed: 3).reference)
        XCTAssertNotEqual(QualityMeasure.split(real, seed: 3).reference, QualityMeasure.split(real, seed: 4).reference)
    }

    /// A folder sorted by name often runs from one place or season to another: here the first half is
    /// red and the second blue. Halves in file order would put all red on one side and give a floor
    /// no generator needs to reach; shuffled halves are alike.
    func testTheFloorOfDataWhoseFirstHalfDiffersFromItsSecondIsSmall() throws {
        let real = sampleImages(32, size: 16, seed: 6).enumerated().map { index, image in tinted(image, red: index < 16) }
        let inOrder = try SlicedWasserstein().distance(Array(real[16..<32]), Array(real[0..<16]), seed: 1)
        let colourInOrder = try ColourHistogramDistance().distance(Array(real[16..<32]), Array(real[0..<16]))
        let measure = try QualityMeasure(real: real, seed: 1)
        XCTAssertLessThan(measure.swdFloor.average, inOrder.average / 3, "shuffled \(measure.swdFloor.average), in order \(inOrder.average)")
        XCTAssertLessThan(measure.colourFloor.mean, colourInOrder.mean / 3)
        let redInReference = measure.reference.filter { $0.pixels[0..<256].reduce(0, +) > $0.pixels[512..<768].reduce(0, +) }.count
        XCTAssertTrue((4...12).contains(redInReference), "\(redInReference) of 16 red: both colours in the reference")
    }

    func testFewerThanFourRealPicturesCannotBeMeasured() {
        for count in [0, 1, 3] {
            XCTAssertThrowsError(try QualityMeasure(real: sampleImages(count, size: 32, seed: 1), seed: 1)) {
                XCTAssertEqual($0 as? EvaluationError, .tooFew(set: "real", count: count, minimum: 4))
            }
        }
    }
}

/// `image` with its red (or blue) channel raised by 0.4 and the other two lowered, clamped to [0, 1].
func tinted(_ image: Image, red: Bool) -> Image {
    var out = image
    let plane = image.width * image.height
    for c in 0..<3 {
        let change: Float = c == (red ? 0 : 2) ? 0.4 : -0.3
        for i in (c * plane)..<((c + 1) * plane) { out.pixels[i] = min(1, max(0, out.pixels[i] + change)) }
    }
    return out
}
