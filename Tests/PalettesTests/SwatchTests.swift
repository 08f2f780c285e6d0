import Imaging
import XCTest
@testable import Palettes

final class SwatchTests: XCTestCase {
    let palette = try! Palette(colours: [RGB(hex: 0x1B3A5C), RGB(hex: 0xE8D9B0), RGB(hex: 0xB33A2E)], weights: [0.5, 0.3, 0.2])

    func colour(_ image: Image, _ x: Int, _ y: Int) -> RGB { RGB(image[0, y, x], image[1, y, x], image[2, y, x]) }

    /// Boundaries at 0.5·512 = 256 and 0.8·512 = 409.6 → 410; checked off the labels, in the top rows.
    func testBarWidthsFollowWeights() {
        let swatch = palette.swatch()
        XCTAssertEqual([swatch.width, swatch.height], [512, 96])
        for (x, expected) in [(0, 0), (255, 0), (256, 1), (409, 1), (410, 2), (511, 2)] {
            XCTAssertEqual(colour(swatch, x, 2), palette.colours[expected], "x = \(x)")
        }
    }

    /// A dark bar is labelled in white and a light one in black, 2× and centred: the hex's "#" starts
    /// at the bar's centre minus half the label's width.
    func testLabelsContrastWithTheirBars() {
        let swatch = palette.swatch()
        let labelWidth = BitmapFont.width(of: "#1b3a5c", scale: 2), top = (96 - 14) / 2
        let left = (256 - labelWidth) / 2
        let inked = (top..<(top + 14)).flatMap { y in (left..<(left + labelWidth)).map { colour(swatch, $0, y) } }
        XCTAssertTrue(inked.contains(.white))
        XCTAssertFalse(inked.contains(.black))
        let lightInk = (top..<(top + 14)).flatMap { y in (256..<410).map { colour(swatch, $0, y) } }
        XCTAssertTrue(lightInk.contains(.black))
    }

    func testTallStripStacksBarsDownwards() {
        let strip = palette.strip(width: 8, height: 100)
        XCTAssertEqual(colour(strip, 4, 49), palette.colours[0])
        XCTAssertEqual(colour(strip, 4, 50), palette.colours[1])
        XCTAssertEqual(colour(strip, 4, 80), palette.colours[2])
    }
}
