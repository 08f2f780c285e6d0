import Foundation
import Imaging
import XCTest

final class EncodingTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ImagingTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    /// Values on the 8-bit grid, so a PNG round trip must be exact.
    private func levels(width: Int, height: Int) -> Image {
        Image(width: width, height: height, pixels: (0..<(3 * width * height)).map { Float(($0 * 37) % 256) / 255 })
    }

    func testPNGRoundTripIsExact() throws {
        let image = levels(width: 9, height: 6)
        let url = folder.appendingPathComponent("round.png")
        try image.write(png: url)
        XCTAssertEqual(try Image(contentsOf: url), image)
        XCTAssertEqual(try Image(decoding: try image.pngData()), image)
    }

    /// Encoding rounds to the nearest level and clamps; NaN becomes black rather than a crash.
    func testPNGEncodingRoundsAndClamps() throws {
        let image = Image(width: 5, height: 1, pixels: [-0.5, 0.5, 1.5, .nan, 0.1] + [Float](repeating: 0, count: 10))
        let decoded = try Image(decoding: try image.pngData())
        XCTAssertEqual(Array(decoded.pixels[0..<5]), [0, 128, 255, 0, 26].map { Float($0) / 255 })
    }

    /// A smooth picture survives JPEG at quality 95 within a level or so on average (chroma subsampling
    /// costs more at single pixels); quality 20 is visibly worse.
    func testJPEGRoundTripIsClose() throws {
        let (width, height) = (32, 24)
        var image = Image(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                image[0, y, x] = Float(x) / Float(width - 1)
                image[1, y, x] = Float(y) / Float(height - 1)
                image[2, y, x] = 0.5
            }
        }
        let url = folder.appendingPathComponent("round.jpg")
        try image.write(jpeg: url, quality: 95)
        let good = try Image(contentsOf: url)
        let poor = try Image(decoding: try image.jpegData(quality: 20))
        XCTAssertLessThan(meanDifference(good, image), 1.5 / 255)
        XCTAssertLessThan(maxDifference(good.pixels, image.pixels), 10 / 255)
        XCTAssertGreaterThan(meanDifference(poor, image), meanDifference(good, image))
    }

    private func meanDifference(_ a: Image, _ b: Image) -> Float {
        zip(a.pixels, b.pixels).map { abs($0 - $1) }.reduce(0, +) / Float(a.pixels.count)
    }

    func testWriteReplacesAndLeavesNoTemporaryFile() throws {
        let url = folder.appendingPathComponent("sample.png")
        try Image(width: 3, height: 3, fill: RGB(1, 0, 0)).write(png: url)
        try Image(width: 4, height: 2, fill: RGB(0, 0, 1)).write(png: url)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["sample.png"])
        XCTAssertEqual(try Image(contentsOf: url), Image(width: 4, height: 2, fill: RGB(0, 0, 1)))
    }

    func testWritingIntoAMissingFolderIsUnwritable() {
        let url = folder.appendingPathComponent("missing/sample.png")
        let error = imageError { try Image(width: 2, height: 2).write(png: url) }
        XCTAssertEqual(error?.file, url.path)
        XCTAssertEqual(error?.reason, .unwritable("No such file or directory"))
    }
}
