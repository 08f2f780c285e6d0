import XCTest
@testable import Engine

/// A batch norm's output that a convolution reads is let go after forward and remade in backward
/// (`Tensor.remake`). Through conv(ReLU(BN(x))) on every convolution path, the tape's gradients for x,
/// γ, β and the weight must match finite differences of a Float64 reference, and the output must have
/// been remade exactly once, by the weight gradient (the only reader after forward).
final class RemadeValuesTests: XCTestCase {
    let (n, c, h, w) = (2, 3, 6, 6)

    /// conv(ReLU(BN(x))) with BN in training; `convolution` gets the normalised tensor and the weight.
    func check(_ algorithm: ConvolutionAlgorithm, weightShape: [Int], line: UInt = #line,
               convolution: @escaping (Tensor, Tensor) -> Tensor,
               reference: @escaping (_ normalised: [Double], _ weight: [Double]) -> [Double]) {
        withConvolution(algorithm) {
            var remade = 0
            checkOp([random([n, c, h, w], seed: 31, scale: 2), random([c], seed: 32), random([c], seed: 33),
                     random(weightShape, seed: 34, scale: 0.5)], line: line,
                    op: { v in
                        let normalised = batchNorm(v[0], gamma: v[1], beta: v[2], runningMean: Tensor(zeros: [self.c]),
                                                   runningVar: Tensor(repeating: 1, shape: [self.c]), training: true,
                                                   activation: .relu)
                        let remake = normalised.remake!
                        normalised.remake = { remade += 1; return remake() }
                        return convolution(normalised, v[3])
                    },
                    reference: { v in
                        let normalised = Reference.batchNorm(v[0], v[1], v[2], n: self.n, c: self.c, l: self.h * self.w).map { max($0, 0) }
                        return reference(normalised, v[3])
                    })
            XCTAssertEqual(remade, 1, "\(algorithm): let go after forward, remade in backward", line: line)
        }
    }

    /// average's backward reads neither operand's values: a batch norm's output it averages is let go
    /// after forward and never remade in backward (a leaky ReLU's derivative comes from the norm's input),
    /// only when read again. Gradients match the Float64 reference.
    func testAverageLetsGoOfANormsOutput() {
        var remade = 0
        var normalised: Tensor!
        checkOp([random([n, c, h, w], seed: 35, scale: 2), random([c], seed: 36), random([c], seed: 37), random([n, c, h, w], seed: 38)],
                op: { v in
                    normalised = batchNorm(v[0], gamma: v[1], beta: v[2], runningMean: Tensor(zeros: [self.c]),
                                           runningVar: Tensor(repeating: 1, shape: [self.c]), training: true, activation: .leakyReLU(0.2))
                    let remake = normalised.remake!
                    normalised.remake = { remade += 1; return remake() }
                    return average(normalised, v[3])
                },
                reference: { v in
                    let normalised = Reference.batchNorm(v[0], v[1], v[2], n: self.n, c: self.c, l: self.h * self.w).map { $0 > 0 ? $0 : 0.2 * $0 }
                    return zip(normalised, v[3]).map { ($0 + $1) / 2 }
                })
        XCTAssertEqual(remade, 0, "not remade in backward")
        _ = normalised.data
        XCTAssertEqual(remade, 1, "let go after forward")
    }

    func testStridedConvolution() {
        // Both read x again in backward: im2col gathers its columns again, direct kernels read x itself.
        for algorithm in [ConvolutionAlgorithm.im2col, .direct] {
            check(algorithm, weightShape: [4, c, 4, 4], convolution: { conv2d($0, $1, stride: 2, padding: 1) },
                  reference: { Reference.conv2d($0, $1, nil, n: self.n, c: self.c, h: self.h, wd: self.w, o: 4, k: 4, stride: 2, padding: 1) })
        }
    }

    func testNarrowConvolution() {
        check(.narrow, weightShape: [2, c, 3, 3], convolution: { conv2d($0, $1, stride: 1, padding: 1) },
              reference: { Reference.conv2d($0, $1, nil, n: self.n, c: self.c, h: self.h, wd: self.w, o: 2, k: 3, stride: 1, padding: 1) })
    }

    func testTransposedConvolution() {
        for algorithm in [ConvolutionAlgorithm.im2col, .direct] {
            check(algorithm, weightShape: [c, 2, 4, 4], convolution: { convTranspose2d($0, $1, stride: 2, padding: 1) },
                  reference: { Reference.convTranspose2d($0, $1, nil, n: self.n, cin: self.c, h: self.h, wd: self.w, cout: 2, k: 4,
                                                         stride: 2, padding: 1) })
        }
    }

    /// A transposed convolution by im2col whose input is remade takes its weight gradient in a pass of its
    /// own and lets the input go before making its input gradient: the same bits as the one pass taken
    /// over an input that is kept (the weight gradient here; the gradients of both against finite
    /// differences in `testTransposedConvolution`).
    func testTransposedConvolutionOverARemadeInputGivesTheKeptInputsBits() {
        withConvolution(.im2col) {
            let x = random([n, c, h, w], seed: 51, scale: 2), weight = random([c, 2, 4, 4], seed: 52, scale: 0.5)
            var gradients: [[Float]] = []
            for remade in [true, false] {
                let (input, kernel) = (x.copied().requiringGrad(), weight.copied().requiringGrad())
                var normalised = batchNorm(input, gamma: nil, beta: nil, runningMean: Tensor(zeros: [c]),
                                           runningVar: Tensor(repeating: 1, shape: [c]), training: true, activation: .relu)
                // Kept: the same values through an op that cannot remake them.
                if !remade { normalised = normalised.reshaped([n, c, h, w]).affine(scale: 1) }
                XCTAssertEqual(normalised.remake != nil, remade)
                convTranspose2d(normalised, kernel, stride: 2, padding: 1).sum().backward()
                gradients.append(kernel.grad!)
            }
            XCTAssertEqual(gradients[0].map(\.bitPattern), gradients[1].map(\.bitPattern))
        }
    }

    /// A transposed convolution asked to be `remakeable` (a generator's largest layer) is let go by the batch
    /// norm reading it and made again from its own input, itself a norm's output let go and remade, on each
    /// way a recorded one runs: once, where the norm's output is remade for the next layer's backward, and
    /// the norm's backward reads those values. Gradients of the chain match the Float64 reference.
    func testARemakeableTransposedConvolutionIsLetGoByItsNormAndRemade() {
        for algorithm in [ConvolutionAlgorithm.im2col, .direct] {
            withConvolution(algorithm) {
                var remade = 0
                checkOp([random([n, c, h, w], seed: 61, scale: 2), random([c, 2, 4, 4], seed: 62, scale: 0.5), random([2], seed: 63),
                         random([2], seed: 64), random([2, 2, 4, 4], seed: 65, scale: 0.5)],
                        op: { v in
                            let input = batchNorm(v[0], gamma: nil, beta: nil, runningMean: Tensor(zeros: [self.c]),
                                                  runningVar: Tensor(repeating: 1, shape: [self.c]), training: true, activation: .relu)
                            let wide = convTranspose2d(input, v[1], stride: 2, padding: 1, remakeable: true)
                            let remake = wide.remake!
                            wide.remake = { remade += 1; return remake() }
                            let normalised = batchNorm(wide, gamma: v[2], beta: v[3], runningMean: Tensor(zeros: [2]),
                                                       runningVar: Tensor(repeating: 1, shape: [2]), training: true, activation: .relu)
                            let out = convTranspose2d(normalised, v[4], stride: 2, padding: 1)
                            XCTAssertEqual(remade, 0, "\(algorithm): not remade in forward")
                            return out
                        },
                        reference: { v in
                            let ones = [Double](repeating: 1, count: self.c), zeros = [Double](repeating: 0, count: self.c)
                            let input = Reference.batchNorm(v[0], ones, zeros, n: self.n, c: self.c, l: self.h * self.w).map { max($0, 0) }
                            let wide = Reference.convTranspose2d(input, v[1], nil, n: self.n, cin: self.c, h: self.h, wd: self.w, cout: 2, k: 4,
                                                                 stride: 2, padding: 1)
                            let normalised = Reference.batchNorm(wide, v[2], v[3], n: self.n, c: 2, l: 4 * self.h * self.w).map { max($0, 0) }
                            return Reference.convTranspose2d(normalised, v[4], nil, n: self.n, cin: 2, h: 2 * self.h, wd: 2 * self.w, cout: 2,
                                                             k: 4, stride: 2, padding: 1)
                        })
                XCTAssertEqual(remade, 1, "\(algorithm): let go after the norm's forward, remade once in backward")
            }
        }
    }

    /// Remaking a transposed convolution's output changes no bit of a step: the gradients of a
    /// norm → convT → norm → convT chain are the same with the first convT remade or kept, on each way,
    /// and values remade after its weight changed are forward's.
    func testARemadeTransposedConvolutionGivesTheKeptOnesBits() {
        for algorithm in [ConvolutionAlgorithm.im2col, .direct] {
            withConvolution(algorithm) {
                var gradients: [[[Float]]] = []
                for remakeable in [true, false] {
                    let x = random([n, c, h, w], seed: 71, scale: 2).requiringGrad()
                    let weights = [random([c, 4, 4, 4], seed: 72, scale: 0.5).requiringGrad(),
                                   random([4, 2, 4, 4], seed: 73, scale: 0.5).requiringGrad()]
                    let norms = [c, 4].map { batchNormParameters(channels: $0) }
                    let input = batchNorm(x, gamma: norms[0].gamma, beta: norms[0].beta, runningMean: Tensor(zeros: [c]),
                                          runningVar: Tensor(repeating: 1, shape: [c]), training: true, activation: .relu)
                    let wide = convTranspose2d(input, weights[0], stride: 2, padding: 1, remakeable: remakeable)
                    XCTAssertEqual(wide.remake != nil, remakeable)
                    let normalised = batchNorm(wide, gamma: norms[1].gamma, beta: norms[1].beta, runningMean: Tensor(zeros: [4]),
                                               runningVar: Tensor(repeating: 1, shape: [4]), training: true, activation: .relu)
                    convTranspose2d(normalised, weights[1], stride: 2, padding: 1).sum().backward()
                    gradients.append(([x] + weights + norms.flatMap { [$0.gamma, $0.beta] }).map { $0.grad! })
                }
                XCTAssertEqual(gradients[0].map { $0.map(\.bitPattern) }, gradients[1].map { $0.map(\.bitPattern) }, "\(algorithm)")

                let weight = random([c, 4, 4, 4], seed: 74).requiringGrad()
                let wide = convTranspose2d(random([n, c, h, w], seed: 75), weight, stride: 2, padding: 1, remakeable: true)
                let forward = wide.scalars
                weight.data[0] += 1
                wide.letGoOfValuesIfRemakeable()
                XCTAssertEqual(wide.scalars, forward, "\(algorithm): remade from the weight forward used")
            }
        }
    }

    private func batchNormParameters(channels: Int) -> (gamma: Tensor, beta: Tensor) {
        (random([channels], seed: UInt64(80 + channels)).requiringGrad(), random([channels], seed: UInt64(90 + channels)).requiringGrad())
    }

    /// A convolution from a few channels to many (an RGB layer) is let go by the convolution reading it and
    /// made again from its input in backward, on every way conv2d runs: once, for the reader's weight
    /// gradient; its own leaky ReLU's derivative reads the signs it kept (`Tensor.signBits`). Gradients
    /// match the Float64 reference.
    func testAConvolutionFromAFewChannelsToManyIsRemade() {
        for algorithm in [ConvolutionAlgorithm.im2col, .direct, .narrow] {
            withConvolution(algorithm) {
                var remade = 0
                checkOp([random([n, c, h, w], seed: 41), random([16, c, 3, 3], seed: 42, scale: 0.5), random([2, 16, 4, 4], seed: 43, scale: 0.5)],
                        op: { v in
                            let wide = conv2d(v[0], v[1], padding: 1, activation: .leakyReLU(0.2))
                            let remake = wide.remake!
                            wide.remake = { remade += 1; return remake() }
                            XCTAssertEqual(wide.signBits?.count, (wide.count + 31) / 32)
                            return conv2d(wide, v[2], stride: 2, padding: 1)
                        },
                        reference: { v in
                            let wide = Reference.conv2d(v[0], v[1], nil, n: self.n, c: self.c, h: self.h, wd: self.w, o: 16, k: 3,
                                                        stride: 1, padding: 1)
                            return Reference.conv2d(wide.map { $0 < 0 ? 0.2 * $0 : $0 }, v[2], nil, n: self.n, c: 16, h: self.h, wd: self.w,
                                                    o: 2, k: 4, stride: 2, padding: 1)
                        })
                XCTAssertEqual(remade, 1, "\(algorithm): let go after the reader's forward, remade for its backward only")
            }
        }
    }

    /// Remade values are forward's bits, made with the weights forward used even when they have changed
    /// since (an update inside backward can reach a layer before its output is remade).
    func testRemadeValuesAreForwardsBitsFromTheWeightsOfThen() {
        for algorithm in [ConvolutionAlgorithm.im2col, .direct, .narrow] {
            withConvolution(algorithm) {
                let weight = random([16, c, 3, 3], seed: 45).requiringGrad()
                let wide = conv2d(random([n, c, h, w], seed: 44), weight, padding: 1, activation: .leakyReLU(0.2))
                let forward = wide.scalars
                weight.data[0] += 1
                wide.letGoOfValuesIfRemakeable()
                XCTAssertEqual(wide.scalars, forward, "\(algorithm)")
            }
        }
    }

    /// Nothing is let go where no graph is recorded (generation), and a batch norm in evaluation or
    /// without a graph leaves nothing to remake.
    func testNothingIsLetGoWithoutAGraph() {
        let x = random([n, c, h, w], seed: 35)
        let normalised = withoutGradients {
            batchNorm(x, gamma: nil, beta: nil, runningMean: Tensor(zeros: [c]), runningVar: Tensor(repeating: 1, shape: [c]),
                      training: true, activation: .relu)
        }
        XCTAssertNil(normalised.remake)
    }
}
