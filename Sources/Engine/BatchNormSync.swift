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
