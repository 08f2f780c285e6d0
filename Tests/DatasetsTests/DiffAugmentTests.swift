import Engine
import ThemeConfig
import XCTest
@testable import Datasets

final class DiffAugmentTests: XCTestCase {
    private let (n, c, h, w) = (2, 3, 4, 5)

    private func input(seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor(randomNormal: [n, c, h, w], std: 0.5, rng: &rng)
    }

    private let color = AugmentationDraw.color(brightness: [0.3, -0.45], saturation: [1.7, 0.2], contrast: [0.6, 1.4])
    private let translation = AugmentationDraw.translation([(down: 1, right: -2), (down: -1, right: 1)])
    private let cutout = AugmentationDraw.cutout(height: 2, width: 3, corners: [(top: -1, left: 3), (top: 1, left: 1)])

    func testColourGradientMatchesFiniteDifferences() {
        checkGradient(input(seed: 1), op: { DiffAugment.apply([color], to: $0) }, reference: referenceColour)
    }

    func testTranslationGradientMatchesFiniteDifferences() {
        checkGradient(input(seed: 2), op: { DiffAugment.apply([translation], to: $0) }, reference: referenceTranslation)
    }

    func testCutoutGradientMatchesFiniteDifferences() {
        checkGradient(input(seed: 3), op: { DiffAugment.apply([cutout], to: $0) }, reference: referenceCutout)
    }

    /// The whole policy as the trainer runs it, against the Float64 references composed in the same order.
    func testComposedPolicyMatchesComposedReference() {
        checkGradient(input(seed: 4), op: { DiffAugment.apply([color, translation, cutout], to: $0) },
                      reference: { self.referenceCutout(self.referenceTranslation(self.referenceColour($0))) })
    }

    /// A square hanging over the top edge zeroes only its inside part; everything else passes untouched.
    func testCutoutZeroesExactlyTheSquare() {
        let ones = Tensor(repeating: 1, shape: [n, c, h, w])
        let out = DiffAugment.apply([cutout], to: ones).scalars
        for i in 0..<n {
            for ch in 0..<c {
                let plane = Array(out[((i * c + ch) * h * w)..<((i * c + ch + 1) * h * w)])
                let expected: [Float] = i == 0
                    ? [1, 1, 1, 0, 0,
                       1, 1, 1, 1, 1,
                       1, 1, 1, 1, 1,
                       1, 1, 1, 1, 1]
                    : [1, 1, 1, 1, 1,
                       1, 0, 0, 0, 1,
                       1, 0, 0, 0, 1,
                       1, 1, 1, 1, 1]
                XCTAssertEqual(plane, expected, "image \(i) channel \(ch)")
            }
        }
    }

    /// Draws at 64 px follow the paper's ranges: shifts of at most 8 (both extremes reached), a
    /// 32-pixel cutout whose centre lies anywhere in the image, brightness within ±0.5.
    func testDrawsStayInThePapersRanges() {
        var rng = RandomGenerator(seed: 5)
        let draws = DiffAugment(policy: Augmentation.allCases).draws(batch: 4000, height: 64, width: 64, rng: &rng)
        guard case .color(let brightness, let saturation, let contrast) = draws[0],
              case .translation(let offsets) = draws[1],
              case .cutout(let side, let across, let corners) = draws[2] else { return XCTFail("policy order") }
        XCTAssertTrue(brightness.allSatisfy { (-0.5..<0.5).contains($0) })
        XCTAssertTrue(saturation.allSatisfy { (0..<2).contains($0) })
        XCTAssertTrue(contrast.allSatisfy { (0.5..<1.5).contains($0) })
        XCTAssertEqual(Set(offsets.map(\.down)), Set(-8...8))
        XCTAssertEqual(Set(offsets.map(\.right)), Set(-8...8))
        XCTAssertEqual([side, across], [32, 32])
        XCTAssertEqual(Set(corners.map(\.top)), Set(-16...48))
        XCTAssertEqual(Set(corners.map(\.left)), Set(-16...48))
    }

    /// Real and generated batches go through the same function; each call draws afresh.
    func testEachCallDrawsNewTransformsFromTheGenerator() {
        let augment = DiffAugment(policy: [.color, .translation, .cutout])
        let x = input(seed: 6)
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        let first = augment(x, rng: &a)
        XCTAssertEqual(first.scalars, augment(x, rng: &b).scalars)
        XCTAssertNotEqual(first.scalars, augment(x, rng: &a).scalars)
        XCTAssertEqual(DiffAugment(policy: []).callAsFunction(x, rng: &a).scalars, x.scalars)
    }

    // MARK: Float64 references, written from the paper's definitions

    private func referenceColour(_ x: [Double]) -> [Double] {
        guard case .color(let brightness, let saturation, let contrast) = color else { fatalError() }
        var out = x
        let plane = h * w
        for i in 0..<n {
            let base = i * c * plane
            for k in 0..<(c * plane) { out[base + k] += Double(brightness[i]) }
            for p in 0..<plane {
                let mean = (0..<c).map { out[base + $0 * plane + p] }.reduce(0, +) / Double(c)
                for ch in 0..<c { out[base + ch * plane + p] = (out[base + ch * plane + p] - mean) * Double(saturation[i]) + mean }
            }
            let mean = out[base..<(base + c * plane)].reduce(0, +) / Double(c * plane)
            for k in 0..<(c * plane) { out[base + k] = (out[base + k] - mean) * Double(contrast[i]) + mean }
        }
        return out
    }

    private func referenceTranslation(_ x: [Double]) -> [Double] {
        guard case .translation(let offsets) = translation else { fatalError() }
        var out = [Double](repeating: 0, count: x.count)
        for i in 0..<n {
            for ch in 0..<c {
                for y in 0..<h {
                    for col in 0..<w {
                        let (sy, sx) = (y - offsets[i].down, col - offsets[i].right)
                        if (0..<h).contains(sy) && (0..<w).contains(sx) {
                            out[((i * c + ch) * h + y) * w + col] = x[((i * c + ch) * h + sy) * w + sx]
                        }
                    }
                }
            }
        }
        return out
    }

    private func referenceCutout(_ x: [Double]) -> [Double] {
        guard case .cutout(let height, let width, let corners) = cutout else { fatalError() }
        var out = x
        for i in 0..<n {
            for ch in 0..<c {
                for y in 0..<h where y >= corners[i].top && y < corners[i].top + height {
                    for col in 0..<w where col >= corners[i].left && col < corners[i].left + width {
                        out[((i * c + ch) * h + y) * w + col] = 0
                    }
                }
            }
        }
        return out
    }
}
