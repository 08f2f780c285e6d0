import XCTest
@testable import Engine

/// Checks an op two ways against a naive Float64 reference of its forward: the outputs agree, and the
/// gradients from the tape agree with central finite differences of the reference, computed in Float64.
/// The loss is Σ out · r with fixed random r, so every output element carries a distinct weight.
func checkOp(
    _ inputs: [Tensor], tolerance: Double = 2e-3, file: StaticString = #filePath, line: UInt = #line,
    op: ([Tensor]) -> Tensor, reference: ([[Double]]) -> [Double]
) {
    var rng = RandomGenerator(seed: 99)
    for t in inputs { t.requiresGrad = true; t.gradStorage = nil }
    let out = op(inputs)
    let expected = reference(inputs.map { $0.scalars.map(Double.init) })
    XCTAssertEqual(out.count, expected.count, "output size", file: file, line: line)
    let forwardError = zip(out.scalars, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
    XCTAssertLessThan(forwardError, 1e-4, "forward differs from the reference", file: file, line: line)

    let weights = (0..<out.count).map { _ in Double(rng.uniform(-1, 1)) }
    (out * Tensor(weights.map(Float.init), shape: out.shape)).sum().backward()

    func loss(_ values: [[Double]]) -> Double { zip(reference(values), weights).reduce(0) { $0 + $1.0 * $1.1 } }
    var values = inputs.map { $0.scalars.map(Double.init) }
    for (k, input) in inputs.enumerated() {
        let analytic = input.grad ?? Array(repeating: 0, count: input.count)
        for i in 0..<input.count {
            let h = 1e-4 * max(1, abs(values[k][i]))
            let saved = values[k][i]
            values[k][i] = saved + h
            let up = loss(values)
            values[k][i] = saved - h
            let down = loss(values)
            values[k][i] = saved
            let numeric = (up - down) / (2 * h)
            let error = abs(Double(analytic[i]) - numeric) / max(1, abs(numeric))
            if error > tolerance {
                XCTFail("input \(k) element \(i): tape \(analytic[i]) vs finite difference \(numeric)", file: file, line: line)
                return
            }
        }
    }
}

func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor(randomNormal: shape, std: scale, rng: &rng)
}

/// Runs `body` with `algorithm` as the process's convolution choice, then puts the one before back.
func withConvolution<T>(_ algorithm: ConvolutionAlgorithm, _ body: () throws -> T) rethrows -> T {
    let before = ConvolutionAlgorithm.current
    ConvolutionAlgorithm.current = algorithm
    defer { ConvolutionAlgorithm.current = before }
    return try body()
}
