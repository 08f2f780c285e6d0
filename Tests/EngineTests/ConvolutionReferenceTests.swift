import XCTest
@testable import Engine

/// The fast kernels against the naive loops at DCGAN-like sizes, and raw GEMM against a plain triple
/// loop: a guard against an OpenBLAS core type that computes wrong results on this CPU.
final class ConvolutionReferenceTests: XCTestCase {
    func maxRelativeError(_ a: [Float], _ b: [Double]) -> Double {
        let scale = b.map { Swift.abs($0) }.max() ?? 1
        return zip(a, b).map { Swift.abs(Double($0) - $1) }.max()! / max(scale, 1e-12)
    }

    /// The largest error as a multiple of what `backend` may make: 1e-5 of the largest entry in fp32,
    /// bf16ProductBound of each entry's sum of magnitudes (the reference run on |x|, |weight|) in bf16,
    /// `bf16Growth` times that where the transforms of Winograd's products widen it.
    func worst(_ out: [Float], _ expected: [Double], magnitudes: () -> [Double], backend: GEMMBackend, bf16Growth: Double = 1) -> Double {
        guard backend.precision == .bf16 else { return maxRelativeError(out, expected) / 1e-5 }
        return zip(zip(out, expected), magnitudes()).map { pair, size in
            Swift.abs(Double(pair.0) - pair.1) / ((bf16Growth * bf16ProductBound + 1e-5) * size + 1e-30)
        }.max()!
    }

    func testConv2dMatchesNaiveLoopsAtLayerSizes() {
        let (n, c, h, w, o, k) = (3, 16, 16, 16, 32, 4)
        let x = random([n, c, h, w], seed: 31), weight = random([o, c, k, k], seed: 32, scale: 0.1)
        let reference = { (x: [Double], weight: [Double]) in
            Reference.conv2d(x, weight, nil, n: n, c: c, h: h, wd: w, o: o, k: k, stride: 2, padding: 1)
        }
        let (xs, ws) = (x.scalars.map(Double.init), weight.scalars.map(Double.init))
        for backend in availableBackends {
            withBackend(backend) {
                let out = conv2d(x, weight, stride: 2, padding: 1)
                XCTAssertEqual(out.shape, [n, o, 8, 8])
                XCTAssertLessThan(worst(out.scalars, reference(xs, ws), magnitudes: { reference(xs.map(Swift.abs), ws.map(Swift.abs)) },
                                        backend: backend), 1, "\(backend)")
            }
        }
    }

    func testConvTranspose2dMatchesNaiveLoopsAtLayerSizes() {
        let (n, cin, h, w, cout, k) = (3, 32, 8, 8, 16, 4)
        let x = random([n, cin, h, w], seed: 33), weight = random([cin, cout, k, k], seed: 34, scale: 0.1)
        let reference = { (x: [Double], weight: [Double]) in
            Reference.convTranspose2d(x, weight, nil, n: n, cin: cin, h: h, wd: w, cout: cout, k: k, stride: 2, padding: 1)
        }
        let (xs, ws) = (x.scalars.map(Double.init), weight.scalars.map(Double.init))
        for backend in availableBackends {
            withBackend(backend) {
                // Without gradients, this layer runs by Winograd.
                let out = convTranspose2d(x, weight, stride: 2, padding: 1)
                XCTAssertEqual(out.shape, [n, cout, 16, 16])
                XCTAssertLessThan(worst(out.scalars, reference(xs, ws), magnitudes: { reference(xs.map(Swift.abs), ws.map(Swift.abs)) },
                                        backend: backend, bf16Growth: Winograd.bf16Growth), 1, "\(backend)")
            }
        }
    }

    func testGEMMAgreesWithTripleLoopOnTheCoreInUse() {
        for (m, n, k) in [(64, 1024, 48), (128, 256, 1024), (7, 13, 5), (512, 16, 4096)] {
            let a = random([m, k], seed: 35), b = random([k, n], seed: 36)
            let c = Tensor(zeros: [m, n]), split = Tensor(zeros: [m, n])
            gemm(m: m, n: n, k: k, a.data, lda: k, b.data, ldb: n, c.data, ldc: n)
            parallelGEMM(m: m, n: n, k: k, a.data, lda: k, b.data, ldb: n, split.data, ldc: n)
            var expected = [Double](repeating: 0, count: m * n)
            for i in 0..<m { for p in 0..<k { let av = Double(a.data[i * k + p]); for j in 0..<n { expected[i * n + j] += av * Double(b.data[p * n + j]) } } }
            XCTAssertLessThan(maxRelativeError(c.scalars, expected), 1e-5, "\(m)×\(n)×\(k) on \(BLASInfo.summary)")
            XCTAssertLessThan(maxRelativeError(split.scalars, expected), 1e-5, "split \(m)×\(n)×\(k) on \(BLASInfo.summary)")
        }
    }

    /// Every transpose, padded leading dimensions and beta = 1, including the one-row and one-column
    /// products that go to sgemv.
    func testGEMMWithTransposesStridesAndVectorShapes() {
        for (m, n, k) in [(9, 1, 300), (1, 11, 300), (1, 1, 17), (5, 6, 7), (64, 1, 2048)] {
            for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
                let (aRows, aColumns) = transA ? (k, m) : (m, k), (bRows, bColumns) = transB ? (n, k) : (k, n)
                let (lda, ldb, ldc) = (aColumns + 3, bColumns + 2, n + 1)
                let a = random([aRows * lda], seed: 37), b = random([bRows * ldb], seed: 38), c = random([m * ldc], seed: 39)
                var expected = c.scalars.map(Double.init)
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k {
                            sum += Double(transA ? a.data[p * lda + i] : a.data[i * lda + p]) * Double(transB ? b.data[j * ldb + p] : b.data[p * ldb + j])
                        }
                        expected[i * ldc + j] += 2 * sum
                    }
                }
                gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 2, a.data, lda: lda, b.data, ldb: ldb, beta: 1, c.data, ldc: ldc)
                XCTAssertLessThan(maxRelativeError(c.scalars, expected), 1e-5, "\(m)×\(n)×\(k) transA \(transA) transB \(transB)")
            }
        }
    }

    /// OpenBLAS runs the widest kernels the CPU offers, unless the environment's OPENBLAS_CORETYPE holds
    /// it below them (a user's choice, never overridden): then the summary says so and how to lift it.
    func testOpenBLASRunsTheWidestKernelsTheCPUOffers() {
        let level = ["sse": 0, "avx": 1, "avx2": 2, "avx512": 3]
        let core = BLASInfo.core.lowercased()
        let coreLevel = ["skylakex": 3, "cooperlake": 3, "sapphirerapids": 3, "haswell": 2, "zen": 2,
                         "sandybridge": 1, "bulldozer": 1, "piledriver": 1, "steamroller": 1, "excavator": 1][core] ?? 0
        let narrower = coreLevel < level[BLASInfo.cpuISA]!
        XCTAssertEqual(BLASInfo.narrowerThanCPU, narrower, BLASInfo.summary)
        guard narrower else { return }
        XCTAssertNotNil(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], "only a user's OPENBLAS_CORETYPE stands: \(BLASInfo.summary)")
        XCTAssertNil(BLASInfo.misdetected, BLASInfo.summary)
        XCTAssertTrue(BLASInfo.summary.contains("unset it"), BLASInfo.summary)
    }
}
