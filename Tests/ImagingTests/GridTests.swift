import Imaging
import XCTest

final class GridTests: XCTestCase {
    /// Five 3×2 tiles, three to a row, padding 2: 3·3 + 4·2 = 17 wide, 2·2 + 3·2 = 10 high.
    func testTilesLandAtTheirPositions() {
        let tiles = (0..<5).map { Image(width: 3, height: 2, fill: RGB(Float($0 + 1) / 10, 0, 0)) }
        let sheet = Image.grid(tiles, columns: 3, padding: 2, background: RGB(1, 1, 1))
        XCTAssertEqual(sheet.width, 17)
        XCTAssertEqual(sheet.height, 10)
        for (index, origin) in [(2, 2), (7, 2), (12, 2), (2, 6), (7, 6)].enumerated() {
            let (x, y) = origin
            XCTAssertEqual(sheet[0, y, x], Float(index + 1) / 10, "tile \(index) top-left")
            XCTAssertEqual(sheet[0, y + 1, x + 2], Float(index + 1) / 10, "tile \(index) bottom-right")
            XCTAssertEqual(sheet[0, y - 1, x], 1, "padding above tile \(index)")
            XCTAssertEqual(sheet[0, y, x - 1], 1, "padding left of tile \(index)")
        }
        XCTAssertEqual(sheet[0, 6, 12], 1, "the missing sixth tile is background")
        XCTAssertEqual(sheet[1, 9, 16], 1)
    }

    func testFewerImagesThanColumnsNarrowTheSheet() {
        let sheet = Image.grid([Image(width: 4, height: 4), Image(width: 4, height: 4)], columns: 8, padding: 1)
        XCTAssertEqual(sheet.width, 11)
        XCTAssertEqual(sheet.height, 6)
    }
}
