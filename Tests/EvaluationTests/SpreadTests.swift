import XCTest
@testable import Evaluation

final class SpreadTests: XCTestCase {
    func testMeanAndRangeOfTheValues() {
        let spread = Spread([70.5, 68, 73]), one = Spread([4])
        XCTAssertEqual([spread.mean, spread.min, spread.max], [70.5, 68, 73])
        XCTAssertEqual([one.mean, one.min, one.max], [4, 4, 4])
    }
}
