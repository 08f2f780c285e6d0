import Foundation
import XCTest
@testable import Engine

/// The RGB layer's kernel (3×3, stride 1, padding 1, at most four output channels) against the Float64
/// reference: output and the tape's gradients for x, weight and bias (finite differences), on shapes whose
/// rows are not a multiple of any vector width, with the batch split over the cores unevenly.
final class NarrowConvolutionTests: XCTestCase {
    func testThreeChannelsMatchReferenceAndFiniteDifferences() {
        let (n, c, h, w, o) = (3, 5, 6, 19, 3)
        let x = random([n, c, h, w], seed: 301), weight = random([o, c, 3, 3], seed: 302, scale: 0.3), bias = random([o], seed: 303)
        XCTAssertNotNil(NarrowConvolution(x: x, weight: weight, stride: 1, padding: 1), "the narrow kernel does not take this shape")
        checkOp([x, weight, bias]) { conv2d($0[0], $0[1], bias: $0[2], padding: 1) } reference: {
            Reference.conv2d($0[0], $0[1], $0[2], n: n, c: c, h: h, wd: w, o: o, k: 3, stride: 1, padding: 1)
        }
    }

    func testTanhIsAppliedAndDifferentiated() {
        let (n, c, h, w, o) = (2, 4, 5, 33, 1)
        let x = random([n, c, h, w], seed: 304), weight = random([o, c, 3, 3], seed: 305, scale: 0.2)
        checkOp([x, weight]) { conv2d($0[0], $0[1], padding: 1, activation: .tanh) } reference: {
            Reference.conv2d($0[0], $0[1], nil, n: n, c: c, h: h, wd: w, o: o, k: 3, stride: 1, padding: 1).map { Foundation.tanh($0) }
        }
    }

    /// x feeding two uses gets the sum of both gradients: the kernel adds into a gradient already there.
    func testInputGradientIsAddedToWhatIsThere() {
        let x = random([2, 3, 4, 7], seed: 306, requiresGrad: true), weight = random([2, 3, 3, 3], seed: 307)
        let once = Tensor(x.scalars, shape: x.shape, requiresGrad: true)
        conv2d(once, weight, padding: 1).sum().backward()
        (conv2d(x, weight, padding: 1) + conv2d(x, weight, padding: 1)).sum().backward()
        for (twice, single) in zip(x.grad!, once.grad!) { XCTAssertEqual(twice, 2 * single, accuracy: 1e-5 * max(1, abs(single))) }
    }

    func testWiderOutputsAndOtherKernelsTakeTheOtherWays() {
        let x = random([1, 4, 8, 8], seed: 308)
        XCTAssertNil(NarrowConvolution(x: x, weight: random([5, 4, 3, 3], seed: 309), stride: 1, padding: 1))
        XCTAssertNil(NarrowConvolution(x: x, weight: random([3, 4, 3, 3], seed: 309), stride: 2, padding: 1))
        XCTAssertNil(NarrowConvolution(x: x, weight: random([3, 4, 4, 4], seed: 309), stride: 1, padding: 1))
    }
}

/// The transposed RGB layer's kernel (4×4, stride 2, padding 1, at most four output channels; inference)
/// against the Float64 definition, entry by entry within 1e-5 of the magnitude reference (Σ|x||w| + |b|):
/// one and two blocks of sixteen columns, columns left over alone and after a block, bias or none, tanh.
final class NarrowTransposedConvolutionTests: XCTestCase {
    func check(n: Int, c: Int, h: Int, w: Int, o: Int, bias hasBias: Bool, activation: Activation,
               file: StaticString = #filePath, line: UInt = #line) {
        let x = random([n, c, h, w], seed: 311), weight = random([c, o, 4, 4], seed: 312, scale: 0.3)
        let bias = hasBias ? random([o], seed: 313) : nil
        XCTAssertNotNil(NarrowTransposedConvolution(x: x, weight: weight, stride: 2, padding: 1, recording: false), file: file, line: line)
        let out = convTranspose2d(x, weight, bias: bias, stride: 2, padding: 1, activation: activation).scalars
        XCTAssertEqual(out.count, n * o * 4 * h * w, file: file, line: line)
        let worst = Reference.upsamplingError(out, x: x, weight: weight, bias: bias, activation: activation)
        XCTAssertLessThan(worst, 1e-5, "\(n)×\(c)×\(h)×\(w) → \(o)", file: file, line: line)
    }

    func testEveryChannelCountAndColumnLayoutMatchesTheDefinition() {
        check(n: 3, c: 5, h: 4, w: 16, o: 3, bias: true, activation: .tanh)
        check(n: 2, c: 7, h: 3, w: 32, o: 1, bias: false, activation: .identity)
        check(n: 1, c: 4, h: 5, w: 19, o: 4, bias: true, activation: .identity)
        check(n: 2, c: 3, h: 2, w: 5, o: 2, bias: true, activation: .tanh)
    }

    func testTrainingWiderOutputsAndOtherStridesTakeTheOtherWays() {
        let x = random([1, 4, 8, 8], seed: 314)
        XCTAssertNil(NarrowTransposedConvolution(x: x, weight: random([4, 3, 4, 4], seed: 315), stride: 2, padding: 1, recording: true))
        XCTAssertNil(NarrowTransposedConvolution(x: x, weight: random([4, 5, 4, 4], seed: 315), stride: 2, padding: 1, recording: false))
        XCTAssertNil(NarrowTransposedConvolution(x: x, weight: random([4, 3, 4, 4], seed: 315), stride: 1, padding: 1, recording: false))
        XCTAssertNil(NarrowTransposedConvolution(x: x, weight: random([4, 3, 3, 3], seed: 315), stride: 2, padding: 1, recording: false))
    }
}

private func random(_ shape: [Int], seed: UInt64, scale: Float = 1, requiresGrad: Bool) -> Tensor {
    let t = random(shape, seed: seed, scale: scale)
    t.requiresGrad = requiresGrad
    return t
}
