extension Image {
    /// The picture scaled to `width`×`height`, each axis on its own: shrinking averages the input
    /// area every output pixel covers (fractional pixels weighted by coverage, so no aliasing),
    /// enlarging interpolates bilinearly between pixel centres.
    public func resized(width newWidth: Int, height newHeight: Int) -> Image {
        precondition(newWidth > 0 && newHeight > 0, "resize target must be positive, got \(newWidth)×\(newHeight)")
        let columns = ResampleTaps(from: width, to: newWidth)
        let rows = ResampleTaps(from: height, to: newHeight)

        // [3, height, newWidth]: rows resampled horizontally first, each a contiguous dot product.
        var across = [Float](repeating: 0, count: 3 * height * newWidth)
        pixels.withUnsafeBufferPointer { source in
            across.withUnsafeMutableBufferPointer { target in
                for cy in 0..<(3 * height) {
                    let inRow = cy * width, outRow = cy * newWidth
                    for x in 0..<newWidth {
                        var sum: Float = 0
                        for t in columns.taps(x) { sum += columns.weights[t] * source[inRow + columns.sources[t]] }
                        target[outRow + x] = sum
                    }
                }
            }
        }

        // [3, newHeight, newWidth]: whole rows accumulated with their weights, contiguous along x.
        var result = [Float](repeating: 0, count: 3 * newHeight * newWidth)
        across.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for c in 0..<3 {
                    for y in 0..<newHeight {
                        let outRow = (c * newHeight + y) * newWidth
                        for t in rows.taps(y) {
                            let weight = rows.weights[t], inRow = (c * height + rows.sources[t]) * newWidth
                            for x in 0..<newWidth { target[outRow + x] += weight * source[inRow + x] }
                        }
                    }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, pixels: result)
    }
}

/// For one axis resized from `inputCount` to `outputCount` samples: which input samples feed
/// each output sample, and with what weight (weights of one output sum to 1).
struct ResampleTaps {
    /// Output `i` uses taps `start[i]..<start[i + 1]`.
    private(set) var start: [Int] = [0]
    private(set) var sources: [Int] = []
    private(set) var weights: [Float] = []

    init(from inputCount: Int, to outputCount: Int) {
        let scale = Double(inputCount) / Double(outputCount)
        for i in 0..<outputCount {
            if outputCount <= inputCount {
                // Output i covers input interval [i·scale, (i+1)·scale); input j covers [j, j+1).
                let low = Double(i) * scale, high = Double(i + 1) * scale
                for j in Int(low.rounded(.down))..<min(inputCount, Int(high.rounded(.up))) {
                    let overlap = min(high, Double(j + 1)) - max(low, Double(j))
                    if overlap > 0 { add(j, overlap / scale) }
                }
            } else {
                // Centres align: output centre i + ½ sits at input coordinate (i + ½)·scale.
                let position = min(max((Double(i) + 0.5) * scale - 0.5, 0), Double(inputCount - 1))
                let left = Int(position.rounded(.down))
                let fraction = position - Double(left)
                add(left, 1 - fraction)
                if fraction > 0 { add(left + 1, fraction) }
            }
            start.append(sources.count)
        }
    }

    func taps(_ output: Int) -> Range<Int> { start[output]..<start[output + 1] }

    private mutating func add(_ source: Int, _ weight: Double) {
        sources.append(source)
        weights.append(Float(weight))
    }
}
