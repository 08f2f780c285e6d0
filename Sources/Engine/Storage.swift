import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A float buffer on loan from the pool. Training asks for the same buffers every step, so once the pool
/// has planned a step's buffers (`BufferPool.step(of:_:)`), every request is met from memory earlier
/// steps wrote.
final class Storage: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        base = BufferPool.shared.take(count)
    }

    deinit { BufferPool.shared.give(base, count: count) }
}

/// Tensor memory: one reserved address range, carved near-best-fit into 64-byte-aligned blocks that merge
/// with their free neighbours when given back, and kept (no page faults once training steps run by plan;
/// only what a recording step's timing trials leave at the top goes back). Free blocks of any length serve
/// a request of any other, so the memory a step holds stays near its peak of live bytes: fastgan-lite at 128 px asks for some sixty lengths, each peaking
/// at its own moment, and a pool of free lists per length held 46% more than the peak (1356 MB of
/// buffers for a 928 MB peak). Requests the range cannot hold come from the system allocator.
///
/// A training step's requests are placed by plan (`step(of:_:)`): its first steps take their buffers from
/// the system and hand them back page by page, recording what they asked for, until two ask for the same;
/// then the record is placed offline (`StepPlan`) and later steps' buffers go where the plan put them.
public final class BufferPool: @unchecked Sendable {
    /// As much address space as the machine has memory: never more is touched than a step holds.
    /// Under AddressSanitizer, nothing: every buffer comes from the system allocator, whose freed
    /// memory ASan holds back and poisons, so a read after a tensor is freed is reported instead of
    /// landing in the next tensor given the same block (session 13's noise-gradient fault hid so).
    public static let shared = BufferPool(reserving: addressSanitizerIsLoaded ? 0 : Int(ProcessInfo.processInfo.physicalMemory))

    /// Whether this process runs under AddressSanitizer (built with `-sanitize=address`): its runtime is loaded.
    public static let addressSanitizerIsLoaded = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil

    private let start: UnsafeMutableRawPointer?
    private let reserved: Int
    /// Free blocks (offset, bytes) below `top`, in address order, none adjacent to another.
    private var freeBlocks: [(offset: Int, bytes: Int)] = []
    /// Where never-used memory begins.
    private var top = 0
    /// Bytes on loan now (from the range or the system), and the most ever on loan at once.
    private var live = 0, peakLive = 0
    private let lock = NSLock()
    static let alignment = 64

    /// What each stepper's steps have shown, by the object that steps (`step(of:_:)`); an entry whose
    /// object has gone is dropped when the next step begins.
    private var steppers: [ObjectIdentifier: Stepper] = [:]
    /// The step under way, if any: whose it is and how its requests are met.
    private var stepping: (stepper: AnyObject, requests: StepRequests)?

    private struct Stepper {
        /// The object that steps, held weakly: a new object at a gone one's address is another stepper
        /// and must not start from its plan.
        weak var owner: AnyObject?
        /// The lengths the last recorded step asked for, and how many steps were recorded.
        var lastLengths: [Int]?
        var recorded = 0
        /// The plan, placed from `base` in the range.
        var plan: (base: Int, plan: StepPlan)?
    }

    private enum StepRequests {
        /// Met by the system, each block's pages given back with it, and recorded.
        case recording(StepRecord)
        /// Met where the plan puts them when that memory is free.
        case planned(PlannedStep)
    }

    /// A planned step under way: how many requests of each length it has made, and how many of all its
    /// requests found their planned place taken.
    private final class PlannedStep {
        let base: Int, plan: StepPlan
        var seen: [Int: Int] = [:]
        var requests = 0, missed = 0
        init(base: Int, plan: StepPlan) { (self.base, self.plan) = (base, plan) }
    }

    /// Steps recorded at most before one is planned even if no two asked for the same lengths.
    static let recordedStepsAtMost = 6

    /// Requests of at least this many bytes made of the system are mapped pages, unmapped when given back.
    static let mappedBytes = 64 << 10

    /// Reserves `bytes` of address space; pages become memory only when first written. Zero: every
    /// request goes to the system allocator.
    init(reserving bytes: Int) {
        let mapped = bytes > 0 ? mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) : MAP_FAILED
        start = mapped == MAP_FAILED ? nil : mapped
        reserved = start == nil ? 0 : bytes
    }

    /// Bytes of address space reserved: 0 when every buffer comes from the system allocator.
    public var reservedBytes: Int { reserved }

    /// Bytes of the range ever handed out: the memory it holds; stays flat once training reaches a steady state.
    public var allocatedBytes: Int { lock.withLock { top } }

    /// The most bytes ever on loan at once: the least the pool could hold, were there no holes.
    public var peakLiveBytes: Int { lock.withLock { peakLive } }

    /// Starts `peakLiveBytes` again from the bytes on loan now, to see one phase's peak (bench: later steps').
    public func restartPeakLive() { lock.withLock { peakLive = live } }

    /// Runs `body`, one step of `stepper`'s training, placing the buffers it takes by plan. Until a plan is
    /// made, a step's buffers come from the system and go back to it when given back, so the memory held
    /// stays at the bytes on loan (page faults make such a step slower), and are recorded; once two
    /// recorded steps asked for the same lengths (or after `recordedStepsAtMost`), the last is planned
    /// above every block then on loan. A request whose planned place is not free is met as any other, so a
    /// step that differs is still served; a stepper whose step misses more than half its places records
    /// again. A step inside a step is part of it; without a reserved range, nothing is planned.
    public func step<T>(of stepper: AnyObject, _ body: () throws -> T) rethrows -> T {
        guard start != nil, lock.withLock({ begin(stepper) }) else { return try body() }
        defer { lock.withLock { end() } }
        return try body()
    }

    /// Runs `body` inside a step with its requests met by the pool's rule, as if no step were under way:
    /// neither recorded nor planned. For what only some steps do, a convolution's timing trials in the first:
    /// timed on memory the system maps afresh for every buffer, they measured page faults (direct ways
    /// 2–4× slower at DCGAN-128), and their buffers are not the step's. Inside a recording step, the
    /// pages `body` left free at the top go back to the system after it, as the step's own do.
    public func outsideStep<T>(_ body: () throws -> T) rethrows -> T {
        let aside = lock.withLock { () -> (stepper: AnyObject, requests: StepRequests)? in
            defer { stepping = nil }
            return stepping
        }
        defer {
            lock.withLock {
                stepping = aside
                if case .recording = aside?.requests { trimTop() }
            }
        }
        return try body()
    }

    /// Hands the pages of the free block that ends at the top back to the system and lowers the top to
    /// where that block starts (under the lock).
    private func trimTop() {
        let free = freeFromTop
        guard let start, free < top else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE))), from = (free + page - 1) / page * page
        if from < top { madvise(start + from, top - from, Int32(MADV_DONTNEED)) }
        freeBlocks.removeLast()
        top = free
    }

    /// Where the free memory that runs up to the top begins: the start of a free block ending at the top,
    /// else the top (under the lock).
    private var freeFromTop: Int {
        freeBlocks.last.map { $0.offset + $0.bytes == top ? $0.offset : top } ?? top
    }

    /// Starts a step of `stepper` unless one is under way, forgetting steppers that have gone (under the lock).
    private func begin(_ stepper: AnyObject) -> Bool {
        guard stepping == nil else { return false }
        steppers = steppers.filter { $0.value.owner != nil }
        if let (base, plan) = steppers[ObjectIdentifier(stepper)]?.plan {
            stepping = (stepper, .planned(PlannedStep(base: base, plan: plan)))
        } else {
            stepping = (stepper, .recording(StepRecord()))
        }
        return true
    }

    /// Steppers the pool keeps what their steps showed for: those whose objects are still there.
    var stepperCount: Int { lock.withLock { steppers.count } }

    /// Ends the step under way: plans a recorded step that repeats the one before, or forgets a plan
    /// the step mostly missed (under the lock).
    private func end() {
        guard let (owner, requests) = stepping else { return }
        stepping = nil
        let id = ObjectIdentifier(owner)
        var stepper = steppers[id] ?? Stepper(owner: owner)
        switch requests {
        case .recording(let record):
            stepper.recorded += 1
            let lengths = record.lengths
            if lengths == stepper.lastLengths || stepper.recorded >= Self.recordedStepsAtMost {
                // Above every block on loan now.
                stepper = Stepper(owner: owner, plan: (freeFromTop, StepPlan(record)))
            } else {
                stepper.lastLengths = lengths
            }
        case .planned(let step):
            if 2 * step.missed > step.requests { stepper = Stepper(owner: owner) }
        }
        steppers[id] = stepper
    }

    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = Self.blockBytes(count)
        let block: UnsafeMutableRawPointer = lock.withLock {
            lend(bytes)
            switch stepping?.requests {
            case .recording(let record):
                let block = systemTake(bytes)
                record.took(block, bytes: bytes)
                return block
            case .planned(let step):
                let occurrence = step.seen[bytes, default: 0]
                step.seen[bytes] = occurrence + 1
                step.requests += 1
                if let offset = step.plan.offset(bytes: bytes, occurrence: occurrence), let block = takeAt(step.base + offset, bytes: bytes) {
                    return block
                }
                step.missed += 1
                return placed(bytes) ?? systemTake(bytes)
            case nil:
                return placed(bytes) ?? systemTake(bytes)
            }
        }
        return block.bindMemory(to: Float.self, capacity: count)
    }

    /// `bytes` at `offset` in the range if that memory is free (under the lock).
    private func takeAt(_ offset: Int, bytes: Int) -> UnsafeMutableRawPointer? {
        let end = offset + bytes
        guard let start, end <= reserved else { return nil }
        if offset >= top {
            // Past the top: what lies between it and `offset` is free, joined to a free block ending at the top.
            if offset > top {
                if let last = freeBlocks.last, last.offset + last.bytes == top {
                    freeBlocks[freeBlocks.count - 1].bytes += offset - top
                } else {
                    freeBlocks.append((top, offset - top))
                }
            }
        } else {
            // The free block holding `offset` (the last one starting at or below it) must reach `end`, or
            // reach the top where the request runs past it.
            let i = freeBlocks.partitioningIndex { $0.offset > offset } - 1
            guard i >= 0 else { return nil }
            let block = freeBlocks[i], blockEnd = block.offset + block.bytes
            guard blockEnd >= end || (blockEnd == top && end > top) else { return nil }
            var rest: [(offset: Int, bytes: Int)] = []
            if offset > block.offset { rest.append((block.offset, offset - block.offset)) }
            if blockEnd > end { rest.append((end, blockEnd - end)) }
            freeBlocks.replaceSubrange(i...i, with: rest)
        }
        top = max(top, end)
        return start + offset
    }

    /// `bytes` where the pool's rule places them, or nil when the range cannot hold them (under the lock).
    private func placed(_ bytes: Int) -> UnsafeMutableRawPointer? {
        guard let start else { return nil }
        // The lowest free block that fits and is at most twice as long as the shortest that fits: long
        // blocks stay whole for long requests, as in best fit, and near fits go low, leaving the high end
        // free to merge toward the top. Replayed on 45 recorded runs of `bench train` (three versions of
        // the step), plain best fit summed 22.3 GB of pool tops and "half as long again" 22.0; on 21
        // later recordings (DCGAN and fastgan-lite at 32–128 px in both precisions, and a trainer's run)
        // "twice" summed 9154 MB against 9314, at most 8 MB more on any one, and took DCGAN-128's at
        // batch 64 from 632–636 MB to 584–586 where the other had been unlucky.
        var shortest = Int.max
        for block in freeBlocks where block.bytes >= bytes && block.bytes < shortest {
            shortest = block.bytes
            if shortest == bytes { break }
        }
        if shortest < .max, let i = freeBlocks.firstIndex(where: { $0.bytes >= bytes && $0.bytes <= 2 * shortest }) {
            let block = freeBlocks[i]
            if block.bytes == bytes { freeBlocks.remove(at: i) } else { freeBlocks[i] = (block.offset + bytes, block.bytes - bytes) }
            return start + block.offset
        }
        // None fits: the top grows, starting inside a free block that ends at it.
        let from = freeFromTop
        guard from + bytes <= reserved else { return nil }
        if from < top { freeBlocks.removeLast() }
        top = from + bytes
        return start + from
    }

    /// Counts `bytes` on loan (under the lock).
    private func lend(_ bytes: Int) {
        live += bytes
        peakLive = max(peakLive, live)
    }

    func give(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
        let block = UnsafeMutableRawPointer(buffer), bytes = Self.blockBytes(count)
        let offset = start.flatMap { block >= $0 && block < $0 + reserved ? $0.distance(to: block) : nil }
        lock.withLock {
            live -= bytes
            if case .recording(let record) = stepping?.requests { record.gave(block) }
            if let offset { free(offset, bytes: bytes) }
        }
        if offset == nil { systemGive(block, bytes: bytes) }
    }

    /// Puts a block back among the free ones in address order, merged with the blocks before and after
    /// it when they touch (under the lock).
    private func free(_ offset: Int, bytes: Int) {
        let at = freeBlocks.partitioningIndex { $0.offset >= offset }
        var merged = (offset: offset, bytes: bytes)
        if at < freeBlocks.count, offset + bytes == freeBlocks[at].offset {
            merged.bytes += freeBlocks[at].bytes
            freeBlocks.remove(at: at)
        }
        if at > 0, freeBlocks[at - 1].offset + freeBlocks[at - 1].bytes == offset {
            freeBlocks[at - 1].bytes += merged.bytes
        } else {
            freeBlocks.insert(merged, at: at)
        }
    }

    /// A block from the system: mapped pages for a long one while the pool has a range (given back whole
    /// when the block is), else the C allocator's (always under AddressSanitizer, which watches its blocks).
    private func systemTake(_ bytes: Int) -> UnsafeMutableRawPointer {
        guard mapsPages(bytes) else {
            return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.alignment)
        }
        let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else { fatalError("out of memory: the system has no \(bytes) bytes for a tensor") }
        return mapped
    }

    private func systemGive(_ block: UnsafeMutableRawPointer, bytes: Int) {
        if mapsPages(bytes) { munmap(block, bytes) } else { block.deallocate() }
    }

    /// Whether a block of `bytes` from the system is mapped pages rather than the C allocator's.
    private func mapsPages(_ bytes: Int) -> Bool { start != nil && bytes >= Self.mappedBytes }

    /// A request's block: whole 64-byte lines, at least one.
    private static func blockBytes(_ count: Int) -> Int { max(1, (count * 4 + alignment - 1) / alignment) * alignment }
}

extension Array {
    /// The first index whose element satisfies `isAbove`, for elements ordered so that all that do come
    /// after all that do not (binary search).
    func partitioningIndex(where isAbove: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if isAbove(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
