import Engine
import Foundation
import TestSupport
import XCTest
@testable import Datasets

/// Checks `op` two ways against `reference`, a naive Float64 version of the same function: the
/// outputs agree, and the tape's gradient of Σ out·r (fixed random r) agrees with central finite
/// differences of the reference.
func checkGradient(_ input: Tensor, tolerance: Double = 2e-3, file: StaticString = #filePath, line: UInt = #line,
                   op: (Tensor) -> Tensor, reference: ([Double]) -> [Double]) {
    let x = input.detached().requiringGrad()
    let out = op(x)
    var values = x.scalars.map(Double.init)
    let expected = reference(values)
    XCTAssertEqual(out.count, expected.count, "output size", file: file, line: line)
    let forwardError = zip(out.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
    XCTAssertLessThan(forwardError, 1e-5, "forward differs from the reference", file: file, line: line)

    var rng = RandomGenerator(seed: 77)
    let weights = (0..<out.count).map { _ in Double(rng.uniform(-1, 1)) }
    (out * Tensor(weights.map(Float.init), shape: out.shape)).sum().backward()
    let analytic = x.grad ?? Array(repeating: 0, count: x.count)
    func loss(_ values: [Double]) -> Double { zip(reference(values), weights).reduce(0) { $0 + $1.0 * $1.1 } }
    for i in values.indices {
        let (saved, h) = (values[i], 1e-4)
        values[i] = saved + h
        let up = loss(values)
        values[i] = saved - h
        let down = loss(values)
        values[i] = saved
        let numeric = (up - down) / (2 * h)
        if abs(Double(analytic[i]) - numeric) > tolerance * max(1, abs(numeric)) {
            XCTFail("element \(i): tape \(analytic[i]) vs finite difference \(numeric)", file: file, line: line)
            return
        }
    }
}
