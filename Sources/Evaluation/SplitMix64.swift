import Foundation

/// Seeded random numbers for the metrics' patch positions and projections (Steele et al. 2014).
/// Evaluation sits beside the engine, not on it, so it carries this eight-line generator of its own.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (modulo bias below 2⁻⁴⁰ for the small n used here).
    mutating func index(below n: Int) -> Int { Int(next() % UInt64(n)) }

    /// Standard normal by Box–Muller, one value per two draws.
    mutating func normal() -> Float {
        let u1 = Double(next() >> 11) * 0x1p-53, u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
