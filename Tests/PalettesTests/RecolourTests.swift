import Engine
import Imaging
import XCTest
@testable import Palettes

final class RecolourTests: XCTestCase {
    let autumn = try! Palette(hexList: "#7a2e12,#c8561c,#e09a3a,#f2d27a,#5b3a1e,#9c8b4a")
    let pictures = [scene(hue: 0.55, seed: 1), scene(hue: 0.7, seed: 2), scene(hue: 0.3, seed: 3)]

    func recolourers(from source: Palette, to target: Palette) -> [(RecolourMethod, any Recolouring)] {
        RecolourMethod.allCases.map { ($0, $0.recolourer(from: source, to: target)) }
    }

    func testStrengthZeroReturnsThePictureBitForBit() throws {
        let source = try Palette(extractingFrom: pictures, count: 6)
        for (method, recolourer) in recolourers(from: source, to: autumn) {
            XCTAssertEqual(recolourer.recoloured(pictures[0], strength: 0), pictures[0], "\(method)")
            let half = recolourer.recoloured(pictures[0], strength: 0.5), full = recolourer.recoloured(pictures[0])
            XCTAssertEqual(half.pixels[100], (pictures[0].pixels[100] + full.pixels[100]) / 2, accuracy: 1e-6, "\(method): mixed in sRGB")
        }
    }

    /// Own palette as target: the palette method's transfer is the identity up to the grid's
    /// lookup; transport still pulls every pixel toward six spread-out colours, so it moves more.
    func testOwnPaletteMovesThePictureLittle() throws {
        for picture in pictures {
            let own = try Palette(extractingFrom: [picture], count: 6)
            for (method, recolourer) in recolourers(from: own, to: own) {
                let measure = try RecolourMeasure(originals: [picture], results: [recolourer.recoloured(picture)], target: own)
                XCTAssertLessThan(measure.meanDeltaE, method == .palette ? 0.5 : 5, "\(method)")
                XCTAssertGreaterThan(measure.lightnessCorrelation, 0.97, "\(method)")
            }
        }
    }

    /// Blue, violet and green scenes toward autumn: the Lab histogram distance to the palette falls
    /// by at least half while lightness keeps a correlation above 0.9.
    func testAnotherPaletteMovesTheHistogramTowardItAndKeepsLightness() throws {
        for method in RecolourMethod.allCases {
            let results = try pictures.map { try method.recoloured($0, toward: autumn) }
            let measure = try RecolourMeasure(originals: pictures, results: results, target: autumn)
            XCTAssertGreaterThan(measure.distanceFall, 0.5, "\(method)")
            XCTAssertGreaterThan(measure.lightnessCorrelation, 0.9, "\(method)")
        }
    }

    /// The shipped generators' panel-blocks pictures toward the ornaments theme's palette.
    func testGeneratedPicturesTowardAnotherTheme() throws {
        let (blocks, ornaments) = (generatedPictures("panel-blocks"), generatedPictures("new-year-ornaments"))
        try XCTSkipIf(blocks.isEmpty || ornaments.isEmpty, "no generated pictures in /tmp/before/gen")
        let target = try Palette(extractingFrom: ornaments, count: 6)
        for method in RecolourMethod.allCases {
            let results = try blocks.map { try method.recoloured($0, toward: target) }
            let measure = try RecolourMeasure(originals: blocks, results: results, target: target)
            XCTAssertGreaterThan(measure.distanceFall, 0.25, "\(method)")
            XCTAssertGreaterThan(measure.lightnessCorrelation, 0.9, "\(method)")
        }
    }

    /// The 17³ lookup against the exact transfer it samples, on random colours and on the saturated
    /// test scenes: under 1 ΔE on average; worst (6–8 ΔE) where the transfer pushes saturated colours
    /// through the gamut boundary, whose chroma limit bends faster than a grid cell (a 33³ grid
    /// brings the mean to 0.3 but not the worst case).
    func testGridLookupFollowsTheExactTransfer() throws {
        let source = try Palette(extractingFrom: pictures, count: 6)
        let (recolourer, exact) = (PaletteRecolourer(from: source, to: autumn), PaletteRecolourer.Transfer(from: source, to: autumn))
        var random = RandomGenerator(seed: 5)
        var noise = Image(width: 32, height: 32)
        for i in noise.pixels.indices { noise.pixels[i] = random.uniform() }
        for (image, meanBound, worstBound) in [(noise, Float(1), Float(10)), (pictures[0], 1, 10), (pictures[1], 1, 10)] {
            let looked = recolourer.fullyRecoloured(image), n = image.width * image.height
            var worst: Float = 0, sum: Float = 0
            for i in 0..<n {
                let colour = RGB(image.pixels[i], image.pixels[n + i], image.pixels[2 * n + i])
                let delta = Lab(RGB(looked.pixels[i], looked.pixels[n + i], looked.pixels[2 * n + i])).distance(to: Lab(exact(colour)))
                worst = max(worst, delta)
                sum += delta
            }
            XCTAssertLessThan(sum / Float(n), meanBound)
            XCTAssertLessThan(worst, worstBound)
        }
    }

    /// The grid is sampled in Float (`Transfer.sampled`); at every grid colour it matches the exact
    /// transfer in Double to within a hundredth of a ΔE.
    func testSampledGridMatchesTheExactTransferAtEveryGridColour() throws {
        let source = try Palette(extractingFrom: pictures, count: 6)
        let (table, exact) = (PaletteRecolourer(from: source, to: autumn).table, PaletteRecolourer.Transfer(from: source, to: autumn))
        let g = PaletteRecolourer.gridSize, top = Float(g - 1)
        var worst: Float = 0
        for i in 0..<(g * g * g) {
            let colour = RGB(Float(i / (g * g)) / top, Float(i / g % g) / top, Float(i % g) / top)
            worst = max(worst, Lab(RGB(table[3 * i], table[3 * i + 1], table[3 * i + 2])).distance(to: Lab(exact(colour))))
        }
        XCTAssertLessThan(worst, 0.01)
    }

    /// Recolouring one picture evaluates only the grid colours around its own; it gives the same
    /// bytes as the full grid, and the same bytes on every run.
    func testRecolouringOnePictureMatchesTheFullGridAndRepeats() throws {
        for picture in pictures {
            let source = try Palette(extractingFrom: [picture], count: autumn.count)
            let full = PaletteRecolourer(from: source, to: autumn).fullyRecoloured(picture)
            XCTAssertEqual(PaletteRecolourer(from: source, to: autumn, covering: picture).fullyRecoloured(picture), full)
            XCTAssertEqual(try RecolourMethod.palette.recoloured(picture, toward: autumn), full)
            XCTAssertEqual(try RecolourMethod.palette.recoloured(picture, toward: autumn), try RecolourMethod.palette.recoloured(picture, toward: autumn))
        }
    }

    /// Away from palette colours the RBF weights still sum to one, so a palette colour moves by
    /// exactly its own displacement: it lands on its matched target (in a, b; L half-way).
    func testPaletteColoursLandOnTheirMatches() throws {
        let source = try Palette(hexList: "#1b3a5c,#e8d9b0,#b33a2e")
        let target = try Palette(hexList: "#4a3a6c,#e0dcd0,#b08050")
        let transfer = PaletteRecolourer.Transfer(from: source, to: target)
        for (from, to) in zip(source.labs, target.gathered(onto: source).map(\.lab)) {
            let moved = Lab(transfer(from.rgb))
            XCTAssertEqual(moved.a, to.a, accuracy: 0.3)
            XCTAssertEqual(moved.b, to.b, accuracy: 0.3)
            XCTAssertEqual(moved.l, from.l + 0.5 * (to.l - from.l), accuracy: 0.3)
        }
    }
}
