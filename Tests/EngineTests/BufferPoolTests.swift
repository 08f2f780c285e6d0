import XCTest
@testable import Engine

final class BufferPoolTests: XCTestCase {
    /// Blocks are whole 64-byte lines, aligned, one after another; a given-back block serves the next
    /// request of its length at the same address, and nothing new is touched.
    func testBlocksAreAlignedAndAGivenBackBlockIsReused() {
        let pool = BufferPool(reserving: 1 << 20)
        let a = pool.take(10), b = pool.take(16), c = pool.take(17)
        for p in [a, b, c] { XCTAssertEqual(Int(bitPattern: p) % 64, 0) }
        XCTAssertEqual(UnsafeRawPointer(b) - UnsafeRawPointer(a), 64)
        XCTAssertEqual(UnsafeRawPointer(c) - UnsafeRawPointer(b), 64)
        XCTAssertEqual(pool.allocatedBytes, 64 + 64 + 128)
        pool.give(b, count: 16)
        XCTAssertEqual(pool.take(16), b)
        XCTAssertEqual(pool.allocatedBytes, 256)
        for (p, n) in [(a, 10), (b, 16), (c, 17)] { pool.give(p, count: n) }
    }

    /// Neighbours given back merge: two freed blocks side by side serve a request of both lengths, in
    /// either order of giving back, and a fully given-back pool serves anything up to its size in place.
    func testNeighboursMergeWhateverOrderTheyComeBack() {
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [0, 2, 1]] {
            let pool = BufferPool(reserving: 1 << 20)
            let blocks = (0..<3).map { _ in pool.take(256) }
            let guardBlock = pool.take(16)
            for i in order { pool.give(blocks[i], count: 256) }
            XCTAssertEqual(pool.take(768), blocks[0], "order \(order)")
            XCTAssertEqual(pool.allocatedBytes, 3 * 1024 + 64, "order \(order)")
            pool.give(blocks[0], count: 768)
            pool.give(guardBlock, count: 16)
        }
    }

    /// The shortest free block that fits is taken before one more than twice as long, even a lower one,
    /// so the long block stays whole for a longer request; the short one's rest stays free.
    func testTheShortestFittingBlockIsTaken() {
        let pool = BufferPool(reserving: 1 << 20)
        let long = pool.take(1504), keep1 = pool.take(16), short = pool.take(704), keep2 = pool.take(16)
        pool.give(long, count: 1504)
        pool.give(short, count: 704)
        XCTAssertEqual(pool.take(608), short)
        XCTAssertEqual(pool.take(96), short + 608, "the rest of the 704-float block")
        XCTAssertEqual(pool.take(1200), long)
        XCTAssertEqual(pool.allocatedBytes, (1504 + 16 + 704 + 16) * 4)
        for (p, n) in [(long, 1200), (keep1, 16), (short, 608), (short + 608, 96), (keep2, 16)] { pool.give(p, count: n) }
    }

    /// Of the blocks that fit, a lower one at most twice as long as the shortest is taken before it,
    /// leaving the high end free to merge toward the top; a longer one is not.
    func testALowerNearFitIsTakenBeforeTheShortest() {
        let pool = BufferPool(reserving: 1 << 20)
        let low = pool.take(1296), keep1 = pool.take(16), short = pool.take(704), keep2 = pool.take(16)
        pool.give(low, count: 1296)
        pool.give(short, count: 704)
        XCTAssertEqual(pool.take(700), low, "1296 floats are within twice 704")
        XCTAssertEqual(pool.take(700), short, "the low block's rest (592 floats) does not fit")
        XCTAssertEqual(pool.allocatedBytes, (1296 + 16 + 704 + 16) * 4)
        for (p, n) in [(low, 700), (keep1, 16), (short, 700), (keep2, 16)] { pool.give(p, count: n) }
    }

    /// A request longer than any free block grows the range from a free block at its end rather than
    /// past it; one the range cannot hold comes from the system allocator and goes back there.
    func testTheEndGrowsFromAFreeTailAndOverflowGoesToTheSystem() {
        let pool = BufferPool(reserving: 4096)
        let a = pool.take(16), b = pool.take(64)
        pool.give(b, count: 64)
        XCTAssertEqual(pool.take(128), b, "starts where the free tail starts")
        XCTAssertEqual(pool.allocatedBytes, 64 + 512)
        let big = pool.take(2048)
        XCTAssertEqual(pool.allocatedBytes, 64 + 512, "8 KB does not fit in the 4 KB range")
        big[2047] = 1
        pool.give(big, count: 2048)
        pool.give(b, count: 128)
        pool.give(a, count: 16)
        XCTAssertEqual(pool.take(1024), a, "everything merged back into one block from the start")
    }

    /// Under AddressSanitizer (`make test-sanitizers`) the shared pool reserves nothing: every tensor's
    /// memory comes from malloc and goes back to free, where ASan can see a read after it; elsewhere
    /// the pool reserves the machine's memory.
    func testTheSharedPoolStepsAsideUnderAddressSanitizer() {
        if BufferPool.addressSanitizerIsLoaded {
            XCTAssertEqual(BufferPool.shared.reservedBytes, 0)
        } else {
            XCTAssertEqual(BufferPool.shared.reservedBytes, Int(ProcessInfo.processInfo.physicalMemory))
        }
    }
}
