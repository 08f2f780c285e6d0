import Foundation
import Generation
import Imaging
import XCTest

final class ParallelPNGTests: XCTestCase {
    /// Pictures of different sizes and contents, so the cores' shares take different times.
    private func pictures(_ count: Int) -> [Image] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { index in
            let side = 8 + 5 * (index % 4)
            let pixels = (0..<(3 * side * side)).map { _ -> Float in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return index % 3 == 0 ? Float(index) / Float(count) : Float(state >> 40) / Float(1 << 24)
            }
            return Image(width: side, height: side, pixels: pixels)
        }
    }

    func testEncodesTheSameBytesInOrderAsOneByOne() throws {
        let pictures = pictures(11)
        XCTAssertEqual(try Image.pngData(of: pictures), try pictures.map { try $0.pngData() })
        XCTAssertEqual(try Image.pngData(of: []), [])
    }

    func testWritesEachPictureToItsFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parallel-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pictures = pictures(5)
        let files = pictures.indices.map { folder.appendingPathComponent("\($0).png") }
        try Image.write(pngs: pictures, to: files)
        for (picture, file) in zip(pictures, files) {
            XCTAssertEqual([UInt8](try Data(contentsOf: file)), try picture.pngData())
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).count, 5, "no temporary files left")
    }

    func testThrowsTheErrorOfAPictureThatFails() throws {
        // libpng refuses a picture without pixels: the same error on all cores as one by one.
        var pictures = pictures(6)
        pictures[4] = Image(width: 0, height: 0, pixels: [])
        var expected: (any Error)?
        XCTAssertThrowsError(try pictures[4].pngData()) { expected = $0 }
        XCTAssertThrowsError(try Image.pngData(of: pictures)) { error in
            XCTAssertEqual("\(error)", "\(expected!)")
        }
    }
}
