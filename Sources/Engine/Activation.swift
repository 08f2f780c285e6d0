import Foundation

/// Elementwise activations. Each derivative is written in terms of the input x and output y,
/// whichever is cheaper.
extension Tensor {
    @inline(__always)
    func elementwise(_ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        OpClock.measure(.activation) {
            let out = Tensor(uninitialized: shape)
            let (x, y) = (data, out.data)
            Parallel.chunks(count) { r in for i in r { y[i] = f(x[i]) } }
            return out.recorded(from: [self]) { out in
                let (dx, dy, y) = (self.gradBuffer, out.gradBuffer, out.data)
                Parallel.chunks(out.count) { r in for i in r { dx[i] += dy[i] * derivative(x[i], y[i]) } }
            }
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

/// An activation an op applies to its own output while it is still in cache (batch norm in training,
/// `convTranspose2d` in inference), instead of a pass of its own over a new tensor.
public enum Activation: Sendable, Equatable {
    case identity, relu, leakyReLU(Float), tanh

    /// The same on a tensor, on the tape: the form used where an op does not fuse it.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: x
        case .relu: x.relu()
        case .leakyReLU(let slope): x.leakyReLU(slope)
        case .tanh: x.tanh()
        }
    }

    /// p[i] = activation(p[i] + shift) for `count` floats, in place, eight lanes at a time.
    @inline(__always)
    func apply(_ p: UnsafeMutablePointer<Float>, count: Int, shift: Float) {
        switch self {
        case .identity: Self.map(p, count: count) { $0 + shift }
        case .relu: Self.map(p, count: count) { x in (x + shift).replacing(with: 0, where: x + shift .< 0) }
        case .leakyReLU(let slope): Self.map(p, count: count) { x in (x + shift).replacing(with: (x + shift) * slope, where: x + shift .< 0) }
        case .tanh: Self.map(p, count: count) { Self.tanh($0 + shift) }
        }
    }

    /// dy[i] *= activation′ at the output y[i], in place: each derivative here is a function of the
    /// output (ReLU's and the leaky one's of its sign, which the input shares; tanh's 1 − y²).
    @inline(__always)
    func backward(_ dy: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>, count: Int) {
        switch self {
        case .identity: return
        case .relu: Self.zip(dy, y, count: count) { d, y in d.replacing(with: 0, where: y .<= 0) }
        case .leakyReLU(let slope): Self.zip(dy, y, count: count) { d, y in d.replacing(with: d * slope, where: y .<= 0) }
        case .tanh: Self.zip(dy, y, count: count) { d, y in d * (1 - y * y) }
        }
    }

    /// The gradient of `output` (its own buffer `dy`, which is this op's alone once its backward runs)
    /// scaled in place to the gradient before the activation, over both cores.
    func backward(inPlace dy: UnsafeMutablePointer<Float>, output: Tensor) {
        guard self != .identity else { return }
        let y = UnsafePointer(output.data)
        Parallel.chunks(output.count) { r in backward(dy + r.lowerBound, output: y + r.lowerBound, count: r.count) }
    }

    @inline(__always)
    private static func zip(_ p: UnsafeMutablePointer<Float>, _ q: UnsafePointer<Float>, count: Int,
                            _ f: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>) {
        let (raw, other) = (UnsafeMutableRawPointer(p), UnsafeRawPointer(q))
        var i = 0
        while i + 8 <= count {
            let result = f(raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self),
                           other.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self))
            raw.storeBytes(of: result, toByteOffset: 4 * i, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            p[i] = f(SIMD8(repeating: p[i]), SIMD8(repeating: q[i]))[0]
            i += 1
        }
    }

    @inline(__always)
    private static func map(_ p: UnsafeMutablePointer<Float>, count: Int, _ f: (SIMD8<Float>) -> SIMD8<Float>) {
        let raw = UnsafeMutableRawPointer(p)
        var i = 0
        while i + 8 <= count {
            raw.storeBytes(of: f(raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)), toByteOffset: 4 * i, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            p[i] = f(SIMD8(repeating: p[i]))[0]
            i += 1
        }
    }

    /// tanh x = sign(x) (1 − t) / (1 + t) with t = e^(−2|x|), e^y = 2^k e^r (r = y − k ln 2, |r| ≤ ln2/2,
    /// e^r by its Taylor series to r⁷). Within 2e-7 of Foundation's tanh, and vectorised, where the libm
    /// call per element costs more than the GEMM it follows on the last layer.
    @inline(__always)
    static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let y = -2 * x.replacing(with: -x, where: x .< 0).clamped(lowerBound: .zero, upperBound: SIMD8(repeating: 10))
        let k = (y * 1.442_695_04).rounded(.toNearestOrEven)
        let r = y - k * 0.693_145_75 - k * 1.428_606_8e-6
        var e = SIMD8<Float>(repeating: 1 / 5040)
        for c: Float in [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1] { e = e * r + c }
        let exponent = SIMD8<UInt32>(truncatingIfNeeded: SIMD8<Int32>(k, rounding: .towardZero) &+ 127) &<< 23
        let twoToK = unsafeBitCast(exponent, to: SIMD8<Float>.self)
        let t = e * twoToK
        let magnitude = (1 - t) / (1 + t)
        // The clamp would turn NaN into a number; a NaN must stay one, so a broken weight shows in the loss.
        return magnitude.replacing(with: -magnitude, where: x .< 0).replacing(with: x, where: x .!= x)
    }
}
