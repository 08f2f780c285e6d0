import Imaging
import XCTest
@testable import Palettes

final class RecolourMeasureTests: XCTestCase {
    let target = try! Palette(hexList: "#7a2e12,#f2d27a")

    func testAnUnchangedPictureHasNoMovementAndFullCorrelation() throws {
        let picture = scene(hue: 0.5, seed: 1)
        let measure = try RecolourMeasure(originals: [picture], results: [picture], target: target)
        XCTAssertEqual(measure.meanDeltaE, 0)
        XCTAssertEqual(measure.distanceFall, 0)
        XCTAssertEqual(measure.lightnessCorrelation, 1, accuracy: 1e-9)
    }

    /// Against two-pass formulas in Double over the same Lab values.
    func testMovementAndCorrelationMatchDirectFormulas() throws {
        let (picture, other) = (scene(hue: 0.5, seed: 1), scene(hue: 0.1, seed: 2))
        let measure = try RecolourMeasure(originals: [picture], results: [other], target: target)
        let n = picture.width * picture.height
        func labs(_ image: Image) -> [Lab] { (0..<n).map { Lab(RGB(image.pixels[$0], image.pixels[n + $0], image.pixels[2 * n + $0])) } }
        let (x, y) = (labs(picture), labs(other))
        let delta = zip(x, y).map { Double($0.distance(to: $1)) }.reduce(0, +) / Double(n)
        let (lx, ly) = (x.map { Double($0.l) }, y.map { Double($0.l) })
        let (mx, my) = (lx.reduce(0, +) / Double(n), ly.reduce(0, +) / Double(n))
        let covariance = zip(lx, ly).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let pearson = covariance / (lx.map { ($0 - mx) * ($0 - mx) }.reduce(0, +) * ly.map { ($0 - my) * ($0 - my) }.reduce(0, +)).squareRoot()
        XCTAssertEqual(measure.meanDeltaE, delta, accuracy: 1e-6)
        XCTAssertEqual(measure.lightnessCorrelation, pearson, accuracy: 1e-6)
    }
}
