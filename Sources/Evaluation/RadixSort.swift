/// Sorts floats ascending, in place, several times faster than `sorted()` on the 32K-value rows SWD
/// sorts by the thousand (where the standard library's merge sort took 85% of an eval): each float's
/// bits become a key that orders as unsigned integers do (negative floats flipped whole, positive
/// ones with the sign bit set), keys go through three counting passes of 11, 11 and 10 bits, and
/// come back as floats. -0 sorts before +0; NaNs sort by their bits, positive ones last.
enum RadixSort {
    /// Bits of the key each pass sorts by, lowest first.
    private static let digits: [(shift: UInt32, buckets: Int)] = [(0, 2048), (11, 2048), (22, 1024)]

    /// `values` sorted; `scratch` holds at least as many elements and is overwritten.
    static func sort(_ values: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<UInt32>) {
        let n = values.count
        precondition(scratch.count >= n, "radix sort scratch holds \(scratch.count) of \(n)")
        guard n > 1 else { return }
        values.withMemoryRebound(to: UInt32.self) { keys in
            // counts[2048 p + d]: keys whose digit p is d, then where the first of them goes.
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3 * 2048)
            defer { counts.deallocate() }
            counts.initialize(repeating: 0)
            for i in 0..<n {
                let bits = keys[i]
                let key = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
                keys[i] = key
                counts[Int(key & 0x7FF)] += 1
                counts[2048 + Int((key >> 11) & 0x7FF)] += 1
                counts[4096 + Int(key >> 22)] += 1
            }
            var (from, to) = (keys, scratch)
            for (p, digit) in digits.enumerated() {
                let offsets = UnsafeMutableBufferPointer(rebasing: counts[(p * 2048)..<(p * 2048 + digit.buckets)])
                var start = 0
                for d in offsets.indices { (offsets[d], start) = (start, start + offsets[d]) }
                let mask = UInt32(digit.buckets - 1)
                for i in 0..<n {
                    let key = from[i], d = Int((key >> digit.shift) & mask)
                    to[offsets[d]] = key
                    offsets[d] += 1
                }
                swap(&from, &to)
            }
            // Three passes leave the keys in `scratch` (`from` after the last swap).
            for i in 0..<n {
                let key = from[i]
                keys[i] = key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key
            }
        }
    }
}
