import Imaging
import XCTest

final class MagnifyTests: XCTestCase {
    /// Every output pixel (c, y, x) is the source pixel (c, y / f, x / f): checked against that definition.
    func testEachPixelBecomesABlock() {
        var image = Image(width: 3, height: 2)
        for c in 0..<3 { for y in 0..<2 { for x in 0..<3 { image[c, y, x] = Float(100 * c + 10 * y + x) } } }
        for factor in [1, 2, 3] {
            let big = image.magnified(by: factor)
            XCTAssertEqual([big.width, big.height], [3 * factor, 2 * factor])
            for c in 0..<3 {
                for y in 0..<big.height {
                    for x in 0..<big.width { XCTAssertEqual(big[c, y, x], image[c, y / factor, x / factor]) }
                }
            }
        }
    }
}
