import CGEMM
import Foundation
import XCTest
@testable import Engine

/// Runs `body` with `backend` as the process's GEMM, then puts the fp32 default back.
func withBackend(_ backend: GEMMBackend, _ body: () throws -> Void) rethrows {
    try! GEMMBackend.use(backend)
    defer { try! GEMMBackend.use(.fastestFP32) }
    try body()
}

/// The backends this CPU runs: both fp32 libraries everywhere, bf16 where the CPU has AVX-512 BF16.
var availableBackends: [GEMMBackend] { GEMMBackend.allCases.filter { $0 != .oneDNNBF16 || GEMMBackend.cpuHasBF16 } }

func skipWithoutBF16() throws {
    try XCTSkipUnless(GEMMBackend.cpuHasBF16, "this CPU has no AVX-512 BF16, so the bf16 backend never runs here")
}

/// bf16 keeps 8 significant bits (7 stored), so rounding an input moves it by at most 2⁻⁸ of itself and
/// a product of two rounded inputs by at most 2⁻⁷ + 2⁻¹⁶. Summed in fp32, an entry of a bf16 GEMM is
/// therefore within (2⁻⁷ + 2⁻¹⁶ + k·2⁻²⁴) · Σₚ|aᵢₚ·bₚⱼ| of the exact product; tests use 2⁻⁷ · 1.01 plus
/// the fp32 summation term, applied to each entry's own sum of magnitudes.
let bf16ProductBound = 1.01 / 128.0

/// The same error, after a single rounding, for fp32 inputs summed in fp32: k · 2⁻²⁴ of Σ|a·b| (with margin).
func fp32SumBound(_ k: Int) -> Double { 2 * Double(k + 2) * 0x1p-24 }

final class GEMMBackendTests: XCTestCase {
    /// A row-major op(A) · op(B) with padded leading dimensions, alpha = 2 and beta = 1, in Float64, with
    /// the sum of magnitudes Σ|α·a·b| + |β·c| of every entry beside it.
    struct Case {
        let transA: Bool, transB: Bool, m: Int, n: Int, k: Int
        let lda: Int, ldb: Int, ldc: Int
        let a: Tensor, b: Tensor, c: Tensor
        let exact: [Double], magnitude: [Double]

        init(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, seed: UInt64) {
            (self.transA, self.transB, self.m, self.n, self.k) = (transA, transB, m, n, k)
            let (aRows, aColumns) = transA ? (k, m) : (m, k), (bRows, bColumns) = transB ? (n, k) : (k, n)
            (lda, ldb, ldc) = (aColumns + 3, bColumns + 2, n + 1)
            a = random([aRows * lda], seed: seed)
            b = random([bRows * ldb], seed: seed + 1)
            c = random([m * ldc], seed: seed + 2)
            var exact = c.scalars.map(Double.init), magnitude = exact.map { Swift.abs($0) }
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0, size = 0.0
                    for p in 0..<k {
                        let product = Double(transA ? a.data[p * lda + i] : a.data[i * lda + p])
                            * Double(transB ? b.data[j * ldb + p] : b.data[p * ldb + j])
                        sum += product
                        size += Swift.abs(product)
                    }
                    exact[i * ldc + j] += 2 * sum
                    magnitude[i * ldc + j] += 2 * size
                }
            }
            (self.exact, self.magnitude) = (exact, magnitude)
        }

        /// Runs the engine's gemm on a copy of C and returns every entry (padding included).
        func run() -> [Float] {
            let out = Tensor(c.scalars, shape: c.shape)
            gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 2, a.data, lda: lda, b.data, ldb: ldb,
                 beta: 1, out.data, ldc: ldc)
            return out.scalars
        }

        /// The largest error as a multiple of its entry's allowance `relative` · Σ|terms|.
        func worst(_ result: [Float], relative: Double) -> Double {
            zip(zip(result, exact), magnitude).map { pair, size in
                Swift.abs(Double(pair.0) - pair.1) / (relative * size + 1e-30)
            }.max()!
        }
    }

    static let shapes = [(64, 1024, 48), (96, 128, 256), (7, 13, 5), (512, 16, 300), (33, 65, 129),
                         (9, 1, 300), (1, 11, 300), (1, 1, 17)]

    func testEveryBackendMatchesTheTripleLoopWithinItsPrecision() {
        for backend in availableBackends {
            withBackend(backend) {
                for (index, (m, n, k)) in Self.shapes.enumerated() {
                    for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
                        let test = Case(transA: transA, transB: transB, m: m, n: n, k: k, seed: UInt64(40 + 3 * index))
                        // Vector shapes go to fp32 sgemv in every precision.
                        let isBF16 = backend.precision == .bf16 && m > 1 && n > 1
                        let allowed = isBF16 ? bf16ProductBound + fp32SumBound(k) : fp32SumBound(k)
                        XCTAssertLessThanOrEqual(test.worst(test.run(), relative: allowed), 1,
                                                 "\(backend) \(m)×\(n)×\(k) transA \(transA) transB \(transB)")
                    }
                }
            }
        }
    }

    /// Sharper than the bound above: the bf16 backend must equal the exact product of the bf16-rounded
    /// inputs up to fp32 summation alone, and must differ from fp32 (or it did not round at all).
    func testBF16BackendMultipliesExactlyTheRoundedInputs() throws {
        try skipWithoutBF16()
        let (m, n, k) = (96, 200, 384)
        let a = random([m * k], seed: 61), b = random([k * n], seed: 62)
        let a16 = a.scalars.map { Double(bf16Value($0)) }, b16 = b.scalars.map { Double(bf16Value($0)) }
        var rounded = [Double](repeating: 0, count: m * n), size = rounded
        for i in 0..<m { for p in 0..<k { for j in 0..<n {
            rounded[i * n + j] += a16[i * k + p] * b16[p * n + j]
            size[i * n + j] += Swift.abs(a16[i * k + p] * b16[p * n + j])
        } } }
        let out = Tensor(zeros: [m, n]), reference = Tensor(zeros: [m, n])
        withBackend(.oneDNNBF16) { gemm(m: m, n: n, k: k, a.data, lda: k, b.data, ldb: n, out.data, ldc: n) }
        withBackend(.openBLAS) { gemm(m: m, n: n, k: k, a.data, lda: k, b.data, ldb: n, reference.data, ldc: n) }
        let worst = (0..<m * n).map { Swift.abs(Double(out.data[$0]) - rounded[$0]) / (fp32SumBound(k) * size[$0]) }.max()!
        XCTAssertLessThanOrEqual(worst, 1, "bf16 GEMM is not the fp32 sum of bf16 products")
        XCTAssertNotEqual(out.scalars, reference.scalars, "bf16 GEMM equals fp32 exactly: no rounding happened")
    }

    /// The vector rounding (AVX-512 BF16, 32 and 16 lanes and a masked tail) against the scalar reference,
    /// on ties, denormals, infinities and NaN.
    func testVectorRoundingToBF16MatchesTheScalarReference() throws {
        try skipWithoutBF16()
        var values: [Float] = [0, -0, 1, -1, 1.00390625, 1.01171875, 1.0078125, 3.4e38, -3.4e38, .infinity, -.infinity, .nan,
                               Float(bitPattern: 0x0000_0001), Float(bitPattern: 0x807F_FFFF), Float(bitPattern: 0x3F80_8000),
                               Float(bitPattern: 0x3F81_8000), Float(bitPattern: 0x7F7F_FFFF), .leastNormalMagnitude]
        var rng = RandomGenerator(seed: 63)
        values += (0..<1000).map { _ in rng.normal() * 1000 }
        for count in [values.count, 33, 31, 16, 15, 1] {
            var vector = [UInt16](repeating: 0xDEAD, count: count + 1)
            neurossia_to_bf16(values, &vector, count)
            for i in 0..<count {
                XCTAssertEqual(vector[i], neurossia_to_bf16_scalar(values[i]), "value \(values[i]) (bits \(String(values[i].bitPattern, radix: 16)))")
            }
            XCTAssertEqual(vector[count], 0xDEAD, "wrote past \(count) values")
        }
        XCTAssertEqual(neurossia_to_bf16_scalar(1.00390625), 0x3F80, "a tie rounds to even (down)")
        XCTAssertEqual(neurossia_to_bf16_scalar(1.01171875), 0x3F82, "a tie rounds to even (up)")
        XCTAssertTrue(bf16Value(.nan).isNaN)
    }

    func testPrecisionResolvesByTheCPUAndNeverSilently() throws {
        XCTAssertEqual(GEMMBackend.fastestFP32.precision, .fp32, "the default must be fp32")
        XCTAssertEqual(try Precision.fp32.backend(), .fastestFP32)
        XCTAssertEqual(try Precision.auto.backend(), GEMMBackend.cpuHasBF16 ? .oneDNNBF16 : .fastestFP32)
        if GEMMBackend.cpuHasBF16 {
            XCTAssertEqual(try Precision.bf16.backend(), .oneDNNBF16)
            XCTAssertTrue(GEMMBackend.oneDNNBF16.description.hasPrefix("bf16 (AVX-512 BF16"), GEMMBackend.oneDNNBF16.description)
        } else {
            XCTAssertThrowsError(try Precision.bf16.backend()) { XCTAssertEqual($0 as? PrecisionError, .bf16Unsupported(cpu: BLASInfo.cpuISA)) }
        }
        XCTAssertTrue(GEMMBackend.oneDNN.description.hasPrefix("fp32 (oneDNN 2."), GEMMBackend.oneDNN.description)
    }

    /// CPUID's answer agrees with the flags Linux reports.
    func testBF16DetectionAgreesWithProcCPUInfo() throws {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            throw XCTSkip("no /proc/cpuinfo flags line here")
        }
        XCTAssertEqual(GEMMBackend.cpuHasBF16, flags.split(separator: " ").contains("avx512_bf16"))
    }
}

/// `value` rounded to bf16 by the scalar reference, widened back to Float.
func bf16Value(_ value: Float) -> Float { Float(bitPattern: UInt32(neurossia_to_bf16_scalar(value)) << 16) }
