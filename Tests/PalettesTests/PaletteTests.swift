import Foundation
import Imaging
import XCTest
@testable import Palettes

final class PaletteTests: XCTestCase {
    func assertThrows(_ expected: PaletteError, message: String, _ make: () throws -> Palette, line: UInt = #line) {
        XCTAssertThrowsError(try make(), line: line) { error in
            XCTAssertEqual(error as? PaletteError, expected, line: line)
            XCTAssertEqual((error as? PaletteError)?.description, message, line: line)
        }
    }

    func testInvalidPalettesThrowWithAMessageSayingWhatToChange() {
        assertThrows(.tooFewColours(count: 1), message: "a palette needs at least two colours, found 1 distinct") {
            try Palette(hex: ["#1b3a5c"])
        }
        assertThrows(.tooFewColours(count: 1), message: "a palette needs at least two colours, found 1 distinct") {
            try Palette(hexList: "#1b3a5c,#1B3A5C")
        }
        assertThrows(.negativeWeight(index: 1, value: -0.5), message: "weight 2 is -0.5; weights must be zero or more") {
            try Palette(colours: [.white, .black], weights: [1, -0.5])
        }
        assertThrows(.zeroTotalWeight, message: "the weights sum to 0; give at least one a positive weight") {
            try Palette(colours: [.white, .black], weights: [0, 0])
        }
        assertThrows(.malformedHex(index: 1, text: "#e8d9b"), message: "colour 2, \"#e8d9b\", is not a colour like #1b3a5c") {
            try Palette(hexList: "#1b3a5c,#e8d9b")
        }
        assertThrows(.nonFiniteColour(index: 0), message: "colour 1 has a channel that is not a finite number") {
            try Palette(colours: [RGB(.nan, 0, 0), .black], weights: [1, 1])
        }
        assertThrows(.nonFiniteWeight(index: 1), message: "weight 2 is not a finite number") {
            try Palette(colours: [.white, .black], weights: [1, .infinity])
        }
        assertThrows(.countMismatch(colours: 2, weights: 1), message: "a palette needs one weight per colour, found 2 colours and 1 weights") {
            try Palette(colours: [.white, .black], weights: [1])
        }
    }

    func testPalettesAreCanonicalWeightsNormalisedAndSortedLargestFirst() throws {
        let palette = try Palette(colours: [RGB(hex: 0x1B3A5C), RGB(hex: 0xE8D9B0), RGB(hex: 0x1B3A5C)], weights: [1, 6, 1])
        XCTAssertEqual(palette.colours.map(\.hex), ["#e8d9b0", "#1b3a5c"])
        XCTAssertEqual(palette.weights, [0.75, 0.25])
        XCTAssertEqual(try Palette(hexList: "#1b3a5c, #e8d9b0"), try Palette(hex: ["#E8D9B0", "1b3a5c"]), "order of equal weights does not matter")
        XCTAssertEqual(try Palette(colours: [RGB(0.5001, 0, 0), .white], weights: [1, 1]).colours[0], RGB(Float(128) / 255, 0, 0),
                       "kept to the 8 bits hex writes")
    }

    func testCodableRoundTripIsExactAndDecodingChecks() throws {
        let palette = try Palette(colours: [RGB(0.3, 0.6, 0.1), RGB(0.9, 0.2, 0.4), .black], weights: [0.5, 0.3, 0.2])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(palette)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), ##"{"colours":["#4d991a","#e63366","#000000"],"weights":[0.5,0.3,0.2]}"##)
        XCTAssertEqual(try JSONDecoder().decode(Palette.self, from: data), palette)
        XCTAssertThrowsError(try JSONDecoder().decode(Palette.self, from: Data(##"{"colours":["#000000"],"weights":[1]}"##.utf8)))
    }
}
