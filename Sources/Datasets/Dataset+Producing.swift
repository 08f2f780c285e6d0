import Dispatch
import Imaging

extension Dataset {
    /// Makes pictures 0..<count on all cores into [N, 3, R, R] bytes, in index order. An index whose
    /// `make` throws is left out, and its error returned with it.
    static func produce(count: Int, resolution: Int, _ make: (Int) throws -> Image)
        -> (pixels: [UInt8], failures: [(index: Int, error: Error)]) {
        let size = 3 * resolution * resolution
        var pixels = [UInt8](repeating: 0, count: count * size)
        var errors = [Error?](repeating: nil, count: count)
        pixels.withUnsafeMutableBufferPointer { bytes in
            errors.withUnsafeMutableBufferPointer { errors in
                DispatchQueue.concurrentPerform(iterations: count) { index in
                    do {
                        let image = try make(index)
                        precondition(image.width == resolution && image.height == resolution,
                                     "made a \(image.width)×\(image.height) picture for a \(resolution)² dataset")
                        let slot = bytes.baseAddress! + index * size
                        image.pixels.withUnsafeBufferPointer { values in
                            for i in 0..<size { slot[i] = UInt8(min(max(values[i], 0), 1) * 255 + 0.5) }
                        }
                    } catch {
                        errors[index] = error
                    }
                }
            }
        }
        let failures = errors.enumerated().compactMap { index, error in error.map { (index, $0) } }
        guard !failures.isEmpty else { return (pixels, []) }
        var kept: [UInt8] = []
        kept.reserveCapacity((count - failures.count) * size)
        for index in 0..<count where errors[index] == nil { kept += pixels[(index * size)..<((index + 1) * size)] }
        return (kept, failures)
    }
}
