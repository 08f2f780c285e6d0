import Imaging
import XCTest

final class RegionTests: XCTestCase {
    /// Pixel value 100·c + 10·y + x, so every position is readable from its value.
    private func labelled(width: Int, height: Int) -> Image {
        var image = Image(width: width, height: height)
        for c in 0..<3 { for y in 0..<height { for x in 0..<width { image[c, y, x] = Float(100 * c + 10 * y + x) } } }
        return image
    }

    func testCentreCropOfAWidePicture() {
        let square = labelled(width: 5, height: 3).centreCroppedSquare()
        XCTAssertEqual(square.width, 3)
        XCTAssertEqual(square.pixels[0..<9].map { $0 }, [1, 2, 3, 11, 12, 13, 21, 22, 23])
        XCTAssertEqual(square[2, 2, 2], 223)
    }

    func testCentreCropOfATallPicture() {
        let square = labelled(width: 2, height: 5).centreCroppedSquare()
        XCTAssertEqual(square.pixels[0..<4].map { $0 }, [10, 11, 20, 21])
    }

    func testPaddedSquareCentresThePicture() {
        let square = labelled(width: 2, height: 4).paddedSquare(fill: RGB(-1, -2, -3))
        XCTAssertEqual(square.width, 4)
        XCTAssertEqual(square.pixels[0..<16].map { $0 }, [-1, 0, 1, -1, -1, 10, 11, -1, -1, 20, 21, -1, -1, 30, 31, -1])
        XCTAssertEqual(square[2, 0, 0], -3)
        XCTAssertEqual(square[2, 3, 2], 231)
    }

    func testFlipMirrorsEveryRow() {
        let flipped = labelled(width: 3, height: 2).flippedHorizontally()
        XCTAssertEqual(flipped.pixels, [2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110, 202, 201, 200, 212, 211, 210])
        XCTAssertEqual(flipped.flippedHorizontally(), labelled(width: 3, height: 2))
    }

    func testCropAndPasteAreInverse() {
        let image = labelled(width: 6, height: 5)
        let piece = image.cropped(x: 2, y: 1, width: 3, height: 2)
        XCTAssertEqual(piece.pixels[0..<6].map { $0 }, [12, 13, 14, 22, 23, 24])
        var canvas = Image(width: 6, height: 5)
        canvas.paste(piece, x: 2, y: 1)
        XCTAssertEqual(canvas[1, 2, 4], 124)
        XCTAssertEqual(canvas[1, 0, 4], 0)
    }
}
