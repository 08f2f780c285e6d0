import Foundation
import Imaging
import XCTest

final class ImageErrorTests: XCTestCase {
    private func reason(_ name: String, maxPixels: Int = 64_000_000) -> ImageError.Reason? {
        imageError { _ = try Image(contentsOf: Fixtures.url(name), maxPixels: maxPixels) }?.reason
    }

    func testEmptyFile() {
        XCTAssertEqual(reason("empty.png"), .empty)
    }

    func testTruncatedPNG() {
        XCTAssertEqual(reason("truncated.png"), .truncated(.png, detail: "read beyond end of data"))
    }

    func testTruncatedJPEG() {
        XCTAssertEqual(reason("truncated.jpg"), .truncated(.jpeg, detail: "Premature end of JPEG file"))
    }

    func testJPEGCutInsideItsHeaderIsTruncated() throws {
        let head = Array(try Data(contentsOf: Fixtures.url("baseline.jpg")).prefix(100))
        let error = imageError { _ = try Image(decoding: head, name: "head.jpg") }
        XCTAssertEqual(error?.reason, .truncated(.jpeg, detail: "Premature end of JPEG file"))
    }

    func testDataCutInsideTheSignatureIsTruncated() {
        let error = imageError { _ = try Image(decoding: [0x89, 0x50, 0x4E], name: "stub.png") }
        XCTAssertEqual(error?.reason, .truncated(.png, detail: "only 3 bytes"))
    }

    func testTextNamedJPEGIsNotAnImage() {
        XCTAssertEqual(reason("text.jpg"), .notAnImage)
    }

    func testGIFIsNamedAsUnsupported() {
        XCTAssertEqual(reason("photo.gif"), .unsupportedFormat("GIF"))
    }

    func testFormatsWithOffsetSignaturesAreNamed() {
        let webp = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8)
        let heic = [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0]
        XCTAssertEqual(imageError { _ = try Image(decoding: webp) }?.reason, .unsupportedFormat("WebP"))
        XCTAssertEqual(imageError { _ = try Image(decoding: heic) }?.reason, .unsupportedFormat("HEIC"))
        let wave = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8)
        XCTAssertEqual(imageError { _ = try Image(decoding: wave) }?.reason, .notAnImage)
    }

    func testCorruptPNGReportsLibpngsMessage() {
        XCTAssertEqual(reason("corrupt.png"), .decodeFailed(.png, detail: "IDAT: CRC error"))
    }

    /// Both headers claim pictures far beyond the limit; the refusal must come before allocating.
    func testHugeHeadersAreRefusedBeforeDecoding() {
        XCTAssertEqual(reason("huge.png"), .tooLarge(width: 100_000, height: 100_000, limit: 64_000_000))
        XCTAssertEqual(reason("huge.jpg"), .tooLarge(width: 60_000, height: 60_000, limit: 64_000_000))
    }

    func testPixelLimitIsTheCallers() throws {
        XCTAssertEqual(reason("rgb8.png", maxPixels: 34), .tooLarge(width: 7, height: 5, limit: 34))
        XCTAssertEqual(reason("baseline.jpg", maxPixels: 767), .tooLarge(width: 32, height: 24, limit: 767))
        XCTAssertNoThrow(try Image(contentsOf: Fixtures.url("rgb8.png"), maxPixels: 35))
    }

    func testMissingFileAndDirectoryAreUnreadable() {
        XCTAssertEqual(reason("no-such-file.png"), .unreadable("No such file or directory"))
        let error = imageError { _ = try Image(contentsOf: Fixtures.folder) }
        XCTAssertEqual(error?.reason, .unreadable("it is a directory, not a file"))
    }

    func testDescriptionNamesFileAndCause() {
        let error = ImageError(file: "cats/0001.jpg", reason: .truncated(.jpeg, detail: "Premature end of JPEG file"))
        XCTAssertTrue(error.description.hasPrefix("cats/0001.jpg: truncated JPEG data (libjpeg: Premature end of JPEG file)"),
                      error.description)
        let large = ImageError(file: "a.png", reason: .tooLarge(width: 9000, height: 8000, limit: 64_000_000))
        XCTAssertEqual(large.description, "a.png: image is 9000×8000 pixels, more than the limit of 64000000; shrink it or raise the limit")
    }

    /// Every prefix of a valid PNG and JPEG fails cleanly (no crash, hang or exit()), except that
    /// libpng needs no IEND once the pixels are complete; then the picture must be whole.
    func testEveryPrefixOfAValidFileFailsCleanly() throws {
        for name in ["rgba8.png", "progressive.jpg"] {
            let bytes = Array(try Data(contentsOf: Fixtures.url(name)))
            let whole = try Image(decoding: bytes)
            for length in 0..<bytes.count {
                do {
                    let image = try Image(decoding: Array(bytes[0..<length]))
                    XCTAssertEqual(image, whole, "\(name) cut at \(length) decoded to a different picture")
                    XCTAssertGreaterThanOrEqual(length, bytes.count - 12, "\(name) cut at \(length) decoded")
                } catch {
                    XCTAssertTrue(error is ImageError, "\(name) cut at \(length): \(error)")
                }
            }
        }
    }

    /// libjpeg only warns about a scan that repeats coefficients already sent, so a file can hold
    /// millions of scans and decode for minutes; the shim gives up after 1000.
    func testEndlessProgressiveScansAreRefused() throws {
        let bytes = Array(try Data(contentsOf: Fixtures.url("progressive.jpg")))
        let scanStart = try XCTUnwrap((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        let headerEnd = scanStart + 2 + Int(bytes[scanStart + 2]) << 8 + Int(bytes[scanStart + 3])
        let scanEnd = try XCTUnwrap((headerEnd..<(bytes.count - 1)).first {
            bytes[$0] == 0xFF && bytes[$0 + 1] != 0 && !(0xD0...0xD7).contains(bytes[$0 + 1])
        })
        let scan = bytes[scanStart..<scanEnd]
        let endless = Array(bytes[..<scanEnd]) + Array(repeating: scan, count: 1200).joined() + bytes[scanEnd...]
        let start = Date()
        let error = imageError { _ = try Image(decoding: endless) }
        XCTAssertEqual(error?.reason, .decodeFailed(.jpeg, detail: "more than 1000 progressive scans"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    /// Flipped bytes anywhere after the signature either decode or throw, never crash.
    func testCorruptedBytesNeverCrash() throws {
        for name in ["rgb8.png", "baseline.jpg", "progressive.jpg", "cmyk.jpg"] {
            let bytes = Array(try Data(contentsOf: Fixtures.url(name)))
            for position in stride(from: 8, to: bytes.count, by: 3) {
                var damaged = bytes
                damaged[position] ^= 0x5A
                _ = try? Image(decoding: damaged)
            }
        }
    }
}
