import XCTest
import Imaging
@testable import Evaluation

/// Reference values from the CIE formulas with the D65 white (as in colormine.org / Bruce Lindbloom's calculator).
final class LabTests: XCTestCase {
    func check(_ colour: Image.Colour, _ expected: (Float, Float, Float), line: UInt = #line) {
        let lab = LabColour(sRGB: colour)
        XCTAssertEqual(lab.l, expected.0, accuracy: 0.01, "L", line: line)
        XCTAssertEqual(lab.a, expected.1, accuracy: 0.01, "a", line: line)
        XCTAssertEqual(lab.b, expected.2, accuracy: 0.01, "b", line: line)
    }

    func testPrimariesAndNeutralsMatchPublishedValues() {
        check((1, 1, 1), (100, 0, 0))
        check((0, 0, 0), (0, 0, 0))
        check((1, 0, 0), (53.24, 80.09, 67.20))
        check((0, 1, 0), (87.73, -86.18, 83.18))
        check((0, 0, 1), (32.30, 79.19, -107.86))
        check((0.5, 0.5, 0.5), (53.39, 0, 0))
    }

    func testOutOfRangeChannelsAreClamped() {
        XCTAssertEqual(LabColour(sRGB: (1.2, -0.1, 0)), LabColour(sRGB: (1, 0, 0)))
    }
}
