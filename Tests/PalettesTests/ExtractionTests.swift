import Imaging
import XCTest
@testable import Palettes

final class ExtractionTests: XCTestCase {
    let blockColours = [RGB(hex: 0x1B3A5C), RGB(hex: 0xE8D9B0), RGB(hex: 0xB33A2E), RGB(hex: 0x5E8C4A)]

    /// Vertical blocks covering 40/30/20/10 % of a 100×80 picture (more pixels than samples).
    func blocks() -> Image {
        var image = Image(width: 100, height: 80)
        for (colour, (x, width)) in zip(blockColours, [(0, 40), (40, 30), (70, 20), (90, 10)]) {
            image.fill(x: x, y: 0, width: width, height: 80, colour: colour)
        }
        return image
    }

    func testRecoversBlockColoursAndAreas() throws {
        let palette = try Palette(extractingFrom: [blocks()], count: 4, seed: 3)
        XCTAssertEqual(palette.count, 4)
        for (index, (expected, share)) in zip(blockColours, [Float(0.4), 0.3, 0.2, 0.1]).enumerated() {
            XCTAssertLessThan(Lab(palette.colours[index]).distance(to: Lab(expected)), 1, "colour \(index)")
            XCTAssertEqual(palette.weights[index], share, accuracy: 0.01, "share of colour \(index)")
        }
    }

    func testSamplesAcrossPicturesInProportionToTheirPixels() throws {
        let (dark, light) = (Image(width: 30, height: 30, fill: blockColours[0]), Image(width: 60, height: 30, fill: blockColours[1]))
        let palette = try Palette(extractingFrom: [dark, light], count: 2, samples: 600)
        XCTAssertEqual(palette.colours, [blockColours[1], blockColours[0]])
        XCTAssertEqual(palette.weights[0], 2 / 3, accuracy: 0.01)
    }

    func testFewerDistinctColoursThanAskedGiveFewerColours() throws {
        var image = Image(width: 10, height: 10, fill: blockColours[0])
        image.fill(x: 0, y: 0, width: 3, height: 10, colour: blockColours[2])
        let palette = try Palette(extractingFrom: [image], count: 6)
        XCTAssertEqual(palette.colours, [blockColours[0], blockColours[2]])
        XCTAssertEqual(palette.weights, [0.7, 0.3])
    }

    func testSameInputSamePaletteAndBadRequestsThrow() throws {
        let pictures = [scene(hue: 0.1, seed: 1), scene(hue: 0.5, seed: 2)]
        XCTAssertEqual(try Palette(extractingFrom: pictures, count: 6, seed: 9), try Palette(extractingFrom: pictures, count: 6, seed: 9))
        XCTAssertThrowsError(try Palette(extractingFrom: [], count: 4)) { XCTAssertEqual($0 as? PaletteError, .noImages) }
        XCTAssertThrowsError(try Palette(extractingFrom: pictures, count: 1)) { XCTAssertEqual($0 as? PaletteError, .tooFewClusters(requested: 1)) }
        XCTAssertThrowsError(try Palette(extractingFrom: [Image(width: 4, height: 4, fill: .white)], count: 3)) {
            XCTAssertEqual($0 as? PaletteError, .tooFewColours(count: 1))
        }
    }
}
