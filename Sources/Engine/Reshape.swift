/// Ops that only move values: reshape, channel concat, spatial crop.
extension Tensor {
    /// The same values under another shape of equal count; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.map(\.element).reduce(1, *)
            resolved[unknown] = known == 0 ? 0 : count / known
        }
        precondition(resolved.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        // Same values, same order: the input takes the output's gradient buffer as its own, with no
        // copy, unless another use gave it one first. Taken in backward, not shared from here: a
        // parameter's gradient may be let go (`zeroGrad`) between a forward pass and its backward.
        return Tensor(shape: resolved, storage: storage).recorded(from: [self]) { out in
            guard !self.tookGradient(of: out) else { return }
            let (dx, dy) = (self.gradBuffer, out.gradBuffer)
            Parallel.chunks(self.count) { range in for i in range { dx[i] += dy[i] } }
        }
    }

    /// [N, ...] → [N, rest].
    public func flattened() -> Tensor { reshaped([shape[0], -1]) }

    /// A spatial window [N, C, h, w] starting at (top, left) of [N, C, H, W].
    public func cropped(top: Int, left: Int, height h: Int, width w: Int) -> Tensor {
        precondition(rank == 4 && top >= 0 && left >= 0 && top + h <= shape[2] && left + w <= shape[3],
                     "crop \(h)×\(w) at (\(top), \(left)) outside \(shape)")
        let (planes, height, width) = (shape[0] * shape[1], shape[2], shape[3])
        let out = Tensor(uninitialized: [shape[0], shape[1], h, w])
        let (x, y) = (data, out.data)
        Parallel.chunks(planes, grain: max(1, 32_768 / max(h * w, 1))) { r in
            for p in r {
                for i in 0..<h { (y + (p * h + i) * w).update(from: x + (p * height + top + i) * width + left, count: w) }
            }
        }
        return out.recorded(from: [self]) { out in
            let (dx, dy) = (self.gradBuffer, out.gradBuffer)
            Parallel.chunks(planes, grain: max(1, 32_768 / max(h * w, 1))) { r in
                for p in r {
                    for i in 0..<h {
                        let d = dx + (p * height + top + i) * width + left, s = dy + (p * h + i) * w
                        for j in 0..<w { d[j] += s[j] }
                    }
                }
            }
        }
    }
}

/// Joins [N, C_i, H, W] tensors along channels.
public func concatChannels(_ parts: [Tensor]) -> Tensor {
    precondition(!parts.isEmpty, "concat of nothing")
    let (n, h, w) = (parts[0].shape[0], parts[0].shape[2], parts[0].shape[3])
    precondition(parts.allSatisfy { $0.rank == 4 && $0.shape[0] == n && $0.shape[2] == h && $0.shape[3] == w },
                 "concatChannels needs equal N, H, W: \(parts.map(\.shape))")
    let channels = parts.map { $0.shape[1] }
    let total = channels.reduce(0, +)
    let plane = h * w
    let out = Tensor(uninitialized: [n, total, h, w])
    var first = 0
    for (part, c) in zip(parts, channels) {
        for i in 0..<n { (out.data + (i * total + first) * plane).update(from: part.data + i * c * plane, count: c * plane) }
        first += c
    }
    return out.recorded(from: parts) { out in
        var first = 0
        for (part, c) in zip(parts, channels) {
            if part.requiresGrad {
                let (dx, dy) = (part.gradBuffer, out.gradBuffer)
                for i in 0..<n {
                    let d = dx + i * c * plane, s = dy + (i * total + first) * plane
                    for j in 0..<(c * plane) { d[j] += s[j] }
                }
            }
            first += c
        }
    }
}
