import Foundation

/// A float buffer on loan from the pool. Training allocates the same sizes every step, so after the
/// first step every request is met from buffers that earlier tensors gave back when they died.
final class Storage: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        base = BufferPool.shared.take(count)
    }

    deinit { BufferPool.shared.give(base, count: count) }
}

/// Free lists of 64-byte-aligned float buffers keyed by exact length.
public final class BufferPool: @unchecked Sendable {
    public static let shared = BufferPool()
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private let lock = NSLock()
    /// Bytes handed out by the system allocator so far; stays flat once training reaches a steady state.
    public private(set) var allocatedBytes = 0

    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        lock.lock()
        defer { lock.unlock() }
        if let buffer = free[count]?.popLast() { return buffer }
        allocatedBytes += max(count, 1) * 4
        return UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(count, 1))
    }

    func give(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
        lock.lock()
        free[count, default: []].append(buffer)
        lock.unlock()
    }
}
