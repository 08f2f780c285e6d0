import CVectorMath
import Foundation

/// Elementwise activations. Each derivative is written in terms of the input x and output y,
/// whichever is cheaper.
extension Tensor {
    @inline(__always)
    func elementwise(_ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        elementwise({ x, y, count in for i in 0..<count { y[i] = f(x[i]) } }, derivative: derivative)
    }

    /// The same with the forward pass given a run at a time (`count` floats from x into y), for the
    /// vectorised kernels of CVectorMath.
    @inline(__always)
    func elementwise(_ run: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
                     derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        OpClock.measure(.activation) {
            let out = Tensor(uninitialized: shape)
            let (x, y) = (data, out.data)
            Parallel.chunks(count) { r in run(x + r.lowerBound, y + r.lowerBound, r.count) }
            return out.recorded(from: [self]) { out in
                let (dx, dy, y) = (self.gradBuffer, out.gradBuffer, out.data)
                Parallel.chunks(out.count) { r in for i in r { dx[i] += dy[i] * derivative(x[i], y[i]) } }
            }
        }
    }

    /// Keeps `signBits` when `activation` is ReLU-like (its backward then needs only them), over both
    /// cores a stretch of whole bytes each.
    func keepSignBits(for activation: Activation) {
        guard activation.negativeSlope != nil else { return }
        let bits = Tensor(uninitialized: [(count + 31) / 32])
        let bytes = UnsafeMutableRawPointer(bits.data).assumingMemoryBound(to: UInt8.self)
        let y = UnsafePointer(data)
        Parallel.chunks((count + 7) / 8) { r in
            neurossia_nonpositive_bits(y + 8 * r.lowerBound, bytes + r.lowerBound, min(8 * r.count, count - 8 * r.lowerBound))
        }
        signBits = bits
    }

    public func relu() -> Tensor {
        elementwise({ max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
    }

    public func leakyReLU(_ slope: Float = 0.2) -> Tensor {
        elementwise({ $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }

    public func tanh() -> Tensor {
        elementwise({ neurossia_tanh($0, $1, $2, 0) }, derivative: { _, y in 1 - y * y })
    }

    public func sigmoid() -> Tensor {
        elementwise({ neurossia_sigmoid($0, $1, $2) }, derivative: { _, y in y * (1 - y) })
    }

    /// x · sigmoid(x), used by FastGAN's excitation blocks.
    public func swish() -> Tensor { self * sigmoid() }
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

    /// The slope below zero of a piecewise-linear activation (ReLU 0, leaky ReLU its slope): its
    /// derivative follows from the sign of its input, so an op that can recompute the input gates its
    /// gradient where it reads it. nil for identity (nothing to gate) and tanh.
    var negativeSlope: Float? {
        switch self {
        case .relu: 0
        case .leakyReLU(let slope): slope
        case .identity, .tanh: nil
        }
    }

    /// p[i] = activation(p[i] + shift) for `count` floats, in place, eight lanes at a time.
    @inline(__always)
    func apply(_ p: UnsafeMutablePointer<Float>, count: Int, shift: Float) {
        switch self {
        case .identity: Self.map(p, count: count) { $0 + shift }
        case .relu: Self.map(p, count: count) { x in (x + shift).replacing(with: 0, where: x + shift .< 0) }
        case .leakyReLU(let slope): Self.map(p, count: count) { x in (x + shift).replacing(with: (x + shift) * slope, where: x + shift .< 0) }
        case .tanh: neurossia_tanh(p, p, count, shift)
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
    /// An output that keeps its signs (`Tensor.signBits`) is gated by them and not read, so one whose
    /// values were let go is not remade for this.
    func backward(inPlace dy: UnsafeMutablePointer<Float>, output: Tensor) {
        guard self != .identity else { return }
        if let bits = output.signBits, let slope = negativeSlope {
            let bytes = UnsafeRawPointer(bits.data).assumingMemoryBound(to: UInt8.self)
            Parallel.chunks(output.count) { r in
                neurossia_gate_by_bits(dy, bytes, r.lowerBound, r.count, self == .relu ? 1 : 0, slope)
            }
            return
        }
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
}
