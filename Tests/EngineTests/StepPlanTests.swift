import XCTest
@testable import Engine

final class StepPlanTests: XCTestCase {
    /// Random steps of a few hundred buffers: checked buffer by buffer against every other, no two on loan
    /// at the same time share a byte, and the plan reaches no higher than the first-fit placement of the
    /// same step in order of taking (an independent placement, done here) and no lower than the live peak.
    func testNoTwoBuffersOnLoanTogetherOverlapAndThePlanIsNoHigherThanFirstFit() {
        var rng = RandomGenerator(seed: 7)
        for _ in 0..<20 {
            let record = StepRecord()
            var onLoan: [UnsafeMutableRawPointer] = [], next = 1
            var spans: [(bytes: Int, taken: Int, given: Int?)] = [], owner: [UnsafeMutableRawPointer: Int] = [:]
            var clock = 0
            for _ in 0..<300 {
                if !onLoan.isEmpty && rng.uniform() < 0.45 {
                    let block = onLoan.remove(at: rng.index(below: onLoan.count))
                    record.gave(block)
                    spans[owner[block]!].given = clock
                } else {
                    let bytes = 64 * (1 + rng.index(below: 200)), block = UnsafeMutableRawPointer(bitPattern: next)!
                    next += 1
                    record.took(block, bytes: bytes)
                    owner[block] = spans.count
                    spans.append((bytes, clock, nil))
                    onLoan.append(block)
                }
                clock += 1
            }
            let plan = StepPlan(record)
            var seen: [Int: Int] = [:]
            let offsets = spans.map { span in
                defer { seen[span.bytes, default: 0] += 1 }
                return plan.offset(bytes: span.bytes, occurrence: seen[span.bytes, default: 0])!
            }
            func together(_ a: Int, _ b: Int) -> Bool {
                spans[a].taken < spans[b].given ?? .max && spans[b].taken < spans[a].given ?? .max
            }
            for a in spans.indices {
                for b in spans.indices where a < b && together(a, b) {
                    let disjoint = offsets[a] + spans[a].bytes <= offsets[b] || offsets[b] + spans[b].bytes <= offsets[a]
                    XCTAssertTrue(disjoint, "buffers \(a) and \(b) overlap")
                }
            }
            var livePeak = 0
            for moment in 0..<clock {
                let live = spans.filter { $0.taken <= moment && moment < $0.given ?? .max }.reduce(0) { $0 + $1.bytes }
                livePeak = max(livePeak, live)
            }
            var firstFit: [Int] = []
            for a in spans.indices {
                let taken = firstFit.indices.filter { together($0, a) }.map { (firstFit[$0], firstFit[$0] + spans[$0].bytes) }.sorted { $0.0 < $1.0 }
                var offset = 0
                for (start, end) in taken where offset + spans[a].bytes > start { offset = max(offset, end) }
                firstFit.append(offset)
            }
            let firstFitExtent = spans.indices.map { firstFit[$0] + spans[$0].bytes }.max()!
            XCTAssertEqual(plan.extent, spans.indices.map { offsets[$0] + spans[$0].bytes }.max()!)
            XCTAssertGreaterThanOrEqual(plan.extent, livePeak)
            XCTAssertLessThanOrEqual(plan.extent, firstFitExtent)
        }
    }
}
