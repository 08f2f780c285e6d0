import Engine

/// The few draws every scene needs beyond uniforms.
extension RandomGenerator {
    /// True with probability `p`.
    mutating func chance(_ p: Float) -> Bool { uniform() < p }

    /// Uniform in the closed range.
    mutating func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ options: [T]) -> T { options[integer(0...(options.count - 1))] }
}
