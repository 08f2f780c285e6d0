import Dispatch
import Synchronization
import XCTest
@testable import Engine

final class WorkerPoolTests: XCTestCase {
    /// Every part of every loop runs exactly once, however the parts fall between caller and workers.
    func testEveryPartRunsExactlyOnce() {
        let pool = WorkerPool(helpers: 3, spinMicroseconds: 50)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 64)
        defer { counts.deallocate() }
        for loop in 0..<2_000 {
            let parts = 1 + loop % 64
            counts.initialize(repeating: 0)
            pool.run(parts: parts) { part in counts[part] += 1 }
            XCTAssertEqual(Array(counts.prefix(parts)), Array(repeating: 1, count: parts), "loop \(loop)")
            XCTAssertEqual(counts[parts...].reduce(0, +), 0)
            // Let the workers fall asleep now and then, so waking them is tested too.
            if loop % 500 == 499 { Thread.sleep(forTimeInterval: 0.002) }
        }
    }

    /// A loop started inside a part, or from another thread while one runs, completes serially
    /// instead of deadlocking on the workers it would wait for.
    func testNestedAndConcurrentLoopsComplete() {
        let pool = WorkerPool(helpers: 1, spinMicroseconds: 50)
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<200 {
                pool.run(parts: 4) { _ in
                    pool.run(parts: 3) { _ in total.add(1, ordering: .relaxed) }
                }
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 4 * 200 * 4 * 3)
    }

    /// Parallel.chunks covers 0..<count with disjoint ranges, in parts or not.
    func testChunksCoverTheRangeOnce() {
        for count in [0, 1, 7, 65_536, 100_003] {
            let seen = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(count, 1))
            defer { seen.deallocate() }
            seen.initialize(repeating: 0)
            Parallel.chunks(count, grain: 1_000) { r in for i in r { seen[i] += 1 } }
            XCTAssertTrue(seen.prefix(count).allSatisfy { $0 == 1 }, "count \(count)")
        }
    }
}
