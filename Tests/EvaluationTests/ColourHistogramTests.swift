import Imaging
import XCTest
@testable import Evaluation

final class ColourHistogramTests: XCTestCase {
    func testIdenticalSetsAreAtZero() throws {
        let images = sampleImages(4, size: 16, seed: 1)
        XCTAssertEqual(try ColourHistogramDistance().distance(images, images), .init(l: 0, a: 0, b: 0))
    }

    /// Two flat greys: all mass moves from one L bin to another, so the L distance is the bin gap.
    func testFlatGreysAreTheirLightnessGapApart() throws {
        let dark = Image(width: 8, height: 8, fill: RGB(0.2, 0.2, 0.2)), light = Image(width: 8, height: 8, fill: RGB(0.6, 0.6, 0.6))
        let gap = (Lab(RGB(0.6, 0.6, 0.6)).l.rounded(.down) - Lab(RGB(0.2, 0.2, 0.2)).l.rounded(.down))
        let report = try ColourHistogramDistance().distance([dark, dark], [light])
        XCTAssertEqual(report.l, Double(gap), accuracy: 1e-9)
        XCTAssertEqual(report.a, 0, accuracy: 1e-9)
        XCTAssertEqual(report.b, 0, accuracy: 1e-9)
        XCTAssertEqual(gap, 42, "L 21.24 → 63.22")
    }

    func testAColourCastIsMeasuredOnTheRightAxis() throws {
        let images = sampleImages(4, size: 16, seed: 2)
        let report = try ColourHistogramDistance().distance(images, images.map { shifted($0, red: 0.15) })
        XCTAssertGreaterThan(report.a, 5, "more red moves a toward +")
        XCTAssertGreaterThan(report.a, report.l)
    }

    func testMismatchedSetsThrow() {
        let small = Image(width: 8, height: 8), other = Image(width: 9, height: 8)
        XCTAssertThrowsError(try ColourHistogramDistance().distance([], [small])) {
            XCTAssertEqual($0 as? EvaluationError, .emptySet(set: "first"))
        }
        XCTAssertThrowsError(try ColourHistogramDistance().distance([small], [small, other])) {
            XCTAssertEqual($0 as? EvaluationError, .sizeMismatch(set: "second", index: 1, width: 9, height: 8,
                                                                 expectedWidth: 8, expectedHeight: 8))
        }
    }
}
