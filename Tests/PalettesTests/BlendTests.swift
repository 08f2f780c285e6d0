import Foundation
import Imaging
import XCTest
@testable import Palettes

final class BlendTests: XCTestCase {
    let first = try! Palette(colours: [RGB(hex: 0x1B3A5C), RGB(hex: 0xE8D9B0), RGB(hex: 0xB33A2E), RGB(hex: 0x5E8C4A)],
                             weights: [0.4, 0.3, 0.2, 0.1])
    let second = try! Palette(colours: [RGB(hex: 0x2E1B5C), RGB(hex: 0xF2EEE6), RGB(hex: 0xD98A1E), RGB(hex: 0x0F5E4A)],
                              weights: [0.35, 0.3, 0.25, 0.1])

    func testEndWeightsGiveTheInputs() throws {
        XCTAssertEqual(try Palette.blend([first, second], weights: [1, 0]), first)
        XCTAssertEqual(try Palette.blend([first, second], weights: [0, 3]), second)
        let small = try Palette(colours: [RGB(hex: 0x202020), RGB(hex: 0xF0F0F0)], weights: [0.6, 0.4])
        XCTAssertEqual(try Palette.blend([first, small], weights: [0, 1]), small, "a smaller palette comes back whole")
        let merged = try Palette.blend([small, first], weights: [0, 1])
        XCTAssertEqual(merged.count, 2, "a larger palette is merged down to the first's count")
        XCTAssertEqual(merged.weights.reduce(0, +), 1, accuracy: 1e-6)
    }

    /// Hue angle in degrees of the a, b plane.
    func hue(_ lab: Lab) -> Float { atan2(lab.b, lab.a) * 180 / .pi }

    /// Dark and light blues against dark and light reds (as 8-bit colours, so taken from the palettes):
    /// each blended colour is the Lab midpoint of its pair and its hue lies between theirs.
    func testBlendOfTwoSingleHuePalettesLandsBetween() throws {
        let blues = try Palette(colours: [Lab(l: 30, a: 5, b: -35).rgb, Lab(l: 70, a: 0, b: -25).rgb], weights: [0.7, 0.3])
        let reds = try Palette(colours: [Lab(l: 40, a: 40, b: 10).rgb, Lab(l: 80, a: 25, b: 5).rgb], weights: [0.5, 0.5])
        let mix = try Palette.blend([blues, reds], weights: [1, 1])
        XCTAssertEqual(mix.weights, [0.6, 0.4])
        for slot in 0..<2 {
            let (blue, red, blended) = (blues.labs[slot], reds.labs[slot], mix.labs[slot])
            let midpoint = Lab(l: (blue.l + red.l) / 2, a: (blue.a + red.a) / 2, b: (blue.b + red.b) / 2)
            XCTAssertLessThan(blended.distance(to: midpoint), 0.6, "slot \(slot): within 8-bit rounding of the midpoint")
            XCTAssertGreaterThan(hue(blended), hue(blue) + 20, "slot \(slot)")
            XCTAssertLessThan(hue(blended), hue(red) - 20, "slot \(slot)")
        }
    }

    func testBadBlendWeightsThrow() {
        XCTAssertThrowsError(try Palette.blend([first, second], weights: [1, -1])) {
            XCTAssertEqual($0 as? PaletteError, .negativeWeight(index: 1, value: -1))
        }
        XCTAssertThrowsError(try Palette.blend([first, second], weights: [0, 0])) { XCTAssertEqual($0 as? PaletteError, .zeroTotalWeight) }
        XCTAssertThrowsError(try Palette.blend([first, second], weights: [1])) {
            XCTAssertEqual($0 as? PaletteError, .blendCountMismatch(palettes: 2, weights: 1))
        }
    }
}
