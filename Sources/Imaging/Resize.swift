extension Image {
    /// The picture scaled to `width`×`height`, each axis on its own: shrinking averages the input
    /// area every output pixel covers (fractional pixels weighted by coverage, so no aliasing),
    /// enlarging interpolates bilinearly between pixel centres.
    public func resized(width newWidth: Int, height newHeight: Int) -> Image {
        precondition(newWidth > 0 && newHeight > 0, "resize target must be positive, got \(newWidth)×\(newHeight)")
        // Rows first: whole rows are weighted and added, contiguous and vectorisable, and a big
        // shrink leaves few rows for the horizontal pass.
        var tall = [Float](repeating: 0, count: 3 * newHeight * width)
        pixels.withUnsafeBufferPointer { source in
            tall.withUnsafeMutableBufferPointer { target in
                ResampleTaps(from: height, to: newHeight).resampleColumns(source, into: target, planes: 3, width: width)
            }
        }
        var result = [Float](repeating: 0, count: 3 * newHeight * newWidth)
        tall.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                ResampleTaps(from: width, to: newWidth).resampleRows(source, into: target, rows: 3 * newHeight)
            }
        }
        return Image(width: newWidth, height: newHeight, pixels: result)
    }
}

/// For one axis resized from `inputCount` to `outputCount` samples: which input samples feed
/// each output sample, and with what weight (weights of one output sum to 1).
struct ResampleTaps {
    let inputCount: Int
    let outputCount: Int
    /// Output `i` uses taps `start[i]..<start[i + 1]`.
    private var start: [Int] = [0]
    private var sources: [Int] = []
    private var weights: [Float] = []

    init(from inputCount: Int, to outputCount: Int) {
        self.inputCount = inputCount
        self.outputCount = outputCount
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

    private mutating func add(_ source: Int, _ weight: Double) {
        sources.append(source)
        weights.append(Float(weight))
    }

    /// Along the contiguous axis: `source` [rows, inputCount] → `target` [rows, outputCount].
    func resampleRows(_ source: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<Float>, rows: Int) {
        withTaps { start, sources, weights in
            for row in 0..<rows {
                let input = row * inputCount, output = row * outputCount
                for i in 0..<outputCount {
                    var sum: Float = 0
                    for t in start[i]..<start[i + 1] { sum += weights[t] * source[input + sources[t]] }
                    target[output + i] = sum
                }
            }
        }
    }

    /// Across rows: `source` [planes, inputCount, width] → `target` [planes, outputCount, width],
    /// which must start zeroed.
    func resampleColumns(_ source: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<Float>, planes: Int, width: Int) {
        withTaps { start, sources, weights in
            for plane in 0..<planes {
                for i in 0..<outputCount {
                    let output = (plane * outputCount + i) * width
                    for t in start[i]..<start[i + 1] {
                        let weight = weights[t], input = (plane * inputCount + sources[t]) * width
                        for x in 0..<width { target[output + x] += weight * source[input + x] }
                    }
                }
            }
        }
    }

    private func withTaps(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Float>) -> Void) {
        start.withUnsafeBufferPointer { start in
            sources.withUnsafeBufferPointer { sources in
                weights.withUnsafeBufferPointer { weights in body(start, sources, weights) }
            }
        }
    }
}
