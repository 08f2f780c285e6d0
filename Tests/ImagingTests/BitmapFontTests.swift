import Imaging
import XCTest

final class BitmapFontTests: XCTestCase {
    func testBitmapFontDrawsTheGlyphPixels() {
        var image = Image(width: 20, height: 10, fill: RGB.white)
        BitmapFont.draw("1", into: &image, x: 3, y: 1, colour: .black)
        XCTAssertEqual(image[0, 1, 5], 0, "top of the stem")
        XCTAssertEqual(image[0, 1, 3], 1)
        XCTAssertEqual((3..<8).map { image[0, 7, $0] }, [1, 0, 0, 0, 1], "foot")
        let inked = (0..<200).filter { image.pixels[$0] == 0 }.count
        XCTAssertEqual(inked, 10)
        XCTAssertEqual(BitmapFont.width(of: "AB"), 11)
        XCTAssertEqual(BitmapFont.width(of: "AB", scale: 2), 22)
    }

    /// A missing glyph is a hollow box (5×7 outline: 20 pixels); "ß", whose capital is two letters, too.
    func testCharactersTheFontLacksAreBoxesAndReported() {
        for text in ["ß", "Н", "<"] {
            var image = Image(width: 8, height: 8, fill: .white)
            BitmapFont.draw(text, into: &image, x: 0, y: 0, colour: .black)
            XCTAssertEqual(image.pixels.prefix(64).filter { $0 == 0 }.count, 20, text)
            XCTAssertFalse(BitmapFont.canDraw(text), text)
        }
        XCTAssertTrue(BitmapFont.canDraw("Winter 2025: frost (50%) #1b3a5c"))
        XCTAssertTrue(BitmapFont.canDraw(""))
    }
}
