import XCTest
@testable import Training

final class OvernightScheduleTests: XCTestCase {
    /// Runs every slice to its full length; returns the slices in order.
    func runToEnd(_ schedule: inout OvernightSchedule) -> [OvernightSchedule.Slice] {
        var slices: [OvernightSchedule.Slice] = []
        var elapsed = 0.0
        while let slice = schedule.next(now: elapsed) {
            slices.append(slice)
            schedule.record(theme: slice.theme, seconds: slice.seconds)
            elapsed += slice.seconds
        }
        return slices
    }

    func testSharesOneTwoOneSplitALongRunWithinOneQuantum() {
        var schedule = OvernightSchedule(totalSeconds: 10 * 3600, themes: [("a", 1), ("b", 2), ("c", 1)], quantum: 600)
        let slices = runToEnd(&schedule)
        let spent = schedule.entries.map(\.seconds)
        XCTAssertEqual(spent.reduce(0, +), 36000, accuracy: 1e-9)
        XCTAssertEqual(spent[0], 9000, accuracy: 600)
        XCTAssertEqual(spent[1], 18000, accuracy: 600)
        XCTAssertEqual(spent[2], 9000, accuracy: 600)
        XCTAssertEqual(Array(slices.prefix(4).map(\.theme)), ["a", "b", "c", "b"])
    }

    func testEqualSharesGiveEveryThemeASliceBeforeAnyGetsASecond() {
        var schedule = OvernightSchedule(totalSeconds: 3 * 3600, themes: [("delta", 1), ("alpha", 1), ("charlie", 1), ("bravo", 1)], quantum: 600)
        let themes = runToEnd(&schedule).map(\.theme)
        XCTAssertEqual(themes.count, 18)
        for round in stride(from: 0, to: 16, by: 4) {
            XCTAssertEqual(Array(themes[round..<round + 4]), ["alpha", "bravo", "charlie", "delta"])
        }
    }

    func testShortRunShortensTheQuantumSoEveryThemeGetsASlice() {
        var schedule = OvernightSchedule(totalSeconds: 240, themes: [("a", 1), ("b", 2), ("c", 1), ("d", 1)], quantum: 600)
        XCTAssertEqual(schedule.quantum, 60)
        let slices = runToEnd(&schedule)
        XCTAssertEqual(slices, ["a", "b", "c", "d"].map { OvernightSchedule.Slice(theme: $0, seconds: 60) })
    }

    func testSliceNeverRunsPastTheTotal() {
        let schedule = OvernightSchedule(totalSeconds: 1000, themes: [("a", 1)], quantum: 600)
        XCTAssertEqual(schedule.next(now: 0)?.seconds, 600)
        XCTAssertEqual(schedule.next(now: 930)?.seconds, 70)
        XCTAssertNil(schedule.next(now: 1000))
        XCTAssertNil(schedule.next(now: 1200))
    }

    func testFinishedAndFailedThemesAreSkipped() {
        var schedule = OvernightSchedule(totalSeconds: 3600, themes: [("a", 1), ("b", 1), ("c", 1), ("d", 1)], quantum: 300)
        schedule.markFinished(theme: "b")
        schedule.markFailed(theme: "c", reason: "dataset folder is empty")
        let slices = runToEnd(&schedule)
        XCTAssertEqual(Set(slices.map(\.theme)), ["a", "d"])
        XCTAssertEqual(schedule.entry("a")?.seconds, 1800)
        XCTAssertEqual(schedule.entry("d")?.seconds, 1800)
        XCTAssertEqual(schedule.entry("b")?.state, .finished)
        XCTAssertEqual(schedule.entry("c")?.state, .failed(reason: "dataset folder is empty"))
        XCTAssertEqual(schedule.entry("c")?.seconds, 0)
    }

    func testEndsEarlyWhenEveryThemeIsDone() {
        var schedule = OvernightSchedule(totalSeconds: 3600, themes: [("a", 1), ("b", 1)], quantum: 600)
        schedule.record(theme: "a", seconds: 120)
        schedule.markFinished(theme: "a")
        XCTAssertEqual(schedule.next(now: 120)?.theme, "b")
        schedule.markFailed(theme: "b", reason: "broken")
        XCTAssertNil(schedule.next(now: 120))
    }

    /// A theme whose slice ended early (say its budget ran out mid-slice and loading took a while)
    /// has the lowest pass and is picked again before the others get a second turn.
    func testRecordedTimeNotTheSliceLengthDrivesFairness() {
        var schedule = OvernightSchedule(totalSeconds: 7200, themes: [("a", 1), ("b", 1)], quantum: 600)
        schedule.record(theme: "a", seconds: 600)
        schedule.record(theme: "b", seconds: 200)
        XCTAssertEqual(schedule.next(now: 800)?.theme, "b")
        schedule.record(theme: "b", seconds: 600)
        XCTAssertEqual(schedule.next(now: 1400)?.theme, "a")
    }

    func testNoThemesOrNoTimeGivesNoSlice() {
        XCTAssertNil(OvernightSchedule(totalSeconds: 3600, themes: [], quantum: 600).next(now: 0))
        XCTAssertNil(OvernightSchedule(totalSeconds: 0, themes: [("a", 1)], quantum: 600).next(now: 0))
    }
}
