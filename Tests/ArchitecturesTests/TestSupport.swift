import Engine
import Layers
import ThemeConfig
@testable import Architectures

/// `type` with each integer parameter at the smallest value its declaration allows and the rest at
/// their defaults: a network any registered architecture can build and run in seconds.
func smallest(_ type: any Architecture.Type, resolution: Int) throws -> any Architecture {
    var parameters: [String: ParameterValue] = [:]
    for spec in type.declaration.parameters {
        if case .int(let range) = spec.kind { parameters[spec.key] = .int(range.lowerBound) }
    }
    return try type.init(parameters: parameters, resolution: resolution)
}

/// Images [n, 3, size, size] in [-1, 1]: smooth colour gradients, so a decoder has something to learn.
func gradientImages(_ n: Int, size: Int, rng: inout RandomGenerator) -> Tensor {
    var values: [Float] = []
    for _ in 0..<n {
        for _ in 0..<3 {
            let (a, b, c) = (rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-0.5, 0.5))
            for y in 0..<size {
                for x in 0..<size {
                    let (u, v) = (Float(x) / Float(size - 1), Float(y) / Float(size - 1))
                    values.append(max(-1, min(1, a * u + b * v + c)))
                }
            }
        }
    }
    return Tensor(values, shape: [n, 3, size, size])
}

/// Copies every parameter and buffer of `source` into `target` (same architecture).
func copyState(from source: Module, to target: Module) {
    for (t, s) in zip(target.namedState(), source.namedState()) {
        precondition(t.name == s.name, "\(t.name) ≠ \(s.name)")
        t.tensor.copy(from: s.tensor)
    }
}
