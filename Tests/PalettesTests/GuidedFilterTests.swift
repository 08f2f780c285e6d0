import Engine
import XCTest
@testable import Palettes

final class GuidedFilterTests: XCTestCase {
    let (width, height) = (13, 9)

    func field(seed: UInt64) -> [Float] {
        var random = RandomGenerator(seed: seed)
        return (0..<(13 * 9)).map { _ in random.uniform() }
    }

    /// Naive: average every window directly, in Double.
    func naiveMean(_ v: [Double], radius r: Int) -> [Double] {
        (0..<(width * height)).map { i in
            let (y, x) = i.quotientAndRemainder(dividingBy: width)
            var sum = 0.0, count = 0.0
            for yy in max(0, y - r)...min(height - 1, y + r) {
                for xx in max(0, x - r)...min(width - 1, x + r) { sum += v[yy * width + xx]; count += 1 }
            }
            return sum / count
        }
    }

    func testBoxMeanMatchesDirectWindows() {
        let values = field(seed: 1)
        for radius in [0, 1, 3, 6, 20] {
            let fast = boxMean(values, width: width, height: height, radius: radius)
            for (a, b) in zip(fast, naiveMean(values.map(Double.init), radius: radius)) { XCTAssertEqual(Double(a), b, accuracy: 1e-5) }
        }
    }

    /// The filter written out from He et al.'s equations with the naive means.
    func testGuidedFilterMatchesTheEquations() {
        let (guide, input) = (field(seed: 2), field(seed: 3))
        let (r, epsilon) = (2, 0.01)
        let (g, p) = (guide.map(Double.init), input.map(Double.init))
        let (mg, mp) = (naiveMean(g, radius: r), naiveMean(p, radius: r))
        let (mgg, mgp) = (naiveMean(g.map { $0 * $0 }, radius: r), naiveMean(zip(g, p).map(*), radius: r))
        let a = g.indices.map { (mgp[$0] - mg[$0] * mp[$0]) / (mgg[$0] - mg[$0] * mg[$0] + epsilon) }
        let b = g.indices.map { mp[$0] - a[$0] * mg[$0] }
        let (ma, mb) = (naiveMean(a, radius: r), naiveMean(b, radius: r))
        let fast = GuidedFilter(guide: guide, width: width, height: height, radius: r, epsilon: Float(epsilon))(input)
        for i in g.indices { XCTAssertEqual(Double(fast[i]), ma[i] * g[i] + mb[i], accuracy: 1e-4) }
    }
}
