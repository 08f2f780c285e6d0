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

    public func update() {
        for (average, current) in pairs {
            if current.requiresGrad {
                let (a, c, d) = (average.data, current.data, decay)
                for i in 0..<average.count { a[i] = d * a[i] + (1 - d) * c[i] }
            } else {
                average.copy(from: current)
            }
        }
    }
}
