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

    /// One step of a stepper: X and Y on loan together, X given back, then Z, longer than X's hole, beside
    /// Y. Placed online, Z goes above both (14336 bytes); the plan puts Z where X was, having seen that
    /// X is gone by then (10240 bytes, the step's live peak). Recording steps take nothing from the range.
    func testAPlannedStepHoldsNoMoreThanItsLivePeakWhereOnlinePlacementLeftAHole() {
        func step(on pool: BufferPool) -> [UnsafeMutablePointer<Float>] {
            let x = pool.take(1024), y = pool.take(1024)
            pool.give(x, count: 1024)
            let z = pool.take(1536)
            z.update(repeating: 1, count: 1536)
            pool.give(y, count: 1024)
            pool.give(z, count: 1536)
            return [x, y, z]
        }
        let online = BufferPool(reserving: 1 << 24)
        _ = step(on: online)
        XCTAssertEqual(online.allocatedBytes, 14336)

        let pool = BufferPool(reserving: 1 << 24), stepper = NSObject()
        let kept = pool.take(16)
        for _ in 0..<2 {
            _ = pool.step(of: stepper) { step(on: pool) }
            XCTAssertEqual(pool.allocatedBytes, 64, "a recording step's buffers come from the system")
        }
        XCTAssertEqual(pool.peakLiveBytes, 64 + 8192 + 2048, "recorded buffers count as on loan")
        for _ in 0..<3 {
            let blocks = pool.step(of: stepper) { step(on: pool) }
            XCTAssertEqual(pool.allocatedBytes, 64 + 10240)
            XCTAssertEqual(blocks[2], blocks[0], "Z where X was")
            XCTAssertEqual(UnsafeRawPointer(blocks[1]) - UnsafeRawPointer(blocks[2]), 6144, "Y just above Z")
        }
        pool.give(kept, count: 16)
    }

    /// Steps that stray from their plan (their requests in another order, one more or one fewer, a buffer
    /// kept past the step, requests between steps) are still served, and no two buffers on loan ever
    /// share a byte: each is filled with its own number and checked before it is given back. A step
    /// asking for other lengths altogether misses its plan and the stepper records again.
    func testStepsThatStrayFromThePlanAreServedWithoutOverlap() {
        let pool = BufferPool(reserving: 1 << 26), stepper = NSObject()
        var rng = SystemRandomNumberGenerator()
        var onLoan: [(block: UnsafeMutablePointer<Float>, count: Int, mark: Float)] = []
        var marks: Float = 0
        func take(_ count: Int) {
            let block = pool.take(count)
            for other in onLoan {
                let disjoint = block + count <= other.block || other.block + other.count <= block
                XCTAssertTrue(disjoint, "a block of \(count) floats overlaps one on loan")
            }
            marks += 1
            block.update(repeating: marks, count: count)
            onLoan.append((block, count, marks))
        }
        func give(_ i: Int) {
            let (block, count, mark) = onLoan.remove(at: i)
            XCTAssertTrue(UnsafeBufferPointer(start: block, count: count).allSatisfy { $0 == mark }, "a block was overwritten")
            pool.give(block, count: count)
        }
        let lengths = [4096, 16384, 4096, 65536, 1000, 16384, 300, 65536, 4096]
        for stepNumber in 0..<40 {
            let straying = stepNumber >= 4 && stepNumber % 3 == 0
            let otherLengths = stepNumber == 30
            pool.step(of: stepper) {
                var order = lengths.map { otherLengths ? $0 + 160 : $0 }
                if straying { order.shuffle(using: &rng); order.removeLast(Int.random(in: 0...1, using: &rng)) }
                if straying && Bool.random(using: &rng) { order.append(8192) }
                for (i, count) in order.enumerated() {
                    take(count)
                    // Give back about every other buffer as the step goes, the rest at its end.
                    if i % 2 == 1 { give(Int.random(in: 0..<onLoan.count, using: &rng)) }
                }
                let keep = straying ? 1 : 0
                while onLoan.count > keep { give(onLoan.count - 1) }
            }
            if Bool.random(using: &rng) { take(2048) }
            if stepNumber == 30 {
                let before = pool.allocatedBytes
                pool.step(of: stepper) { take(123_456); give(onLoan.count - 1) }
                XCTAssertEqual(pool.allocatedBytes, before, "recorded again after missing its plan: from the system")
            }
        }
        while !onLoan.isEmpty { give(0) }
        let held = pool.allocatedBytes, whole = pool.take(held / 4)
        XCTAssertEqual(pool.allocatedBytes, held, "everything given back merged into one block")
        pool.give(whole, count: held / 4)
    }

    /// Inside a recording step, what runs outside it (a convolution's timing trials) takes its buffers
    /// from the range, reusing a given-back block as outside any step, and the pages it left free at the
    /// top go back after it: the top returns to where it was. The step's own buffers still come from the
    /// system.
    func testWhatRunsOutsideARecordingStepUsesTheRangeAndGivesItsPagesBack() {
        let pool = BufferPool(reserving: 1 << 24), stepper = NSObject()
        let kept = pool.take(16)
        pool.step(of: stepper) {
            let own = pool.take(4096)
            pool.outsideStep {
                let trial = pool.take(65536)
                pool.give(trial, count: 65536)
                XCTAssertEqual(pool.take(65536), trial, "the given-back block again, as outside a step")
                XCTAssertEqual(pool.allocatedBytes, 64 + 262_144)
                pool.give(trial, count: 65536)
            }
            XCTAssertEqual(pool.allocatedBytes, 64, "the trial's pages went back")
            pool.give(own, count: 4096)
        }
        XCTAssertEqual(pool.allocatedBytes, 64, "the step's own buffer came from the system")
        pool.give(kept, count: 16)
    }

    /// The pool forgets a stepper once its object is gone (when the next step begins): a trainer's
    /// session that ends leaves nothing behind, and a new object at its address records its own steps
    /// instead of starting from a stranger's plan.
    func testAGoneStepperIsForgotten() {
        let pool = BufferPool(reserving: 1 << 24)
        func step() -> UnsafeMutablePointer<Float> {
            let block = pool.take(65536)
            pool.give(block, count: 65536)
            return block
        }
        var planned: UnsafeMutablePointer<Float>?
        do {
            let first = NSObject()
            for _ in 0..<3 { planned = pool.step(of: first) { step() } }
            XCTAssertEqual(pool.stepperCount, 1)
            XCTAssertEqual(pool.allocatedBytes, 262_144, "the third step ran by plan, in the range")
        }
        let second = NSObject()
        XCTAssertNotEqual(pool.step(of: second) { step() }, planned, "the second stepper's first step records")
        XCTAssertEqual(pool.stepperCount, 1, "only the second stepper is kept")
        withExtendedLifetime(second) {}
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
