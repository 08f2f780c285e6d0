import XCTest
@testable import Imaging

/// Reference values from the CIE formulas with the D65 white (Bruce Lindbloom's calculator, sRGB, D65).
final class ColourTests: XCTestCase {
    let published: [(RGB, (Float, Float, Float))] = [
        (RGB(1, 1, 1), (100, 0, 0)),
        (RGB(0, 0, 0), (0, 0, 0)),
        (RGB(1, 0, 0), (53.24, 80.09, 67.20)),
        (RGB(0, 1, 0), (87.73, -86.18, 83.18)),
        (RGB(0, 0, 1), (32.30, 79.19, -107.86)),
        (RGB(0.5, 0.5, 0.5), (53.39, 0, 0)),
        (RGB(hex: 0x1B3A5C), (23.78, 0.95, -23.70)),
    ]

    func testSRGBToLabMatchesPublishedValues() {
        for (rgb, expected) in published {
            let lab = Lab(rgb)
            XCTAssertEqual(lab.l, expected.0, accuracy: 0.02, "L of \(rgb.hex)")
            XCTAssertEqual(lab.a, expected.1, accuracy: 0.02, "a of \(rgb.hex)")
            XCTAssertEqual(lab.b, expected.2, accuracy: 0.02, "b of \(rgb.hex)")
        }
    }

    func testLabToSRGBInvertsThePublishedValues() {
        for (rgb, expected) in published {
            let back = Lab(l: expected.0, a: expected.1, b: expected.2).rgb
            XCTAssertEqual(back.r, rgb.r, accuracy: 0.002, "r of \(rgb.hex)")
            XCTAssertEqual(back.g, rgb.g, accuracy: 0.002, "g of \(rgb.hex)")
            XCTAssertEqual(back.b, rgb.b, accuracy: 0.002, "b of \(rgb.hex)")
        }
    }

    /// Every 8-bit grey and a lattice of colours come back within a hundredth of an 8-bit step.
    func testRoundTripThroughLab() {
        var worst: Float = 0
        for r in stride(from: 0, through: 255, by: 17) {
            for g in stride(from: 0, through: 255, by: 17) {
                for b in stride(from: 0, through: 255, by: 17) {
                    let rgb = RGB(Float(r) / 255, Float(g) / 255, Float(b) / 255)
                    let back = Lab(rgb).rgb
                    worst = max(worst, abs(back.r - rgb.r), abs(back.g - rgb.g), abs(back.b - rgb.b))
                }
            }
        }
        XCTAssertLessThan(worst, 0.01 / 255)
    }

    func testOutOfRangeChannelsAreClampedOnTheWayIn() {
        XCTAssertEqual(Lab(RGB(1.2, -0.1, 0)), Lab(RGB(1, 0, 0)))
    }

    func testHexParsesAndPrints() {
        XCTAssertEqual(RGB(hex: "#1b3a5c"), RGB(hex: 0x1B3A5C))
        XCTAssertEqual(RGB(hex: "E8D9B0")?.hex, "#e8d9b0")
        for bad in ["", "#12345", "#1234567", "#12345g", "red", "##123456"] { XCTAssertNil(RGB(hex: bad), bad) }
        XCTAssertEqual(RGB(2, -1, 0.5).hex, "#ff0080")
    }

    func testCodableAsHexString() throws {
        let data = try JSONEncoder().encode([RGB(hex: 0x1B3A5C)])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"#1b3a5c\"]")
        XCTAssertEqual(try JSONDecoder().decode([RGB].self, from: data), [RGB(hex: 0x1B3A5C)])
        XCTAssertThrowsError(try JSONDecoder().decode([RGB].self, from: Data("[\"#zz0000\"]".utf8)))
    }

    func testDeltaEIsEuclideanInLab() {
        XCTAssertEqual(Lab(l: 50, a: 0, b: 0).distance(to: Lab(l: 53, a: 4, b: 0)), 5, accuracy: 1e-6)
    }
}
