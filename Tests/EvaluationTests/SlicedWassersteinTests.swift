import Engine
import Imaging
import XCTest
@testable import Evaluation

final class SlicedWassersteinTests: XCTestCase {
    func testLevelsRunFromFullSizeTo16AndTheirSumRebuildsTheImage() {
        let image = sampleImages(1, size: 64, seed: 3)[0]
        let levels = LaplacianPyramid.levels(image, coarsest: 16)
        XCTAssertEqual(levels.map(\.width), [64, 32, 16])
        var rebuilt = levels.last!
        for detail in levels.dropLast().reversed() {
            let up = LaplacianPyramid.up(rebuilt, width: detail.width, height: detail.height)
            rebuilt = Planes(width: detail.width, height: detail.height, values: zip(detail.values, up.values).map(+))
        }
        XCTAssertEqual(zip(rebuilt.values, image.pixels).map { abs($0 - $1) }.max()!, 0, accuracy: 1e-6)
    }

    func testBlurKeepsFlatImagesFlatAndMirrorsBorders() {
        let flat = Planes(width: 6, height: 5, values: [Float](repeating: 0.3, count: 90))
        XCTAssertEqual(LaplacianPyramid.blur(flat, gain: 1).values.map { ($0 * 1e5).rounded() }, [Float](repeating: 30_000, count: 90))
        XCTAssertEqual((-3...8).map { LaplacianPyramid.mirror($0, 6) }, [3, 2, 1, 0, 1, 2, 3, 4, 5, 4, 3, 2])
    }

    func testIdenticalSetsAreNearZeroAndAColourShiftIsFarther() throws {
        let images = sampleImages(8, size: 32, seed: 4)
        let swd = SlicedWasserstein(patchesPerImage: 64, projections: 128, repeats: 2)
        let same = try swd.distance(images, images, seed: 1)
        let otherHalf = try swd.distance(Array(images[..<4]), Array(images[4...]), seed: 1)
        let cast = try swd.distance(images, images.map { shifted($0, red: 0.2) }, seed: 1)
        print("SWD×1e3 same \(same.levels.map(\.distance)) halves \(otherHalf.levels.map(\.distance)) shifted \(cast.levels.map(\.distance))")
        XCTAssertEqual(same.levels.map(\.size), [32, 16])
        XCTAssertLessThan(same.average, 0.5 * otherHalf.average, "same images, other patches: only sampling noise")
        XCTAssertGreaterThan(cast.levels[1].distance, 3 * same.levels[1].distance, "the cast shows at the 16×16 colour level")
        XCTAssertGreaterThan(cast.average, 2 * same.average)
    }

    func testSameSeedSameReportOtherSeedOtherNumbers() throws {
        let (a, b) = (sampleImages(3, size: 16, seed: 5), sampleImages(2, size: 16, seed: 6))
        let swd = SlicedWasserstein(patchesPerImage: 16, projections: 32, repeats: 2)
        XCTAssertEqual(try swd.distance(a, b, seed: 7), try swd.distance(a, b, seed: 7))
        XCTAssertNotEqual(try swd.distance(a, b, seed: 7), try swd.distance(a, b, seed: 8))
    }

    /// The fast path against `naiveSWD` below on tiny inputs with unequal set sizes.
    func testMatchesTheNaiveReference() throws {
        let (a, b) = (sampleImages(2, size: 32, seed: 9), sampleImages(3, size: 32, seed: 10))
        let swd = SlicedWasserstein(patchesPerImage: 5, projections: 6, repeats: 3)
        let fast = try swd.distance(a, b, seed: 11).levels.map(\.distance)
        let naive = naiveSWD(a, b, perImage: 5, projections: 6, repeats: 3, seed: 11)
        print("fast \(fast) naive \(naive)")
        XCTAssertEqual(fast.count, naive.count)
        for (f, n) in zip(fast, naive) { XCTAssertEqual(f, n, accuracy: 1e-4 * n) }
    }

    func testTooSmallImagesThrow() {
        let tiny = [Image(width: 12, height: 12)]
        XCTAssertThrowsError(try SlicedWasserstein().distance(tiny, tiny)) {
            XCTAssertEqual($0 as? EvaluationError, .tooSmall(width: 12, height: 12, minimum: 16))
        }
    }
}

/// SWD written out directly in Double: full 5×5 binomial convolution with mirrored borders, patches
/// by coordinates, pooled standardisation, projections as plain sums. Draws random numbers in the
/// order the fast path documents.
func naiveSWD(_ a: [Image], _ b: [Image], perImage: Int, projections: Int, repeats: Int, seed: UInt64) -> [Double] {
    typealias Picture = [[[Double]]]  // [c][y][x]
    let taps: [Double] = [1, 4, 6, 4, 1]
    func reflect(_ i: Int, _ n: Int) -> Int { i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i) }
    func convolve(_ p: Picture, gain: Double) -> Picture {
        let (h, w) = (p[0].count, p[0][0].count)
        return p.map { plane in
            (0..<h).map { y in
                (0..<w).map { x in
                    var sum = 0.0
                    for dy in -2...2 {
                        for dx in -2...2 { sum += taps[dy + 2] * taps[dx + 2] / 256 * plane[reflect(y + dy, h)][reflect(x + dx, w)] }
                    }
                    return gain * sum
                }
            }
        }
    }
    func pyramid(_ image: Image) -> [Picture] {
        var g: Picture = (0..<3).map { c in (0..<image.height).map { y in (0..<image.width).map { Double(image[c, y, $0]) } } }
        var levels: [Picture] = []
        while g[0].count >= 32 {
            let smaller = convolve(g, gain: 1).map { plane in stride(from: 0, to: plane.count, by: 2).map { y in
                stride(from: 0, to: plane[0].count, by: 2).map { plane[y][$0] } } }
            var spread: Picture = g.map { $0.map { $0.map { _ in 0 } } }
            for c in 0..<3 { for y in smaller[c].indices { for x in smaller[c][y].indices { spread[c][2 * y][2 * x] = smaller[c][y][x] } } }
            let restored = convolve(spread, gain: 4)
            levels.append((0..<3).map { c in g[c].indices.map { y in g[c][y].indices.map { g[c][y][$0] - restored[c][y][$0] } } })
            g = smaller
        }
        return levels + [g]
    }
    let pyramids = [a.map(pyramid), b.map(pyramid)]
    var rng = RandomGenerator(seed: seed)
    let count = perImage * max(a.count, b.count)
    return pyramids[0][0].indices.map { level in
        var sets: [[[Double]]] = pyramids.map { set in
            (0..<count).map { i in
                let picture = set[(i / perImage) % set.count][level]
                let top = rng.index(below: picture[0].count - 6), left = rng.index(below: picture[0][0].count - 6)
                var descriptor: [Double] = []
                for c in 0..<3 { for y in 0..<7 { for x in 0..<7 { descriptor.append(picture[c][top + y][left + x]) } } }
                return descriptor
            }
        }
        for c in 0..<3 {
            let values = sets.flatMap { $0.flatMap { $0[(c * 49)..<((c + 1) * 49)] } }
            let mean = values.reduce(0, +) / Double(values.count)
            let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
            for s in 0..<2 { for i in 0..<count { for j in (c * 49)..<((c + 1) * 49) { sets[s][i][j] = (sets[s][i][j] - mean) / std } } }
        }
        var total = 0.0
        for _ in 0..<repeats {
            var directions = (0..<projections).map { _ in (0..<147).map { _ in Double(rng.normal()) } }
            directions = directions.map { d in let n = d.map { $0 * $0 }.reduce(0, +).squareRoot(); return d.map { $0 / n } }
            for d in directions {
                let pa = sets[0].map { zip($0, d).map(*).reduce(0, +) }.sorted()
                let pb = sets[1].map { zip($0, d).map(*).reduce(0, +) }.sorted()
                total += zip(pa, pb).map { abs($0 - $1) }.reduce(0, +) / Double(count) / Double(projections)
            }
        }
        return 1e3 * total / Double(repeats)
    }
}
