import Foundation
import Imaging
import XCTest

final class DecodingTests: XCTestCase {
    /// Every PNG colour type and depth, composited over a non-white background, against the
    /// fixture script's values (which Pillow confirmed for the 8-bit kinds).
    func testEveryPNGKindDecodesToTheReferencePixels() throws {
        XCTAssertEqual(Fixtures.manifest.png.count, 12)
        for (name, expected) in Fixtures.manifest.png.sorted(by: { $0.key < $1.key }) {
            let image = try Image(contentsOf: Fixtures.url(name), background: Fixtures.background)
            XCTAssertEqual(image.width, expected.width, name)
            XCTAssertEqual(image.height, expected.height, name)
            let difference = maxDifference(image.pixels, expected.pixels)
            XCTAssertLessThan(difference, 1e-6, "\(name): max difference \(difference)")
        }
    }

    /// Baseline, progressive, greyscale and Adobe CMYK against Pillow's decode of the same bytes;
    /// two decoders may round IDCT and upsampling differently by a level or two.
    func testEveryJPEGKindDecodesCloseToPillow() throws {
        XCTAssertEqual(Fixtures.manifest.jpeg.count, 4)
        for (name, expected) in Fixtures.manifest.jpeg.sorted(by: { $0.key < $1.key }) {
            let image = try Image(contentsOf: Fixtures.url(name))
            XCTAssertEqual(image.width, expected.width, name)
            XCTAssertEqual(image.height, expected.height, name)
            let difference = maxDifference(image.pixels.map { $0 * 255 }, expected.pixels)
            XCTAssertLessThanOrEqual(difference, 2.001, "\(name): max difference \(difference) levels")
        }
    }

    func testGreyJPEGExpandsToEqualChannels() throws {
        let image = try Image(contentsOf: Fixtures.url("grey.jpg"))
        let plane = image.width * image.height
        XCTAssertEqual(Array(image.pixels[0..<plane]), Array(image.pixels[plane..<(2 * plane)]))
        XCTAssertEqual(Array(image.pixels[0..<plane]), Array(image.pixels[(2 * plane)...]))
    }

    func testContentNotExtensionDecidesTheFormat() throws {
        let named = try Image(contentsOf: Fixtures.url("png-named.jpg"))
        let png = try Image(contentsOf: Fixtures.url("rgb8.png"))
        XCTAssertEqual(named, png)
    }

    /// A fully transparent pixel is the background, an opaque one its own colour, a half one the mean.
    func testAlphaIsCompositedOverTheChosenBackground() throws {
        let bytes = try Data(contentsOf: Fixtures.url("greyalpha8.png"))
        let white = try Image(decoding: bytes)
        let black = try Image(decoding: bytes, background: RGB(0, 0, 0))
        let grey: [Float] = [3, 10, 17].map { $0 / 255 }
        XCTAssertEqual(white[0, 0, 0], 1)
        XCTAssertEqual(black[0, 0, 0], 0)
        XCTAssertEqual(white[1, 0, 1], grey[1], accuracy: 1e-7)
        XCTAssertEqual(black[1, 0, 1], grey[1], accuracy: 1e-7)
        let alpha: Float = 128 / 255
        XCTAssertEqual(white[2, 0, 2], alpha * grey[2] + (1 - alpha), accuracy: 1e-6)
        XCTAssertEqual(black[2, 0, 2], alpha * grey[2], accuracy: 1e-6)
    }
}
