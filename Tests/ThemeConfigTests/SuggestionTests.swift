import XCTest
@testable import ThemeConfig

final class SuggestionTests: XCTestCase {
    func testEditDistance() {
        XCTAssertEqual(editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(editDistance("bacth", "batch"), 1)
        XCTAssertEqual(editDistance("", "lr"), 2)
        XCTAssertEqual(editDistance("ema", "ema"), 0)
    }

    func testSuggestsOnlyPlausibleTypos() {
        let keys = Schema.theme.coreKeys(of: "training")
        XCTAssertEqual(suggestion(for: "bacth", among: keys), "batch")
        XCTAssertEqual(suggestion(for: "Seed", among: keys), "seed")
        XCTAssertEqual(suggestion(for: "checkpoint-every", among: keys), "checkpoint_every")
        XCTAssertNil(suggestion(for: "temperature", among: keys))
        XCTAssertNil(suggestion(for: "x", among: ["lr", "ema"]))
    }
}
