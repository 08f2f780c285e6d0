import Imaging
import XCTest
@testable import Evaluation

final class PixelDistanceTests: XCTestCase {
    func testRootMeanSquareOverEveryValueByHand() {
        let black = Image(width: 2, height: 2), grey = Image(width: 2, height: 2, fill: RGB(0.5, 0.5, 0.5))
        let red = Image(width: 2, height: 2, fill: RGB(1, 0, 0))
        XCTAssertEqual(PixelDistance.distance(black, grey), 0.5)
        XCTAssertEqual(PixelDistance.distance(black, red), (1 / Float(3)).squareRoot(), accuracy: 1e-7)
        let matrix = PixelDistance.matrix([black, grey], [black, grey, red])
        for (found, expected) in zip(matrix, [0, 0.5, (1 / Float(3)).squareRoot(), 0.5, 0, 0.5]) {
            XCTAssertEqual(found, expected, accuracy: 1e-3)
        }
    }

    func testTheMatrixAgreesWithThePairLoop() {
        let first = sampleImages(5, size: 32, seed: 4), second = sampleImages(4, size: 32, seed: 6)
        let matrix = PixelDistance.matrix(first, second)
        XCTAssertEqual(matrix.count, 20)
        for i in 0..<5 {
            for j in 0..<4 { XCTAssertEqual(matrix[i * 4 + j], PixelDistance.distance(first[i], second[j]), accuracy: 1e-4, "\(i), \(j)") }
        }
        XCTAssertEqual(PixelDistance.matrix(first, first)[1 * 5 + 1], 0, accuracy: 1e-3, "a picture against itself")
    }
}
