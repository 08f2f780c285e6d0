import XCTest
@testable import Engine

/// Whole layers, forward and backward, in bf16 against the same layers in fp32. Every output and
/// gradient entry is a sum of products, so it may move by bf16ProductBound of that sum's magnitudes;
/// running the layer in fp32 on |x|, |weight| and |dy| computes exactly those magnitudes.
final class BF16ConvolutionTests: XCTestCase {
    struct Pass {
        let out: [Float], dx: [Float], dweight: [Float]
    }

    /// Forward and backward of `op` on copies of x and weight, with output gradient dy.
    func pass(_ x: Tensor, _ weight: Tensor, _ dy: Tensor, backend: GEMMBackend, op: (Tensor, Tensor) -> Tensor) -> Pass {
        var result: Pass?
        withBackend(backend) {
            let x = Tensor(x.scalars, shape: x.shape, requiresGrad: true)
            let weight = Tensor(weight.scalars, shape: weight.shape, requiresGrad: true)
            let out = op(x, weight)
            out.backward(gradient: dy)
            result = Pass(out: out.scalars, dx: x.grad!, dweight: weight.grad!)
        }
        return result!
    }

    /// Checks bf16 against fp32 entry by entry; `reduction` is the longest sum behind any entry.
    func check(x: Tensor, weight: Tensor, reduction: Int, op: (Tensor, Tensor) -> Tensor) throws {
        try skipWithoutBF16()
        let dy = random(op(x, weight).shape, seed: 71)
        let magnitude = { (t: Tensor) in Tensor(t.scalars.map { Swift.abs($0) }, shape: t.shape) }
        let fp32 = pass(x, weight, dy, backend: .fastestFP32, op: op)
        let bf16 = pass(x, weight, dy, backend: .oneDNNBF16, op: op)
        let size = pass(magnitude(x), magnitude(weight), magnitude(dy), backend: .fastestFP32, op: op)
        // bf16's own error, plus fp32 summation error in both runs.
        let allowed = bf16ProductBound + 2 * fp32SumBound(reduction)
        for (name, a, b, m) in [("output", bf16.out, fp32.out, size.out), ("dx", bf16.dx, fp32.dx, size.dx),
                                ("dweight", bf16.dweight, fp32.dweight, size.dweight)] {
            let worst = zip(zip(a, b), m).map { pair, s in Swift.abs(Double(pair.0) - Double(pair.1)) / (allowed * Double(s) + 1e-30) }.max()!
            XCTAssertLessThanOrEqual(worst, 1, "\(name): bf16 differs from fp32 by more than 2⁻⁷ of the entry's magnitudes")
            XCTAssertNotEqual(a, b, "\(name): bf16 equals fp32 exactly, so bf16 did not run")
            print(String(format: "bf16 vs fp32 %@: worst error %.2f of the bound", name, worst))
        }
    }

    func testConv2dForwardAndBackwardInBF16StayWithinTheBound() throws {
        let x = random([4, 32, 16, 16], seed: 72), weight = random([64, 32, 4, 4], seed: 73, scale: 0.1)
        try check(x: x, weight: weight, reduction: 4 * 8 * 8) { conv2d($0, $1, stride: 2, padding: 1) }
    }

    func testConvTranspose2dForwardAndBackwardInBF16StayWithinTheBound() throws {
        let x = random([4, 64, 8, 8], seed: 74), weight = random([64, 32, 4, 4], seed: 75, scale: 0.1)
        try check(x: x, weight: weight, reduction: 4 * 16 * 16) { convTranspose2d($0, $1, stride: 2, padding: 1) }
    }

    /// im2col in bands of column rows (`ConvGeometry.rowBands`: 32 bands of one input channel's 16 taps
    /// here), each band's GEMM reading its slice of the weights' bfloat16 copy.
    func testConvolutionsInBandsOfColumnRowsInBF16StayWithinTheBound() throws {
        let (savedTile, savedAlgorithm) = (ConvGeometry.tileFloats, ConvolutionAlgorithm.current)
        (ConvGeometry.tileFloats, ConvolutionAlgorithm.current) = (4096, .im2col)
        defer { (ConvGeometry.tileFloats, ConvolutionAlgorithm.current) = (savedTile, savedAlgorithm) }
        try testConv2dForwardAndBackwardInBF16StayWithinTheBound()
        try testConvTranspose2dForwardAndBackwardInBF16StayWithinTheBound()
    }

    func testLinearForwardAndBackwardInBF16StayWithinTheBound() throws {
        let x = random([48, 300], seed: 76), weight = random([70, 300], seed: 77, scale: 0.1)
        try check(x: x, weight: weight, reduction: 300) { linear($0, $1) }
    }
}
