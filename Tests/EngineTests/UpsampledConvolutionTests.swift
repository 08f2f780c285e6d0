import XCTest
@testable import Engine

final class UpsampledConvolutionTests: XCTestCase {
    /// The transposed 4×4 convolution with the summed kernel gives what upsampling and a 3×3 convolution
    /// give, values and both gradients, at odd sizes and channel counts.
    func testTransposedKernelMatchesUpsamplingThenConvolving() {
        for (n, i, o, h, w) in [(2, 3, 4, 5, 6), (1, 5, 2, 1, 1), (3, 2, 3, 4, 4)] {
            let r = random([n, o, 2 * h, 2 * w], seed: 9)
            func run(_ body: (Tensor, Tensor) -> Tensor) -> (y: [Float], dx: [Float], dw: [Float]) {
                let x = random([n, i, h, w], seed: 1).requiringGrad(), weight = random([o, i, 3, 3], seed: 2).requiringGrad()
                let y = body(x, weight)
                (y * r).sum().backward()
                return (y.scalars, x.grad!, weight.grad!)
            }
            let direct = run { conv2d($0.upsampleNearest(2), $1, padding: 1) }
            let transposed = run { convTranspose2d($0, upsamplingKernel($1), stride: 2, padding: 1) }
            for (name, a, b) in [("y", direct.y, transposed.y), ("dx", direct.dx, transposed.dx), ("dw", direct.dw, transposed.dw)] {
                XCTAssertEqual(a.count, b.count, name)
                XCTAssertEqual(zip(a, b).map { abs($0 - $1) }.max()!, 0, accuracy: 1e-4, "\(name) at \(n)×\(i)→\(o), \(h)×\(w)")
            }
        }
    }

    func testEachTapSumsTheThreeByThreeTapsItCovers() {
        let weight = Tensor((1...9).map(Float.init), shape: [1, 1, 3, 3])
        // Rows 0…3 of the 4×4 kernel sum 3×3 rows [2], [1, 2], [0, 1], [0]; columns alike.
        XCTAssertEqual(upsamplingKernel(weight).scalars, [9, 17, 15, 7,
                                                          15, 28, 24, 11,
                                                          9, 16, 12, 5,
                                                          3, 5, 3, 1].map(Float.init))
    }
}
