/// One number measured several times (at several seeds): its mean and range, so a difference
/// between two runs can be told from the noise of the measurement itself.
public struct Spread: Sendable, Equatable {
    public let mean: Double, min: Double, max: Double

    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "a spread of no values")
        mean = values.reduce(0, +) / Double(values.count)
        min = values.min()!
        max = values.max()!
    }
}
