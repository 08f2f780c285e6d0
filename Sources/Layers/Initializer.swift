import Engine

/// How a layer's weights start.
public enum Initializer: Sendable {
    /// N(0, std²): DCGAN's 0.02.
    case normal(std: Float)
    /// He et al. 2015: N(0, gain² / fanIn), gain = √(2 / (1 + slope²)) for a leaky ReLU after the layer.
    case kaiming(slope: Float)

    /// A weight of `shape` whose fan-in is `fanIn`, drawn from `rng`.
    public func weight(_ shape: [Int], fanIn: Int, rng: inout RandomGenerator) -> Tensor {
        let std: Float
        switch self {
        case .normal(let s): std = s
        case .kaiming(let slope): std = (2 / (1 + slope * slope)).squareRoot() / Float(fanIn).squareRoot()
        }
        return Tensor(randomNormal: shape, std: std, rng: &rng).requiringGrad()
    }
}
