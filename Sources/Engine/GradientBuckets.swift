/// The gradients of many parameters summed over processes in a few large messages rather than one per
/// tensor: a message costs a latency (tens of µs on a network) however small it is, and a network
/// has a hundred-odd tensors. Gradients are copied into buckets of at most `bucketFloats`, each bucket
/// is summed in place by the caller's function, and the sums are copied back.
public final class GradientBuckets {
    public let parameters: [Tensor]
    /// Floats per bucket: 4M (16 MB), enough that per-message latency is small next to the transfer.
    public static let bucketFloats = 1 << 22
    private var buffer: [Float]

    public init(parameters: [Tensor]) {
        self.parameters = parameters
        buffer = []
    }

    /// Floats sent per call for `extras` extra values: every gradient plus the extras.
    public func floats(extras: Int) -> Int { parameters.reduce(extras) { $0 + $1.count } }

    /// Sums every parameter's gradient (a parameter nothing flowed into counts as zeros) and `extras`
    /// (losses, say) through `sum`, which adds a buffer over all processes in place.
    public func reduce(extras: inout [Float], _ sum: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let total = floats(extras: extras.count)
        if buffer.count != total { buffer = [Float](repeating: 0, count: total) }
        buffer.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            for p in parameters {
                Parallel.copy(p.gradBuffer, to: buffer.baseAddress! + offset, count: p.count)
                offset += p.count
            }
            for (i, value) in extras.enumerated() { buffer[offset + i] = value }
            var start = 0
            while start < total {
                let end = min(start + Self.bucketFloats, total)
                sum(UnsafeMutableBufferPointer(rebasing: buffer[start..<end]))
                start = end
            }
            offset = 0
            for p in parameters {
                Parallel.copy(buffer.baseAddress! + offset, to: p.gradBuffer, count: p.count)
                offset += p.count
            }
            for i in extras.indices { extras[i] = buffer[offset + i] }
        }
    }
}
