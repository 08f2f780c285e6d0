import XCTest
@testable import Engine

final class MinibatchDeviationTests: XCTestCase {
    /// The definition in Float64: per group of `group` consecutive pictures, the mean over features of
    /// sqrt(population variance across the group + ε), appended as one more channel.
    static func reference(_ x: [Double], shape: [Int], group: Int) -> [Double] {
        let (n, c, plane) = (shape[0], shape[1], shape[2] * shape[3])
        let features = c * plane
        var out: [Double] = []
        for i in 0..<n {
            let first = (i / group) * group
            var total = 0.0
            for f in 0..<features {
                let values = (first..<first + group).map { x[$0 * features + f] }
                let mean = values.reduce(0, +) / Double(group)
                let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(group)
                total += (variance + Double(Tensor.deviationEpsilon)).squareRoot()
            }
            out += x[i * features..<(i + 1) * features]
            out += Array(repeating: total / Double(features), count: plane)
        }
        return out
    }

    func testValuesAndGradientsMatchTheDefinition() {
        for (shape, group) in [([4, 3, 2, 2], 2), ([6, 2, 3, 1], 3), ([4, 5, 1, 2], 4)] {
            checkOp([random(shape, seed: 71)], tolerance: 1e-3,
                    op: { $0[0].appendingMinibatchDeviation(group: group) },
                    reference: { Self.reference($0[0], shape: shape, group: group) })
        }
    }

    /// A batch the requested size does not divide uses its largest divisor below it: 6 pictures in
    /// groups of 4 become two groups of 3.
    func testGroupsShrinkToDivideTheBatch() {
        XCTAssertEqual(Tensor.deviationGroup(4, batch: 6), 3)
        XCTAssertEqual(Tensor.deviationGroup(4, batch: 48), 4)
        XCTAssertEqual(Tensor.deviationGroup(4, batch: 7), 1)
        let shape = [6, 2, 2, 2]
        checkOp([random(shape, seed: 72)], tolerance: 1e-3,
                op: { $0[0].appendingMinibatchDeviation(group: 4) },
                reference: { Self.reference($0[0], shape: shape, group: 3) })
    }

    /// Each group's statistic is its own: a process holding half the batch (data-parallel) computes
    /// the same channel for its pictures as one process with the whole batch.
    func testAHalfBatchMakesTheSameStatistic() {
        let whole = random([8, 3, 2, 2], seed: 73)
        let half = Tensor(Array(whole.scalars[(4 * 12)...]), shape: [4, 3, 2, 2])
        let (all, part) = (whole.appendingMinibatchDeviation(group: 4).scalars, half.appendingMinibatchDeviation(group: 4).scalars)
        XCTAssertEqual(Array(all[(4 * 16)...]), part)
    }
}
