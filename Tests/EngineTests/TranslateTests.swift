import XCTest
@testable import Engine

final class TranslateTests: XCTestCase {
    /// A 1×1×3×4 ramp moved one row down and two columns left: every value lands exactly, zeros fill in.
    func testKnownImageMovesExactlyAndZeroFills() {
        let x = Tensor((1...12).map(Float.init), shape: [1, 1, 3, 4])
        XCTAssertEqual(x.translated([(down: 1, right: -2)]).scalars, [
            0, 0, 0, 0,
            3, 4, 0, 0,
            7, 8, 0, 0,
        ])
        XCTAssertEqual(x.translated([(down: 0, right: 0)]).scalars, x.scalars)
        XCTAssertEqual(x.translated([(down: -3, right: 0)]).scalars, Array(repeating: 0, count: 12))
        XCTAssertEqual(x.translated([(down: 0, right: 9)]).scalars, Array(repeating: 0, count: 12))
    }

    /// Each image of a batch takes its own shift, every channel alike; the tape's gradient is the
    /// shift undone, checked against finite differences of a naive Float64 loop.
    func testPerImageShiftsAgainstReferenceAndFiniteDifferences() {
        let (n, c, h, w) = (3, 2, 5, 4)
        let offsets: [(down: Int, right: Int)] = [(1, -2), (-2, 3), (0, 1)]
        checkOp([random([n, c, h, w], seed: 40)], op: { $0[0].translated(offsets) }, reference: { v in
            var out = [Double](repeating: 0, count: n * c * h * w)
            for i in 0..<n {
                for ch in 0..<c {
                    for y in 0..<h {
                        for x in 0..<w {
                            let (sy, sx) = (y - offsets[i].down, x - offsets[i].right)
                            guard (0..<h).contains(sy) && (0..<w).contains(sx) else { continue }
                            out[((i * c + ch) * h + y) * w + x] = v[0][((i * c + ch) * h + sy) * w + sx]
                        }
                    }
                }
            }
            return out
        })
    }
}
