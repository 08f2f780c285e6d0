import Foundation

/// Elementwise activations. Each derivative is written in terms of the input x and output y,
/// whichever is cheaper.
extension Tensor {
    @inline(__always)
    func elementwise(_ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        let out = Tensor(uninitialized: shape)
        let (x, y) = (data, out.data)
        Parallel.chunks(count) { r in for i in r { y[i] = f(x[i]) } }
        return out.recorded(from: [self]) { out in
            let (dx, dy, y) = (self.gradBuffer, out.gradBuffer, out.data)
            Parallel.chunks(out.count) { r in for i in r { dx[i] += dy[i] * derivative(x[i], y[i]) } }
        }
    }

    public func relu() -> Tensor {
        elementwise({ max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
    }

    public func leakyReLU(_ slope: Float = 0.2) -> Tensor {
        elementwise({ $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }

    public func tanh() -> Tensor {
        elementwise({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y })
    }

    public func sigmoid() -> Tensor {
        elementwise({ 1 / (1 + exp(-$0)) }, derivative: { _, y in y * (1 - y) })
    }

    /// x · sigmoid(x), used by FastGAN's excitation blocks.
    public func swish() -> Tensor { self * sigmoid() }

    /// Gated linear unit over channels: [N, 2C, H, W] → [N, C, H, W], first half · sigmoid(second half).
    public func glu() -> Tensor {
        precondition(rank >= 2 && shape[1] % 2 == 0, "glu needs an even channel count, got \(shape)")
        var half = shape
        half[1] /= 2
        let out = Tensor(uninitialized: half)
        let (images, block) = (shape[0], half[1...].reduce(1, *))
        let (x, y) = (data, out.data)
        Parallel.chunks(images, grain: max(1, 32_768 / max(block, 1))) { r in
            for n in r {
                let a = x + 2 * n * block, b = a + block, o = y + n * block
                for i in 0..<block { o[i] = a[i] / (1 + exp(-b[i])) }
            }
        }
        return out.recorded(from: [self]) { out in
            let (dx, dy) = (self.gradBuffer, out.gradBuffer)
            Parallel.chunks(images, grain: max(1, 32_768 / max(block, 1))) { r in
                for n in r {
                    let a = x + 2 * n * block, b = a + block, go = dy + n * block
                    let da = dx + 2 * n * block, db = da + block
                    for i in 0..<block {
                        let s = 1 / (1 + exp(-b[i]))
                        da[i] += go[i] * s
                        db[i] += go[i] * a[i] * s * (1 - s)
                    }
                }
            }
        }
    }
}
