import Engine
import XCTest
@testable import Palettes

final class OptimalAssignmentTests: XCTestCase {
    /// Brute force over every injective map of the smaller side into the larger: the reference.
    func bruteForceCost(_ costs: [[Double]]) -> Double {
        let rows = costs.count, columns = costs[0].count
        func best(_ row: Int, _ used: Set<Int>) -> Double {
            if row == rows { return 0 }
            var result = Double.infinity
            if rows > columns && rows - row > columns - used.count { result = best(row + 1, used) }
            for column in 0..<columns where !used.contains(column) {
                result = min(result, costs[row][column] + best(row + 1, used.union([column])))
            }
            return result
        }
        return best(0, [])
    }

    func testMatchesBruteForceOnRandomSquareAndRectangularCosts() {
        var random = RandomGenerator(seed: 7)
        for (rows, columns) in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (3, 5), (5, 3), (2, 6), (6, 2)] {
            for _ in 0..<20 {
                let costs = (0..<rows).map { _ in (0..<columns).map { _ in Double(random.uniform(0, 100).rounded()) } }
                let assigned = OptimalAssignment.columns(for: costs)
                let pairs = assigned.enumerated().compactMap { row, column in column.map { (row, $0) } }
                XCTAssertEqual(pairs.count, min(rows, columns))
                XCTAssertEqual(Set(pairs.map(\.1)).count, pairs.count, "columns are distinct")
                XCTAssertEqual(pairs.reduce(0) { $0 + costs[$1.0][$1.1] }, bruteForceCost(costs), accuracy: 1e-9, "\(rows)×\(columns)")
            }
        }
    }

    /// Greedy would take the 1 and pay 100; the optimum pays 2 + 2.
    func testHandCaseWhereGreedyLoses() {
        XCTAssertEqual(OptimalAssignment.columns(for: [[1, 2], [2, 100]]), [1, 0])
    }
}
