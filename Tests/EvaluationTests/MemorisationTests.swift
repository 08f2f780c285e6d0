import Imaging
import XCTest
@testable import Evaluation

final class MemorisationTests: XCTestCase {
    let real = sampleImages(40, size: 32, seed: 1)

    func testAGeneratorThatCopiesItsDataIsFlaggedOnEveryPicture() throws {
        let check = try Memorisation(real: real)
        let copies = try check.measure(Array(real[0..<25]))
        XCTAssertEqual(copies.copies, 25)
        XCTAssertEqual(copies.pictures, 25)
        XCTAssertEqual(copies.medianNearest, 0, accuracy: 1e-3)
        let blurred = try check.measure(real.map { shifted($0, red: 0.01) })
        XCTAssertEqual(blurred.copies, 40, "a copy with its red raised by 1 % is still a copy")
    }

    func testAnIndependentSampleOfTheSameKindHasNoCopies() throws {
        let report = try Memorisation(real: real).measure(sampleImages(40, size: 32, seed: 2))
        XCTAssertEqual(report.copies, 0)
        XCTAssertEqual(report.medianNearest / report.realMedianNearest, 1, accuracy: 0.2)
    }

    func testThresholdIsHalfTheFirstPercentileOfRealNearestDistancesComputedDirectly() throws {
        let real = Array(self.real[0..<12]), generated = sampleImages(7, size: 32, seed: 3)
        let nearestAmongReal = real.indices.map { i in
            real.indices.filter { $0 != i }.map { Double(PixelDistance.distance(real[i], real[$0])) }.min()!
        }
        let nearestReal = generated.map { g in real.map { Double(PixelDistance.distance(g, $0)) }.min()! }
        let check = try Memorisation(real: real)
        XCTAssertEqual(check.threshold, 0.5 * nearestAmongReal.min()!, accuracy: 1e-5, "12 real pictures: the 1st percentile is the smallest")
        let report = try check.measure(generated)
        XCTAssertEqual(report.medianNearest, nearestReal.sorted()[3], accuracy: 1e-5)
        XCTAssertEqual(report.realMedianNearest, (nearestAmongReal.sorted()[5] + nearestAmongReal.sorted()[6]) / 2, accuracy: 1e-5)
        let mixed = try check.measure(generated + [real[4], real[9]])
        XCTAssertEqual(mixed.copies, 2 + nearestReal.filter { $0 < check.threshold }.count)
    }

    func testThePercentileIndexGrowsWithTheNumberOfRealPictures() {
        XCTAssertEqual(Memorisation.percentileIndex(count: 100), 0)
        XCTAssertEqual(Memorisation.percentileIndex(count: 101), 1)
        XCTAssertEqual(Memorisation.percentileIndex(count: 256), 2)
    }
}
