import Engine

/// Keeps `average` ≈ a slowly moving mean of `model`'s weights (Karras et al.), the generator that ships.
/// Parameters move by `decay`; buffers (running statistics) are copied.
public struct ExponentialMovingAverage {
    public var decay: Float
    let pairs: [(average: Tensor, current: Tensor)]

    public init(average: Module, of model: Module, decay: Float) {
        let a = average.namedState(), m = model.namedState()
        precondition(a.map(\.name) == m.map(\.name), "EMA needs two modules of one architecture")
        pairs = zip(a, m).map { ($0.tensor, $1.tensor) }
        self.decay = decay
        for (avg, cur) in pairs { avg.copy(from: cur) }
    }

    /// Moves the average toward the model after update number `step` (from 1). Early on the decay is
    /// capped at (1 + step) / (10 + step), so the average follows quickly before settling to `decay`.
    public func update(step: Int) {
        OpClock.measure(.movingAverage) {
            let d = min(decay, Float(1 + step) / Float(10 + step))
            for (average, current) in pairs {
                if current.requiresGrad {
                    let (a, c) = (average.data, current.data)
                    for i in 0..<average.count { a[i] = d * a[i] + (1 - d) * c[i] }
                } else {
                    average.copy(from: current)
                }
            }
        }
    }
}
