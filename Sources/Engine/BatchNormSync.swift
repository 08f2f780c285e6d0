/// Batch statistics of a batch split over processes (data-parallel training). While `sum` is set,
/// batch norm in training mode passes its per-channel sums through it, forward (Σx, Σx², count) and
/// backward (Σdy, Σdy·x̂), so every process normalises by the statistics of the whole global batch.
public enum BatchNormSync {
    /// Adds the buffer over every process, in place; nil in a single process.
    nonisolated(unsafe) public static var sum: ((UnsafeMutableBufferPointer<Double>) -> Void)?

    /// Runs `body` with `sum` set (nil leaves batch norm local).
    public static func across<T>(_ sum: ((UnsafeMutableBufferPointer<Double>) -> Void)?, _ body: () throws -> T) rethrows -> T {
        let was = self.sum
        self.sum = sum
        defer { self.sum = was }
        return try body()
    }
}

extension BatchNormSync {
    /// A batch norm's backward over channels (or channel pairs) 0..<count in two passes each: `first` adds a
    /// channel's local sums into `sums`, `second` (when given) reads them whole. Without `exchange` a
    /// channel's second pass runs right after its first, while the values both read are still in cache;
    /// with it (`sum`, in training) every first pass runs, then the exchange, then every second.
    static func backward(count: Int, grain: Int, sums: UnsafeMutableBufferPointer<Double>,
                         exchange: ((UnsafeMutableBufferPointer<Double>) -> Void)?, first: (Int) -> Void, second: ((Int) -> Void)?) {
        if let second, let exchange {
            Parallel.chunks(count, grain: grain) { $0.forEach(first) }
            exchange(sums)
            Parallel.chunks(count, grain: grain) { $0.forEach(second) }
        } else {
            Parallel.chunks(count, grain: grain) { channels in
                for channel in channels {
                    first(channel)
                    second?(channel)
                }
            }
        }
    }
}
