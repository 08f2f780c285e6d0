import XCTest
@testable import Engine

final class OpGradientTests: XCTestCase {
    func testConv2dStridePaddingOddSizesBatch() {
        for (k, s, p, h, w) in [(3, 1, 1, 5, 6), (4, 2, 1, 7, 6), (1, 1, 0, 3, 5), (3, 2, 0, 7, 7), (3, 1, 0, 3, 3)] {
            let (n, c, o) = (2, 3, 4)
            checkOp([random([n, c, h, w], seed: 1), random([o, c, k, k], seed: 2, scale: 0.5), random([o], seed: 3)],
                    op: { conv2d($0[0], $0[1], bias: $0[2], stride: s, padding: p) },
                    reference: { Reference.conv2d($0[0], $0[1], $0[2], n: n, c: c, h: h, wd: w, o: o, k: k, stride: s, padding: p) })
        }
    }

    /// Tiny tiles split each image into bands of rows, the path large layers take.
    func testConvolutionsWithRowBandTiles() {
        let saved = ConvGeometry.tileFloats
        ConvGeometry.tileFloats = 24
        defer { ConvGeometry.tileFloats = saved }
        testConv2dStridePaddingOddSizesBatch()
        testConvTranspose2d()
    }

    /// A layer whose column rows outnumber its grid points (C·k·k > N·Ho·Wo) adds its weight gradient by
    /// bands of rows, a band per core, into the gradient itself; the others by images, into a part per
    /// extra core. The shapes of the tests above take both ways (4×4 stride 2 on 7×6 by bands, 3×3 on 5×6
    /// by images); this pins which way DCGAN-128's widest and widest-grid layers go.
    func testWeightGradientsGoByBandsWhereTheWeightsOutnumberTheGrid() {
        func geometry(channels: Int, size: Int) -> ConvGeometry {
            ConvGeometry(batch: 32, channels: channels, height: size, width: size, kernel: 4, stride: 2, padding: 1,
                         outHeight: size / 2, outWidth: size / 2)
        }
        XCTAssertEqual(geometry(channels: 512, size: 8).weightGradientByBands, Parallel.workers > 1)  // 8192 rows, 512 points
        XCTAssertFalse(geometry(channels: 64, size: 64).weightGradientByBands)  // 1024 rows, 32768 points
        XCTAssertEqual(ConvGeometry(batch: 2, channels: 3, height: 7, width: 6, kernel: 4, stride: 2, padding: 1, outHeight: 3,
                                    outWidth: 3).weightGradientByBands, Parallel.workers > 1)
        XCTAssertFalse(ConvGeometry(batch: 2, channels: 3, height: 5, width: 6, kernel: 3, stride: 1, padding: 1, outHeight: 5,
                                    outWidth: 6).weightGradientByBands)
    }

    func testConvTranspose2d() {
        for (k, s, p, h, w) in [(4, 2, 1, 3, 4), (4, 1, 0, 1, 1), (3, 1, 1, 4, 3), (3, 2, 0, 3, 3)] {
            let (n, cin, cout) = (2, 3, 2)
            checkOp([random([n, cin, h, w], seed: 4), random([cin, cout, k, k], seed: 5, scale: 0.5), random([cout], seed: 6)],
                    op: { convTranspose2d($0[0], $0[1], bias: $0[2], stride: s, padding: p) },
                    reference: { Reference.convTranspose2d($0[0], $0[1], $0[2], n: n, cin: cin, h: h, wd: w, cout: cout,
                                                           k: k, stride: s, padding: p) })
        }
    }

    func testLinear() {
        checkOp([random([3, 5], seed: 7), random([4, 5], seed: 8), random([4], seed: 9)],
                op: { linear($0[0], $0[1], bias: $0[2]) },
                reference: { Reference.linear($0[0], $0[1], $0[2], n: 3, i: 5, o: 4) })
    }

    func testBatchNormTraining() {
        let (n, c, h, w) = (3, 2, 3, 2)
        checkOp([random([n, c, h, w], seed: 10, scale: 2), random([c], seed: 11), random([c], seed: 12)],
                op: { batchNorm($0[0], gamma: $0[1], beta: $0[2], runningMean: Tensor(zeros: [c]),
                                runningVar: Tensor(repeating: 1, shape: [c]), training: true) },
                reference: { Reference.batchNorm($0[0], $0[1], $0[2], n: n, c: c, l: h * w) })
    }

    func testBatchNormEvaluationUsesRunningStatistics() {
        let mean = Tensor([0.5, -1], shape: [2]), variance = Tensor([4, 0.25], shape: [2])
        checkOp([random([2, 2, 2, 3], seed: 13), random([2], seed: 14), random([2], seed: 15)],
                op: { batchNorm($0[0], gamma: $0[1], beta: $0[2], runningMean: mean, runningVar: variance, training: false) },
                reference: { v in v[0].enumerated().map { i, x in
                    let c = (i / 6) % 2
                    return v[1][c] * (x - [0.5, -1][c]) / ([4, 0.25][c] + 1e-5).squareRoot() + v[2][c] } })
    }

    func testBatchNormRunningStatisticsFollowPyTorch() {
        let x = Tensor([1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 1, 2, 2])
        let mean = Tensor(zeros: [1]), variance = Tensor(repeating: 1, shape: [1])
        _ = batchNorm(x, gamma: nil, beta: nil, runningMean: mean, runningVar: variance, training: true)
        XCTAssertEqual(mean.item, 0.45, accuracy: 1e-6)  // 0.9·0 + 0.1·4.5
        XCTAssertEqual(variance.item, 0.9 + 0.1 * 6, accuracy: 1e-5)  // unbiased variance of 1…8 is 6
    }

    func testActivations() {
        let x = random([2, 3, 2, 2], seed: 16, scale: 2)
        checkOp([x], op: { $0[0].relu() }, reference: { $0[0].map { max($0, 0) } })
        checkOp([x], op: { $0[0].leakyReLU(0.2) }, reference: { $0[0].map { $0 > 0 ? $0 : 0.2 * $0 } })
        checkOp([x], op: { $0[0].tanh() }, reference: { $0[0].map { Foundation.tanh($0) } })
        checkOp([x], op: { $0[0].sigmoid() }, reference: { $0[0].map { 1 / (1 + exp(-$0)) } })
        checkOp([x], op: { $0[0].swish() }, reference: { $0[0].map { $0 / (1 + exp(-$0)) } })
        checkOp([x], op: { $0[0].abs() }, reference: { $0[0].map { Swift.abs($0) } })
    }

    /// GLU(BN(z)) against the two references composed, in training (planes of 6 and 21 floats: a scalar
    /// tail only, and a vector part with one), in evaluation, and with z's gradient added to another op's.
    func testBatchNormGLUHalvesChannels() {
        for (n, c2, h, w) in [(2, 4, 2, 3), (3, 6, 3, 7)] {
            checkOp([random([n, c2, h, w], seed: 17, scale: 2), random([c2], seed: 18), random([c2], seed: 19)],
                    op: { batchNormGLU($0[0], gamma: $0[1], beta: $0[2], runningMean: Tensor(zeros: [c2]),
                                       runningVar: Tensor(repeating: 1, shape: [c2]), training: true) },
                    reference: { Reference.glu(Reference.batchNorm($0[0], $0[1], $0[2], n: n, c: c2, l: h * w), n: n,
                                               block: c2 / 2 * h * w) })
        }
        let mean = Tensor([0.5, -1, 0.2, 0], shape: [4]), variance = Tensor([4, 0.25, 1, 2], shape: [4])
        func evaluation(_ v: [[Double]]) -> [Double] {
            Reference.glu(v[0].enumerated().map { i, x in
                let c = (i / 6) % 4
                return v[1][c] * (x - Double(mean.data[c])) / (Double(variance.data[c]) + 1e-5).squareRoot() + v[2][c]
            }, n: 2, block: 12)
        }
        checkOp([random([2, 4, 2, 3], seed: 20), random([4], seed: 21), random([4], seed: 22)],
                op: { batchNormGLU($0[0], gamma: $0[1], beta: $0[2], runningMean: mean, runningVar: variance, training: false) },
                reference: evaluation)
        checkOp([random([2, 4, 2, 3], seed: 23), random([4], seed: 24), random([4], seed: 25)],
                op: { batchNormGLU($0[0], gamma: $0[1], beta: $0[2], runningMean: mean, runningVar: variance,
                                   training: false).sum() + $0[0].sum() },
                reference: { v in [evaluation(v).reduce(0, +) + v[0].reduce(0, +)] })
    }

    /// Noise planes [N, 1, H, W] times w added to z as batchNormGLU reads it, in training and in evaluation:
    /// the values and the gradients of z, γ and β of normalising z + w · planes made whole first (by
    /// broadcasting), bit for bit, and w's gradient the same sum in another order; also where z's gradient
    /// is added to another op's.
    func testBatchNormGLUTakesNoise() {
        let (n, c2, h, w) = (3, 4, 3, 5)
        let (mean, variance) = (random([c2], seed: 53), Tensor([0.5, 2, 1.5, 0.25], shape: [c2]))
        let planes = random([n, 1, h, w], seed: 54)
        for training in [true, false] {
            for alsoSummed in [false, true] {
                func run(_ fused: Bool) -> (y: [Float], grads: [[Float]]) {
                    let (z, gamma, beta) = (random([n, c2, h, w], seed: 50), random([c2], seed: 51), random([c2], seed: 52))
                    let weight = Tensor([0.3], shape: [1])
                    for t in [z, gamma, beta, weight] { t.requiresGrad = true }
                    let y = fused
                        ? batchNormGLU(z, gamma: gamma, beta: beta, runningMean: mean.copied(), runningVar: variance.copied(),
                                       training: training, noise: (planes, weight))
                        : batchNormGLU(z + planes * weight, gamma: gamma, beta: beta, runningMean: mean.copied(),
                                       runningVar: variance.copied(), training: training)
                    let loss = (y * random(y.shape, seed: 55)).sum()
                    (alsoSummed ? loss + (z * z).sum() : loss).backward()
                    return (y.scalars, [z, gamma, beta, weight].map { $0.grad! })
                }
                let (fused, separate) = (run(true), run(false))
                let label = "training \(training), z also summed \(alsoSummed)"
                XCTAssertEqual(fused.y, separate.y, label)
                for k in 0..<3 { XCTAssertEqual(fused.grads[k], separate.grads[k], "\(label): gradient \(k)") }
                XCTAssertEqual(fused.grads[3][0], separate.grads[3][0], accuracy: 1e-5 * max(1, abs(separate.grads[3][0])), label)
                XCTAssertNotEqual(fused.grads[3][0], 0, label)
            }
        }
    }

    /// Under a synchronising sum (data-parallel training) a batch norm's backward takes its two passes over
    /// the whole batch, the sums exchanged between them, where alone it takes them channel by channel:
    /// with one process, whose sums the exchange leaves alone, and two with the same images, whose sums it
    /// doubles, the gradients are the local ones bit for bit: batchNorm with a gated activation, and
    /// batchNormGLU with noise; x's gradient written, in place, or added.
    func testSynchronisedNormsGiveTheLocalBits() {
        let (n, c2, h, w) = (3, 4, 3, 5)
        let planes = random([n, 1, h, w], seed: 62)
        let norms: [(name: String, op: (_ z: Tensor, _ gamma: Tensor, _ beta: Tensor, _ weight: Tensor) -> Tensor)] = [
            ("batchNorm", { z, gamma, beta, _ in
                batchNorm(z, gamma: gamma, beta: beta, runningMean: Tensor(zeros: [c2]), runningVar: Tensor(repeating: 1, shape: [c2]),
                          training: true, activation: .leakyReLU(0.2))
            }),
            ("batchNormGLU", { z, gamma, beta, weight in
                batchNormGLU(z, gamma: gamma, beta: beta, runningMean: Tensor(zeros: [c2]), runningVar: Tensor(repeating: 1, shape: [c2]),
                             training: true, noise: (planes, weight))
            }),
        ]
        for norm in norms {
            for alsoSummed in [false, true] {
                func gradients(_ sync: ((UnsafeMutableBufferPointer<Double>) -> Void)?) -> [[UInt32]] {
                    let (z, gamma, beta) = (random([n, c2, h, w], seed: 63), random([c2], seed: 64), random([c2], seed: 65))
                    let weight = Tensor([0.3], shape: [1])
                    for t in [z, gamma, beta, weight] { t.requiresGrad = true }
                    BatchNormSync.across(sync) {
                        let y = norm.op(z, gamma, beta, weight)
                        let loss = (y * random(y.shape, seed: 66)).sum()
                        (alsoSummed ? loss + (z * z).sum() : loss).backward()
                    }
                    return [z, gamma, beta, weight].compactMap { $0.grad?.map(\.bitPattern) }
                }
                let local = gradients(nil)
                var exchanges = 0
                let onlyOne: (UnsafeMutableBufferPointer<Double>) -> Void = { _ in exchanges += 1 }
                let twoAlike: (UnsafeMutableBufferPointer<Double>) -> Void = { sums in
                    exchanges += 1
                    for k in sums.indices { sums[k] *= 2 }
                }
                for (name, sync) in [("one process", onlyOne), ("two alike", twoAlike)] {
                    exchanges = 0
                    XCTAssertEqual(gradients(sync), local, "\(norm.name), \(name), z also summed \(alsoSummed)")
                    XCTAssertEqual(exchanges, 2, "\(norm.name), \(name): forward and backward each exchange their sums once")
                }
            }
        }
    }

    /// batchNormGLU with noise in training against the Float64 references composed, w an input like z, γ, β.
    func testBatchNormGLUWithNoiseGradients() {
        let (n, c2, h, w) = (2, 4, 3, 7)
        let planes = random([n, 1, h, w], seed: 57)
        let noise = planes.scalars.map(Double.init)
        checkOp([random([n, c2, h, w], seed: 58, scale: 2), random([c2], seed: 59), random([c2], seed: 60), random([1], seed: 61)],
                op: { batchNormGLU($0[0], gamma: $0[1], beta: $0[2], runningMean: Tensor(zeros: [c2]),
                                   runningVar: Tensor(repeating: 1, shape: [c2]), training: true, noise: (planes, $0[3])) },
                reference: { v in
                    let z = v[0].indices.map { i in v[0][i] + v[3][0] * noise[i / (c2 * h * w) * h * w + i % (h * w)] }
                    return Reference.glu(Reference.batchNorm(z, v[1], v[2], n: n, c: c2, l: h * w), n: n, block: c2 / 2 * h * w)
                })
    }

    /// Half of each operand's gradient, written or added: different tensors, the same one twice, and one
    /// whose other use sent its gradient first.
    func testAverage() {
        let (a, b) = (random([2, 3, 2], seed: 48), random([2, 3, 2], seed: 49))
        checkOp([a, b], op: { average($0[0], $0[1]) }, reference: { v in v[0].indices.map { (v[0][$0] + v[1][$0]) / 2 } })
        checkOp([a], op: { average($0[0], $0[0]) }, reference: { $0[0] })
        checkOp([a, b], op: { average($0[0], $0[1]) * $0[1] },
                reference: { v in v[0].indices.map { (v[0][$0] + v[1][$0]) / 2 * v[1][$0] } })
    }

    /// Each plane times its own factor; x's gradient written when it is the first to arrive, added when
    /// another op's came first, and the factors' gradients summed over their planes.
    func testScaledPerPlane() {
        let (n, c, plane) = (2, 3, 5)
        func reference(_ v: [[Double]]) -> [Double] { v[0].indices.map { v[0][$0] * v[1][$0 / plane] } }
        let (x, gate) = (random([n, c, 1, plane], seed: 46), random([n, c, 1, 1], seed: 47))
        checkOp([x, gate], op: { $0[0].scaledPerPlane(by: $0[1]) }, reference: reference)
        checkOp([x, gate], op: { $0[0].scaledPerPlane(by: $0[1]) * $0[0] },
                reference: { v in zip(reference(v), v[0]).map { $0 * $1 } })
    }

    func testBroadcastingArithmetic() {
        let shapes: [([Int], [Int])] = [([2, 3, 2, 2], [2, 3, 2, 2]), ([2, 3, 2, 2], [1, 3, 1, 1]),
                                        ([2, 3, 2, 2], [2, 3, 1, 1]), ([2, 1, 2, 2], [2, 3, 1, 1]), ([3, 4], [4]), ([2, 3], [])]
        for (sa, sb) in shapes {
            let a = random(sa, seed: 18), b = random(sb, seed: 19)
            checkOp([a, b], op: { $0[0] + $0[1] }, reference: { Reference.broadcast($0[0], sa, $0[1], sb, +) })
            checkOp([a, b], op: { $0[0] - $0[1] }, reference: { Reference.broadcast($0[0], sa, $0[1], sb, -) })
            checkOp([a, b], op: { $0[0] * $0[1] }, reference: { Reference.broadcast($0[0], sa, $0[1], sb, *) })
        }
        checkOp([random([3, 2], seed: 20)], op: { 1.5 - $0[0] * 2 }, reference: { $0[0].map { 1.5 - 2 * $0 } })
    }

    /// A sum hands its gradient to an operand of its shape as it is: to the same tensor twice, to one
    /// whose other use sent its gradient first or sends it after, and through a sum of sums.
    func testSumPassesItsGradientToOperandsOfItsShape() {
        let (a, b) = (random([2, 3], seed: 26), random([2, 3], seed: 27))
        checkOp([a], op: { $0[0] + $0[0] }, reference: { $0[0].map { 2 * $0 } })
        checkOp([a, b], op: { ($0[0] + $0[1]) * $0[0] }, reference: { v in v[0].indices.map { (v[0][$0] + v[1][$0]) * v[0][$0] } })
        checkOp([a, b], op: { $0[0] * 3 + ($0[0] + $0[1]) }, reference: { v in v[0].indices.map { 4 * v[0][$0] + v[1][$0] } })
        checkOp([a, b], op: { ($0[0] + $0[1]) + ($0[1] + $0[0]) * $0[1] },
                reference: { v in v[0].indices.map { let s = v[0][$0] + v[1][$0]; return s + s * v[1][$0] } })
    }

    func testSumAndMean() {
        let x = random([2, 3, 2, 2], seed: 21)
        checkOp([x], op: { $0[0].sum() }, reference: { [$0[0].reduce(0, +)] })
        checkOp([x], op: { $0[0].mean() }, reference: { [$0[0].reduce(0, +) / 24] })
        checkOp([x], op: { $0[0].mean(to: [2, 1, 1, 1]) }, reference: { v in
            [v[0][0..<12].reduce(0, +) / 12, v[0][12..<24].reduce(0, +) / 12] })
        checkOp([x], op: { $0[0].globalAvgPool() }, reference: { v in
            (0..<6).map { p in v[0][(p * 4)..<(p * 4 + 4)].reduce(0, +) / 4 } })
    }

    func testPoolingAndUpsampling() {
        let x = random([2, 2, 4, 6], seed: 22)
        checkOp([x], op: { $0[0].avgPool(2) }, reference: { Reference.avgPool($0[0], k: 2, planes: 4, h: 4, w: 6) })
        let wide = random([2, 1, 8, 12], seed: 24)
        checkOp([wide], op: { $0[0].avgPool(4) }, reference: { Reference.avgPool($0[0], k: 4, planes: 2, h: 8, w: 12) })
        // Pooled twice: the second backward adds into the gradient the first wrote.
        for k in [2, 4] {
            checkOp([wide], op: { $0[0].avgPool(k) + $0[0].avgPool(k) },
                    reference: { Reference.avgPool($0[0], k: k, planes: 2, h: 8, w: 12).map { 2 * $0 } })
        }
        let small = random([2, 2, 2, 3], seed: 23)
        checkOp([small], op: { $0[0].upsampleNearest(2) }, reference: { Reference.upsample2($0[0], planes: 4, h: 2, w: 3) })
    }

    func testReshapeConcatCrop() {
        let a = random([2, 2, 3, 3], seed: 24), b = random([2, 1, 3, 3], seed: 25)
        checkOp([a], op: { $0[0].flattened() }, reference: { $0[0] })
        checkOp([a, b], op: { concatChannels([$0[0], $0[1]]) }, reference: { Reference.concat($0[0], $0[1], n: 2, blockA: 18, blockB: 9) })
        checkOp([a], op: { $0[0].cropped(top: 1, left: 0, height: 2, width: 2) }, reference: {
            Reference.crop($0[0], planes: 4, h: 3, w: 3, top: 1, left: 0, ch: 2, cw: 2) })
    }

    func testSpectralNormWithFixedVectors() {
        let u = random([3], seed: 26), v = random([8], seed: 27)
        checkOp([random([3, 2, 2, 2], seed: 28)], op: { spectralNormalized($0[0], u: u, v: v, powerIterations: 0) },
                reference: { Reference.spectral($0[0], u: u.scalars.map(Double.init), v: v.scalars.map(Double.init)) })
    }

    /// A weight of more than one block of the ⟨G, W⟩ sum (74880 values, two blocks on two cores): the
    /// gradient against G/σ − ⟨G, W⟩/σ² · u vᵀ computed in Double.
    func testSpectralNormGradientOfALargeWeight() {
        let (rows, cols) = (130, 576)
        let u = random([rows], seed: 31), v = random([cols], seed: 32)
        let weight = random([rows, 64, 3, 3], seed: 33)
        weight.requiresGrad = true
        let g = random([rows, 64, 3, 3], seed: 34)
        (spectralNormalized(weight, u: u, v: v, powerIterations: 0) * g).sum().backward()
        let (w, gd) = (weight.scalars.map(Double.init), g.scalars.map(Double.init))
        let (ud, vd) = (u.scalars.map(Double.init), v.scalars.map(Double.init))
        var sigma = 0.0
        for r in 0..<rows { for c in 0..<cols { sigma += ud[r] * w[r * cols + c] * vd[c] } }
        let inner = zip(gd, w).reduce(0) { $0 + $1.0 * $1.1 }
        let tape = weight.grad!
        var worst = 0.0
        for r in 0..<rows {
            for c in 0..<cols {
                let expected = gd[r * cols + c] / sigma - inner / (sigma * sigma) * ud[r] * vd[c]
                worst = max(worst, abs(Double(tape[r * cols + c]) - expected) / max(1, abs(expected)))
            }
        }
        XCTAssertLessThan(worst, 1e-4)
    }

    func testSpectralNormPowerIterationFindsLargestSingularValue() {
        // diag(3, 1) has σ = 3: after normalisation the largest singular value is 1.
        let w = Tensor([3, 0, 0, 1], shape: [2, 2])
        let u = Tensor([0.6, 0.8], shape: [2]), v = Tensor([0.8, 0.6], shape: [2])
        let out = spectralNormalized(w, u: u, v: v, powerIterations: 20)
        XCTAssertEqual(out.scalars[0], 1, accuracy: 1e-4)
        XCTAssertEqual(out.scalars[3], 1 / 3, accuracy: 1e-4)
    }

    func testLosses() {
        let logits = random([6], seed: 29, scale: 3), target = random([6], seed: 30)
        for y in [Float(0), 1] {
            checkOp([logits], op: { $0[0].bceWithLogits(target: y) }, reference: { [Reference.bce($0[0], target: Double(y))] })
        }
        let margins: [Double] = [1, 0.8, 0.95, 0.85, 1, 0.9]
        for sign: Double in [1, -1] {
            func reference(_ v: [[Double]]) -> [Double] {
                let terms: [Double] = zip(v[0], margins).map { x, m in max(0, m - sign * x) }
                return [terms.reduce(0, +) / 6]
            }
            checkOp([logits], op: { $0[0].hinge(sign: Float(sign), margins: Tensor(margins.map(Float.init), shape: [6])) },
                    reference: reference)
        }
        checkOp([logits, target], op: { $0[0].l1Loss($0[1]) }, reference: { v in
            [Reference.mean(zip(v[0], v[1]).map(-)) { Swift.abs($0) }] })
        checkOp([logits, target], op: { $0[0].mseLoss($0[1]) }, reference: { v in
            [Reference.mean(zip(v[0], v[1]).map(-)) { $0 * $0 }] })
    }

    func testGradientsAccumulateAcrossUsesAndStopAtDetach() {
        let x = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        let y = x * x + x.detached() * 5
        y.sum().backward()
        XCTAssertEqual(x.grad, [2, 4, 6])
    }
}
