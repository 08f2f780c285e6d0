public enum ZProfile {
    public static func run(batch: Int) {
        for layer in KernelBenchmark.dcgan64 {
            var rng = RandomGenerator(seed: 1)
            let (n, k, s, p) = (batch, layer.kernel, layer.stride, layer.padding)
            if layer.transposed {
                let (cin, cout, h) = (layer.inputChannels, layer.outputChannels, layer.inputSize)
                let ho = layer.outputSize
                let g = ConvGeometry(batch: n, channels: cout, height: ho, width: ho, kernel: k, stride: s, padding: p, outHeight: h, outWidth: h)
                let x = Tensor(randomNormal: [n, cin, h, h], rng: &rng)
                let w = Tensor(randomNormal: [cin, cout, k, k], rng: &rng)
                let xt = Tensor(uninitialized: [cin, g.columnCount])
                let cols = Tensor(uninitialized: [g.columnRows, g.columnCount])
                let out = Tensor(zeros: [n, cout, ho, ho])
                let tp = KernelBenchmark.median { KernelBenchmark.seconds { swapLeadingAxes(x.data, into: xt.data, n, cin, inner: h * h) } }
                let tg = KernelBenchmark.median { KernelBenchmark.seconds { gemm(transA: true, m: g.columnRows, n: g.columnCount, k: cin, w.data, lda: g.columnRows, xt.data, ldb: g.columnCount, cols.data, ldc: g.columnCount) } }
                let tz = KernelBenchmark.median { KernelBenchmark.seconds { out.data.initialize(repeating: 0, count: out.count) } }
                let tc = KernelBenchmark.median { KernelBenchmark.seconds { g.col2im(cols.data, addingInto: out.data) } }
                let ti = KernelBenchmark.median { KernelBenchmark.seconds { g.im2col(out.data, into: cols.data) } }
                print(layer.name, String(format: "permute %.2f gemm %.2f zero %.2f col2im %.2f | im2col %.2f ms", tp*1e3, tg*1e3, tz*1e3, tc*1e3, ti*1e3))
            } else {
                let (c, o, h) = (layer.inputChannels, layer.outputChannels, layer.inputSize)
                let ho = layer.outputSize
                let g = ConvGeometry(batch: n, channels: c, height: h, width: h, kernel: k, stride: s, padding: p, outHeight: ho, outWidth: ho)
                let x = Tensor(randomNormal: [n, c, h, h], rng: &rng)
                let w = Tensor(randomNormal: [o, c, k, k], rng: &rng)
                let cols = Tensor(uninitialized: [g.columnRows, g.columnCount])
                let prod = Tensor(uninitialized: [o, g.columnCount])
                let out = Tensor(zeros: [n, o, ho, ho])
                let ti = KernelBenchmark.median { KernelBenchmark.seconds { g.im2col(x.data, into: cols.data) } }
                let tg = KernelBenchmark.median { KernelBenchmark.seconds { gemm(m: o, n: g.columnCount, k: g.columnRows, w.data, lda: g.columnRows, cols.data, ldb: g.columnCount, prod.data, ldc: g.columnCount) } }
                let tp = KernelBenchmark.median { KernelBenchmark.seconds { swapLeadingAxes(prod.data, into: out.data, o, n, inner: ho * ho) } }
                let tc = KernelBenchmark.median { KernelBenchmark.seconds { g.col2im(cols.data, addingInto: x.data) } }
                print(layer.name, String(format: "im2col %.2f gemm %.2f permute %.2f | col2im %.2f ms", ti*1e3, tg*1e3, tp*1e3, tc*1e3))
            }
        }
    }
}
