import CVectorMath

/// A seeded xoshiro256** generator whose whole state is four words, so a run saves it in its
/// checkpoint and replays exactly from there.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.stateWords == b.stateWords }

    public var state: (UInt64, UInt64, UInt64, UInt64)

    /// Expands `seed` with splitmix64, as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var s = seed
        func splitmix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public init(state: [UInt64]) {
        precondition(state.count == 4 && state.contains { $0 != 0 }, "xoshiro256** state is four words, not all zero")
        self.state = (state[0], state[1], state[2], state[3])
    }

    /// The state as four words, for checkpoints.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    @inlinable public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inlinable func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits.
    @inlinable public mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [low, high).
    @inlinable public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * uniform() }

    /// Uniform in 0..<n (modulo bias below n / 2⁶⁴).
    @inlinable public mutating func index(below n: Int) -> Int { Int(next() % UInt64(n)) }

    /// 0..<n in a uniformly random order (Fisher–Yates from the last position down).
    public mutating func permutation(_ n: Int) -> [Int] {
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(next() % UInt64(i + 1))) }
        return order
    }

    /// Standard normal by Box–Muller; each call draws two uniforms and returns one value, so the
    /// stream position never depends on a cached spare.
    @inlinable public mutating func normal() -> Float {
        let u1 = Double(next() >> 11) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// `count` standard normal values into `buffer`, two from each draw of 64 bits (`neurossia_normal_pairs`):
    /// about twenty times faster than `normal()` in bulk, and other values, so for noise, not for what a
    /// seed must reproduce from older versions (latent vectors, initial weights).
    public mutating func fillNormal(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        let pairs = (count + 1) / 2
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: pairs) { bits in
            for i in 0..<pairs { bits[i] = next() }
            // Whole pairs straight into the buffer; an odd count's last pair through two floats of room.
            neurossia_normal_pairs(bits.baseAddress!, buffer, count / 2)
            guard count % 2 == 1 else { return }
            var last: (Float, Float) = (0, 0)
            withUnsafeMutablePointer(to: &last) { pair in
                pair.withMemoryRebound(to: Float.self, capacity: 2) { neurossia_normal_pairs(bits.baseAddress! + pairs - 1, $0, 1) }
            }
            buffer[count - 1] = last.0
        }
    }

    /// An independent generator for a sub-stream (a worker, an image index), derived from this one's
    /// seed material without advancing it.
    public func derived(_ index: UInt64) -> RandomGenerator {
        RandomGenerator(seed: state.0 ^ (index &* 0xD1B5_4A32_D192_ED03) ^ rotl(state.2, 17))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
