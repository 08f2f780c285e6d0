/// Iterates a shape and up to three operands laid over it by broadcasting (a dimension of size 1 is
/// repeated: stride 0). Adjacent dimensions that are contiguous for every operand merge, so a
/// per-channel add over [N, C, H, W] runs in inner loops of H·W.
struct StridedLoop {
    /// Merged dimensions, outermost first; never empty.
    let dims: [Int]
    let strides: [[Int]]

    static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = max(a.count, b.count)
        let a = Array(repeating: 1, count: rank - a.count) + a
        let b = Array(repeating: 1, count: rank - b.count) + b
        return zip(a, b).map { x, y in
            precondition(x == y || x == 1 || y == 1, "shapes \(a) and \(b) do not broadcast")
            return max(x, y)
        }
    }

    init(shape: [Int], operands: [[Int]]) {
        let rank = shape.count
        var strides: [[Int]] = operands.map { operand in
            precondition(operand.count <= rank, "operand \(operand) has more dimensions than \(shape)")
            let padded = Array(repeating: 1, count: rank - operand.count) + operand
            var result = Array(repeating: 0, count: rank)
            var step = 1
            for d in stride(from: rank - 1, through: 0, by: -1) {
                precondition(padded[d] == shape[d] || padded[d] == 1, "operand \(operand) does not broadcast to \(shape)")
                result[d] = padded[d] == 1 ? 0 : step
                step *= padded[d]
            }
            return result
        }
        var dims: [Int] = []
        var merged: [[Int]] = strides.map { _ in [] }
        for d in 0..<rank where shape[d] != 1 {
            if let last = dims.last,
               strides.indices.allSatisfy({ merged[$0].last! == strides[$0][d] * shape[d] }) {
                dims[dims.count - 1] = last * shape[d]
                for o in strides.indices { merged[o][merged[o].count - 1] = strides[o][d] }
            } else {
                dims.append(shape[d])
                for o in strides.indices { merged[o].append(strides[o][d]) }
            }
        }
        if dims.isEmpty {
            dims = [1]
            merged = strides.map { _ in [0] }
        }
        strides = merged
        self.dims = dims
        self.strides = strides
    }

    /// Calls `body(offsets, length, innerStrides)` for each run along the innermost dimension.
    /// With `parallel`, runs are split over cores by the outermost dimension: only when operand 0 is
    /// written and has no zero stride (each offset is visited once).
    func forEachRun(parallel: Bool = false, _ body: (_ offsets: SIMD3<Int>, _ n: Int, _ steps: SIMD3<Int>) -> Void) {
        let rank = dims.count
        let inner = dims[rank - 1]
        func strideOf(_ o: Int, _ d: Int) -> Int { o < strides.count ? strides[o][d] : 0 }
        let steps = SIMD3(strideOf(0, rank - 1), strideOf(1, rank - 1), strideOf(2, rank - 1))
        if rank == 1 {
            if parallel {
                Parallel.chunks(inner) { r in body(SIMD3(repeating: r.lowerBound) &* steps, r.count, steps) }
            } else {
                body(SIMD3(repeating: 0), inner, steps)
            }
            return
        }
        let outerDims = Array(dims[0..<(rank - 1)])
        let outerStrides = (0..<(rank - 1)).map { d in SIMD3(strideOf(0, d), strideOf(1, d), strideOf(2, d)) }
        let outerCount = outerDims.reduce(1, *)
        func visit(_ range: Range<Int>) {
            var index = Array(repeating: 0, count: rank - 1)
            var rest = range.lowerBound
            var offsets = SIMD3<Int>(repeating: 0)
            for d in stride(from: rank - 2, through: 0, by: -1) {
                index[d] = rest % outerDims[d]
                rest /= outerDims[d]
                offsets &+= index[d] &* outerStrides[d]
            }
            for _ in range {
                body(offsets, inner, steps)
                var d = rank - 2
                while d >= 0 {
                    index[d] += 1
                    offsets &+= outerStrides[d]
                    if index[d] < outerDims[d] { break }
                    offsets &-= outerDims[d] &* outerStrides[d]
                    index[d] = 0
                    d -= 1
                }
            }
        }
        if parallel {
            Parallel.chunks(outerCount, grain: max(1, 32_768 / max(inner, 1))) { visit($0) }
        } else {
            visit(0..<outerCount)
        }
    }
}
