import CBLAS
import Foundation

/// Times each convolution layer of a network against a raw sgemm of the very GEMMs it performs, so the
/// ratio shows what im2col/col2im, transposes and bookkeeping cost on top of BLAS on this machine.
public enum KernelBenchmark {
    public struct Layer: Sendable {
        public let name: String
        public let transposed: Bool
        public let inputChannels: Int, outputChannels: Int, inputSize: Int
        public let kernel: Int, stride: Int, padding: Int

        public init(_ name: String, transposed: Bool, _ cin: Int, _ cout: Int, size: Int, kernel: Int = 4, stride: Int, padding: Int) {
            self.name = name
            self.transposed = transposed
            inputChannels = cin
            outputChannels = cout
            inputSize = size
            self.kernel = kernel
            self.stride = stride
            self.padding = padding
        }

        /// Multiply-adds per image of the forward pass.
        public var multiplyAdds: Double {
            let k2 = Double(kernel * kernel)
            return transposed
                ? Double(inputChannels * inputSize * inputSize * outputChannels) * k2
                : Double(outputChannels * outputSize * outputSize * inputChannels) * k2
        }

        var outputSize: Int {
            transposed ? transposedConvolutionSide(inputSize, kernel: kernel, stride: stride, padding: padding)
                : (inputSize + 2 * padding - kernel) / stride + 1
        }

        /// The GEMMs (transA, transB, M, N, K) of forward and of backward (weight gradient, input gradient).
        func gemms(batch: Int) -> (forward: [GEMMShape], backward: [GEMMShape]) {
            let kk = kernel * kernel
            if transposed {
                let rows = outputChannels * kk, columns = batch * inputSize * inputSize
                return ([GEMMShape(true, false, rows, columns, inputChannels)],
                        [GEMMShape(false, true, inputChannels, rows, columns), GEMMShape(false, false, inputChannels, columns, rows)])
            }
            let rows = inputChannels * kk, columns = batch * outputSize * outputSize
            return ([GEMMShape(false, false, outputChannels, columns, rows)],
                    [GEMMShape(false, true, outputChannels, rows, columns), GEMMShape(true, false, rows, columns, outputChannels)])
        }
    }

    public struct GEMMShape: Sendable {
        let transA: Bool, transB: Bool
        public let m: Int, n: Int, k: Int
        init(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int) { (transA, transB, self.m, self.n, self.k) = (ta, tb, m, n, k) }
        var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    public struct Row: Sendable {
        public let layer: Layer
        /// Median GFLOP/s of the layer and of its reference GEMMs.
        public let forwardGFLOPs: Double, forwardSGEMM: Double
        public let backwardGFLOPs: Double, backwardSGEMM: Double
        /// Median over rounds of layer speed / reference speed, each round's pair timed back to back.
        public let forwardRatio: Double, backwardRatio: Double
    }

    /// The convolution layers of the standard DCGAN (nz = 100, ngf = ndf = 64 at 64 px) at `size`, in the
    /// order the PyTorch reference builds them: channels double at each halving of the resolution.
    public static func dcgan(size: Int, latent: Int = 100, width: Int = 64) -> [Layer] {
        let stages = size.trailingZeroBitCount - 2
        let g = [latent] + (0..<stages).map { width << (stages - 1 - $0) } + [3]
        let d = [3] + (0..<stages).map { width << $0 } + [1]
        let generator = (0...stages).map { i -> Layer in
            let (from, to) = (i == 0 ? 1 : 2 << i, 4 << i)
            return Layer("G\(i + 1) convT \(g[i])→\(g[i + 1]) \(from)→\(to)", transposed: true, g[i], g[i + 1], size: from,
                         stride: i == 0 ? 1 : 2, padding: i == 0 ? 0 : 1)
        }
        let discriminator = (0...stages).map { i -> Layer in
            let last = i == stages
            let (from, to) = (size >> i, last ? 1 : size >> (i + 1))
            return Layer("D\(i + 1) conv \(d[i])→\(d[i + 1]) \(from)→\(to)", transposed: false, d[i], d[i + 1], size: from,
                         stride: last ? 1 : 2, padding: last ? 0 : 1)
        }
        return generator + discriminator
    }

    public static func seconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let d = clock.measure(body)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Raw sgemm with the same arguments as `shapes`, threaded by OpenBLAS itself over all cores: the
    /// library's best on that call.
    final class ReferenceGEMM {
        let shapes: [GEMMShape]
        let buffers: [(Tensor, Tensor, Tensor)]

        init(_ shapes: [GEMMShape]) {
            self.shapes = shapes
            buffers = shapes.map { s in
                (Tensor(repeating: 0.5, shape: [s.m * s.k]), Tensor(repeating: 0.25, shape: [s.k * s.n]), Tensor(zeros: [s.m * s.n]))
            }
        }

        /// OpenBLAS's idle threads spin (sched_yield) for a while after a threaded call; a pause after the
        /// reference lets them sleep so they do not slow whatever is timed next.
        static let settle: Double = 0.25

        func run() -> Double {
            openblas_set_num_threads(Int32(Parallel.workers))
            defer { openblas_set_num_threads(1) }
            return seconds { runOnce() }
        }

        /// Each shape as one plain cblas_sgemm call (never the engine's own routing of vector shapes to sgemv).
        func runOnce() {
            for (s, (a, b, c)) in zip(shapes, buffers) {
                cblas_sgemm(CblasRowMajor, s.transA ? CblasTrans : CblasNoTrans, s.transB ? CblasTrans : CblasNoTrans,
                            Int32(s.m), Int32(s.n), Int32(s.k), 1, a.data, Int32(s.transA ? s.m : s.k),
                            b.data, Int32(s.transB ? s.k : s.n), 0, c.data, Int32(s.n))
            }
        }
    }

    /// Times the layer and its reference GEMMs back to back in each of `rounds` rounds and takes the
    /// median of the per-round ratios: a neighbour on a shared machine (or the other hyperthread of a
    /// core) slows both halves of a pair alike, so the ratio holds steady while either speed alone
    /// drifts by 15% between runs. Each timed call follows an untimed one, so both run on warm caches
    /// and awake threads, as in a network.
    public static func measure(_ layer: Layer, batch: Int, rounds: Int = 15) -> Row {
        var rng = RandomGenerator(seed: 1)
        let x = Tensor(randomNormal: [batch, layer.inputChannels, layer.inputSize, layer.inputSize], rng: &rng).requiringGrad()
        let weightShape = layer.transposed
            ? [layer.inputChannels, layer.outputChannels, layer.kernel, layer.kernel]
            : [layer.outputChannels, layer.inputChannels, layer.kernel, layer.kernel]
        let weight = Tensor(randomNormal: weightShape, std: 0.02, rng: &rng).requiringGrad()
        func forward() -> Tensor {
            layer.transposed
                ? convTranspose2d(x, weight, stride: layer.stride, padding: layer.padding)
                : conv2d(x, weight, stride: layer.stride, padding: layer.padding)
        }
        let gradient = Tensor(randomNormal: forward().shape, rng: &rng)
        let (f, b) = layer.gemms(batch: batch)
        let (referenceF, referenceB) = (ReferenceGEMM(f), ReferenceGEMM(b))
        /// Seconds of one round's four timed calls.
        struct Round { var layerForward, layerBackward, referenceForward, referenceBackward: Double }
        func round() -> Round {
            forward().backward(gradient: gradient)
            var out: Tensor?
            let layerForward = seconds { out = forward() }
            let layerBackward = seconds { out!.backward(gradient: gradient) }
            _ = (referenceF.run(), referenceB.run())
            let times = Round(layerForward: layerForward, layerBackward: layerBackward,
                              referenceForward: referenceF.run(), referenceBackward: referenceB.run())
            Thread.sleep(forTimeInterval: ReferenceGEMM.settle)
            return times
        }
        let timed = (0..<rounds).map { _ in round() }
        let flopsF = f.reduce(0) { $0 + $1.flops }, flopsB = b.reduce(0) { $0 + $1.flops }
        return Row(layer: layer,
                   forwardGFLOPs: flopsF / median(timed.map(\.layerForward)) / 1e9,
                   forwardSGEMM: flopsF / median(timed.map(\.referenceForward)) / 1e9,
                   backwardGFLOPs: flopsB / median(timed.map(\.layerBackward)) / 1e9,
                   backwardSGEMM: flopsB / median(timed.map(\.referenceBackward)) / 1e9,
                   forwardRatio: median(timed.map { $0.referenceForward / $0.layerForward }),
                   backwardRatio: median(timed.map { $0.referenceBackward / $0.layerBackward }))
    }

    /// GFLOP/s of an n×n×n sgemm on one core and threaded by OpenBLAS over all cores (median of 5 each).
    public static func squareGEMM(size n: Int) -> (single: Double, all: Double) {
        let shape = GEMMShape(false, false, n, n, n)
        let reference = ReferenceGEMM([shape])
        let single = median((0..<5).map { _ in seconds { reference.runOnce() } })
        let all = median((0..<5).map { _ in reference.run() })
        return (shape.flops / single / 1e9, shape.flops / all / 1e9)
    }

    /// GEMMs with DCGAN-64's shapes at batch 64 (M×N×K): whole layers, split over all cores the way
    /// `matmul` splits them, and the per-core tiles a convolution hands one core.
    /// Backward tiles: the weight gradient is dy · colsᵀ (B transposed), the column gradient weightᵀ · dy.
    public static let dcganGEMMs: [(name: String, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, split: Bool)] = [
        ("D2 fwd, whole", false, false, 128, 16384, 1024, true), ("D3 fwd, whole", false, false, 256, 4096, 2048, true),
        ("D4 fwd, whole", false, false, 512, 1024, 4096, true), ("D1 fwd, whole", false, false, 64, 65536, 48, true),
        ("square", false, false, 1024, 1024, 1024, true),
        ("D2 fwd, tile", false, false, 128, 256, 1024, false), ("D3 fwd, tile", false, false, 256, 256, 2048, false),
        ("D4 fwd, tile", false, false, 512, 256, 4096, false), ("D1 fwd, tile", false, false, 64, 1024, 48, false),
        ("D3 dW, tile", false, true, 256, 2048, 256, false), ("D3 dcols, tile", true, false, 2048, 256, 256, false),
        ("D1 dW, tile", false, true, 64, 48, 1024, false),
    ]

    /// GFLOP/s of one such GEMM with each backend, median of `rounds` rounds in which the backends take
    /// turns. The weight (A) is rounded to bf16 once, as layers do; B is rounded inside each call.
    public static func backendGEMM(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, split: Bool,
                                   backends: [GEMMBackend], rounds: Int = 5) -> [Double] {
        let a = Tensor(repeating: 0.5, shape: [m * k]), b = Tensor(repeating: 0.25, shape: [k * n]), c = Tensor(zeros: [m * n])
        let previous = GEMMBackend.current
        defer { try? GEMMBackend.use(previous) }
        let flops = 2 * Double(m) * Double(n) * Double(k)
        let repeats = max(1, Int(2e9 / flops))
        var times = [[Double]](repeating: [], count: backends.count)
        for _ in 0..<rounds {
            for (i, backend) in backends.enumerated() {
                try? GEMMBackend.use(backend)
                let a16 = BF16Copy(a.data, count: a.count)
                func once() {
                    let (lda, ldb) = (transA ? m : k, transB ? k : n)
                    if split {
                        parallelGEMM(transA: transA, transB: transB, m: m, n: n, k: k, a.data, lda: lda, b.data, ldb: ldb,
                                     c.data, ldc: n, a16: a16?.pointer)
                    } else {
                        gemm(transA: transA, transB: transB, m: m, n: n, k: k, a.data, lda: lda, b.data, ldb: ldb,
                             c.data, ldc: n, a16: a16?.pointer)
                    }
                }
                once()
                times[i].append(seconds { for _ in 0..<repeats { once() } } / Double(repeats))
            }
        }
        return times.map { flops / median($0) / 1e9 }
    }

    /// The middle value (the upper middle of an even count).
    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
