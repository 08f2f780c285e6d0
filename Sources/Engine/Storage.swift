import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A float buffer on loan from the pool. Training asks for the same buffers in the same order every
/// step, so after the first step every request is met from memory earlier tensors gave back.
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
/// with their free neighbours when given back, and never returned to the system (no page faults after
/// the first step). Free blocks of any length serve a request of any other, so the memory a step holds
/// stays near its peak of live bytes: fastgan-lite at 128 px asks for some sixty lengths, each peaking
/// at its own moment, and a pool of free lists per length held 46% more than the peak (1356 MB of
/// buffers for a 928 MB peak). Requests the range cannot hold come from the system allocator.
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
    /// Bytes of the range on loan now, and the most ever on loan at once: the pool's top less its holes.
    private var live = 0, peakLive = 0
    private let lock = NSLock()
    static let alignment = 64

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

    /// The most bytes of the range ever on loan at once: the least the pool could hold, were there no holes.
    public var peakLiveBytes: Int { lock.withLock { peakLive } }

    /// Starts `peakLiveBytes` again from the bytes on loan now, to see one phase's peak (bench: later steps').
    public func restartPeakLive() { lock.withLock { peakLive = live } }

    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = Self.blockBytes(count)
        let offset: Int? = lock.withLock {
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
            let fit = shortest == .max ? nil : freeBlocks.firstIndex { $0.bytes >= bytes && $0.bytes <= 2 * shortest }
            if let i = fit {
                lend(bytes)
                let block = freeBlocks[i]
                if block.bytes == bytes { freeBlocks.remove(at: i) } else { freeBlocks[i] = (block.offset + bytes, block.bytes - bytes) }
                return block.offset
            }
            // None fits: the top grows, starting inside a free block that ends at it.
            let from = freeBlocks.last.map { $0.offset + $0.bytes == top ? $0.offset : top } ?? top
            guard from + bytes <= reserved else { return nil }
            if from < top { freeBlocks.removeLast() }
            top = from + bytes
            lend(bytes)
            return from
        }
        guard let offset, let start else {
            return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.alignment).bindMemory(to: Float.self, capacity: count)
        }
        return (start + offset).bindMemory(to: Float.self, capacity: count)
    }

    /// Counts `bytes` on loan (under the lock).
    private func lend(_ bytes: Int) {
        live += bytes
        peakLive = max(peakLive, live)
    }

    func give(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
        guard let start, UnsafeMutableRawPointer(buffer) >= start, UnsafeMutableRawPointer(buffer) < start + reserved else {
            buffer.deallocate()
            return
        }
        let block = (offset: start.distance(to: UnsafeMutableRawPointer(buffer)), bytes: Self.blockBytes(count))
        lock.withLock {
            live -= block.bytes
            // Insert in address order, merging with the block before and after when they touch.
            var low = 0, high = freeBlocks.count
            while low < high {
                let mid = (low + high) / 2
                if freeBlocks[mid].offset < block.offset { low = mid + 1 } else { high = mid }
            }
            var merged = block, at = low
            if at < freeBlocks.count, merged.offset + merged.bytes == freeBlocks[at].offset {
                merged.bytes += freeBlocks[at].bytes
                freeBlocks.remove(at: at)
            }
            if at > 0, freeBlocks[at - 1].offset + freeBlocks[at - 1].bytes == merged.offset {
                at -= 1
                merged = (freeBlocks[at].offset, freeBlocks[at].bytes + merged.bytes)
                freeBlocks[at] = merged
            } else {
                freeBlocks.insert(merged, at: at)
            }
        }
    }

    /// A request's block: whole 64-byte lines, at least one.
    private static func blockBytes(_ count: Int) -> Int { max(1, (count * 4 + alignment - 1) / alignment) * alignment }
}
