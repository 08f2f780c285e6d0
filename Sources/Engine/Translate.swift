/// Per-image integer shifts with zero fill: the translation of DiffAugment (Zhao et al. 2020).
extension Tensor {
    /// Image n moved `offsets[n].down` rows down and `offsets[n].right` columns right (negative: up,
    /// left); what moves in from outside is 0. [N, C, H, W] → [N, C, H, W].
    public func translated(_ offsets: [(down: Int, right: Int)]) -> Tensor {
        precondition(rank == 4 && offsets.count == shape[0], "translated: \(offsets.count) offsets for shape \(shape)")
        let out = Tensor(uninitialized: shape)
        shiftPlanes(from: data, into: out.data, shape: shape, offsets: offsets, direction: 1, accumulate: false)
        return out.recorded(from: [self]) { out in
            shiftPlanes(from: out.gradBuffer, into: self.gradBuffer, shape: self.shape, offsets: offsets,
                        direction: -1, accumulate: true)
        }
    }
}

/// dst[n, c, y, x] = (or +=) src[n, c, y − dy, x − dx] with (dy, dx) = direction · offsets[n], where that
/// source pixel exists; without `accumulate` the rest of dst is zeroed. Backward is the forward shift
/// undone (direction −1), added into the input's gradient.
private func shiftPlanes(from src: UnsafeMutablePointer<Float>, into dst: UnsafeMutablePointer<Float>, shape: [Int],
                         offsets: [(down: Int, right: Int)], direction: Int, accumulate: Bool) {
    let (channels, h, w) = (shape[1], shape[2], shape[3])
    let planes = shape[0] * channels
    Parallel.chunks(planes, grain: max(1, 32_768 / max(h * w, 1))) { r in
        for p in r {
            let (dy, dx) = (direction * offsets[p / channels].down, direction * offsets[p / channels].right)
            let (first, end) = (min(max(dx, 0), w), max(min(w + dx, w), 0))
            for y in 0..<h {
                let row = dst + (p * h + y) * w
                let sy = y - dy
                guard sy >= 0 && sy < h && first < end else {
                    if !accumulate { row.initialize(repeating: 0, count: w) }
                    continue
                }
                let line = src + (p * h + sy) * w - dx
                if accumulate {
                    for x in first..<end { row[x] += line[x] }
                } else {
                    row.initialize(repeating: 0, count: first)
                    (row + first).update(from: line + first, count: end - first)
                    (row + end).initialize(repeating: 0, count: w - end)
                }
            }
        }
    }
}
