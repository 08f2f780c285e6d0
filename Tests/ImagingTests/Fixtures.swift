import Foundation
import Imaging
import XCTest

/// The files made by Fixtures/make_fixtures.py and the pixels it says they decode to.
enum Fixtures {
    struct Expected: Decodable {
        let width: Int
        let height: Int
        /// [3, height, width]; floats in [0, 1] for PNG, 8-bit values for JPEG.
        let pixels: [Float]
    }

    struct Manifest: Decodable {
        let background: [Float]
        let png: [String: Expected]
        let jpeg: [String: Expected]
    }

    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static let manifest: Manifest = {
        let data = try! Data(contentsOf: url("expected.json"))
        return try! JSONDecoder().decode(Manifest.self, from: data)
    }()

    /// The background make_fixtures.py composited over.
    static var background: RGB {
        RGB(manifest.background[0], manifest.background[1], manifest.background[2])
    }
}

/// Largest absolute difference between two equal-length value lists.
func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "compared lists differ in length: \(a.count) vs \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Runs `body`, expecting an `ImageError`, and returns it.
func imageError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> ImageError? {
    do {
        try body()
        XCTFail("expected an ImageError, got success", file: file, line: line)
    } catch let error as ImageError {
        return error
    } catch {
        XCTFail("expected an ImageError, got \(error)", file: file, line: line)
    }
    return nil
}
