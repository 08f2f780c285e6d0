/// Broadcasting add, subtract, multiply, and affine maps with scalars.
/// Gradients of a broadcast operand are summed over the dimensions it was repeated along.

/// dst[broadcast] += scale · src (· other), iterating over the full shape of `src`.
/// Parallel only when `dst` is full-size, so no two threads add into one element.
func accumulate(
    into dst: UnsafeMutablePointer<Float>, shape dstShape: [Int],
    from src: UnsafePointer<Float>, shape fullShape: [Int],
    times other: (UnsafeMutablePointer<Float>, [Int])? = nil, scale: Float = 1
) {
    let loop = StridedLoop(shape: fullShape, operands: [dstShape, fullShape, other?.1 ?? fullShape])
    let otherData = other?.0
    loop.forEachRun(parallel: dstShape.reduce(1, *) == fullShape.reduce(1, *)) { o, n, s in
        let d = dst + o[0], x = src + o[1]
        if let otherData {
            let y = otherData + o[2]
            if s == SIMD3(1, 1, 1) {
                for i in 0..<n { d[i] += scale * x[i] * y[i] }
            } else if s[0] == 0 {
                var total: Float = 0
                for i in 0..<n { total += x[i * s[1]] * y[i * s[2]] }
                d[0] += scale * total
            } else {
                for i in 0..<n { d[i * s[0]] += scale * x[i * s[1]] * y[i * s[2]] }
            }
        } else if s[0] == 1 && s[1] == 1 {
            for i in 0..<n { d[i] += scale * x[i] }
        } else if s[0] == 0 {
            var total: Float = 0
            for i in 0..<n { total += x[i * s[1]] }
            d[0] += scale * total
        } else {
            for i in 0..<n { d[i * s[0]] += scale * x[i * s[1]] }
        }
    }
}

@inline(__always)
func broadcastMap(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    let shape = StridedLoop.broadcastShape(a.shape, b.shape)
    let out = Tensor(uninitialized: shape)
    let loop = StridedLoop(shape: shape, operands: [shape, a.shape, b.shape])
    let (z, x, y) = (out.data, a.data, b.data)
    loop.forEachRun(parallel: true) { o, n, s in
        let zo = z + o[0], xo = x + o[1], yo = y + o[2]
        if s[1] == 1 && s[2] == 1 {
            for i in 0..<n { zo[i] = f(xo[i], yo[i]) }
        } else if s[1] == 1 {
            let v = yo[0]
            for i in 0..<n { zo[i] = f(xo[i], v) }
        } else if s[2] == 1 {
            let v = xo[0]
            for i in 0..<n { zo[i] = f(v, yo[i]) }
        } else {
            for i in 0..<n { zo[i] = f(xo[i * s[1]], yo[i * s[2]]) }
        }
    }
    return out
}

public func + (a: Tensor, b: Tensor) -> Tensor {
    broadcastMap(a, b, +).recorded(from: [a, b]) { out in
        let g = out.gradBuffer
        var taken = false
        for operand in [a, b] where operand.requiresGrad {
            if !taken && operand.shape == out.shape && operand.tookGradient(of: out) {
                taken = true
            } else {
                accumulate(into: operand.gradBuffer, shape: operand.shape, from: g, shape: out.shape)
            }
        }
    }
}

public func - (a: Tensor, b: Tensor) -> Tensor {
    broadcastMap(a, b, -).recorded(from: [a, b]) { out in
        let g = out.gradBuffer
        if a.requiresGrad { accumulate(into: a.gradBuffer, shape: a.shape, from: g, shape: out.shape) }
        if b.requiresGrad { accumulate(into: b.gradBuffer, shape: b.shape, from: g, shape: out.shape, scale: -1) }
    }
}

public func * (a: Tensor, b: Tensor) -> Tensor {
    broadcastMap(a, b, *).recorded(from: [a, b]) { out in
        let g = out.gradBuffer
        if a.requiresGrad {
            accumulate(into: a.gradBuffer, shape: a.shape, from: g, shape: out.shape, times: (b.data, b.shape))
        }
        if b.requiresGrad {
            accumulate(into: b.gradBuffer, shape: b.shape, from: g, shape: out.shape, times: (a.data, a.shape))
        }
    }
}

/// (a + b) / 2 of two tensors of one shape, in one pass each way where a sum and a scaling take two:
/// each operand's half of the gradient is written when it is the first to arrive, else added. FastGAN's
/// down-blocks average their two paths, batch norms' outputs: backward reads neither's values, so
/// operands that can remake theirs let them go here rather than hold them until backward.
public func average(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "average of \(a.shape) and \(b.shape)")
    let out = Tensor(uninitialized: a.shape)
    let (x, y, z) = (a.data, b.data, out.data)
    Parallel.chunks(out.count) { r in for i in r { z[i] = (x[i] + y[i]) * 0.5 } }
    defer { if out.node != nil { for operand in [a, b] { operand.letGoOfValuesIfRemakeable() } } }
    return out.recorded(from: [a, b]) { out in
        let g = out.gradBuffer
        for operand in [a, b] where operand.requiresGrad {
            let (d, adding) = operand.gradBuffer(writesAll: true)
            Parallel.chunks(out.count) { r in
                if adding { for i in r { d[i] += 0.5 * g[i] } } else { for i in r { d[i] = 0.5 * g[i] } }
            }
        }
    }
}

extension Tensor {
    /// scale · self + shift, elementwise.
    public func affine(scale: Float, shift: Float = 0) -> Tensor {
        let out = Tensor(uninitialized: shape)
        let (x, y) = (data, out.data)
        Parallel.chunks(count) { r in for i in r { y[i] = scale * x[i] + shift } }
        return out.recorded(from: [self]) { out in
            accumulate(into: self.gradBuffer, shape: self.shape, from: out.gradBuffer, shape: out.shape, scale: scale)
        }
    }
}

public func + (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: s) }
public func + (s: Float, a: Tensor) -> Tensor { a.affine(scale: 1, shift: s) }
public func - (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: -s) }
public func - (s: Float, a: Tensor) -> Tensor { a.affine(scale: -1, shift: s) }
public func * (a: Tensor, s: Float) -> Tensor { a.affine(scale: s) }
public func * (s: Float, a: Tensor) -> Tensor { a.affine(scale: s) }
public prefix func - (a: Tensor) -> Tensor { a.affine(scale: -1) }
