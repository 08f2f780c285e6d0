/// Edge-preserving smoothing (He, Sun and Tang, "Guided Image Filtering", 2010): within every
/// (2r+1)² window the output is a linear function of the guide, so it follows the guide's edges
/// and drops detail the guide does not have. Used on displacement fields, guided by lightness.
struct GuidedFilter {
    let width: Int, height: Int, radius: Int
    /// [H, W] guide, its window means and window variances plus ε.
    let guide: [Float], guideMean: [Float], guideVariance: [Float]

    /// `epsilon` in squared guide units: windows whose guide varies less than √ε are flattened.
    init(guide: [Float], width: Int, height: Int, radius: Int, epsilon: Float) {
        self.width = width
        self.height = height
        self.radius = radius
        self.guide = guide
        guideMean = boxMean(guide, width: width, height: height, radius: radius)
        let squares = boxMean(guide.map { $0 * $0 }, width: width, height: height, radius: radius)
        guideVariance = zip(squares, guideMean).map { $0 - $1 * $1 + epsilon }
    }

    /// [H, W] `input` smoothed along the guide.
    func callAsFunction(_ input: [Float]) -> [Float] {
        let inputMean = boxMean(input, width: width, height: height, radius: radius)
        let products = boxMean(zip(input, guide).map(*), width: width, height: height, radius: radius)
        var slope = [Float](repeating: 0, count: input.count), offset = slope
        for i in input.indices {
            slope[i] = (products[i] - guideMean[i] * inputMean[i]) / guideVariance[i]
            offset[i] = inputMean[i] - slope[i] * guideMean[i]
        }
        let (slopeMean, offsetMean) = (boxMean(slope, width: width, height: height, radius: radius),
                                       boxMean(offset, width: width, height: height, radius: radius))
        return input.indices.map { slopeMean[$0] * guide[$0] + offsetMean[$0] }
    }
}

/// [H, W] mean of `values` over the (2r+1)² window around each pixel, clipped at the border (the
/// mean of the pixels inside), by running sums along rows then columns: O(H·W) whatever r.
func boxMean(_ values: [Float], width: Int, height: Int, radius: Int) -> [Float] {
    var rows = [Float](repeating: 0, count: values.count), result = rows
    values.withUnsafeBufferPointer { v in
        rows.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let row = y * width
                var sum: Float = 0
                for x in 0..<min(radius, width) { sum += v[row + x] }
                for x in 0..<width {
                    if x + radius < width { sum += v[row + x + radius] }
                    if x - radius - 1 >= 0 { sum -= v[row + x - radius - 1] }
                    out[row + x] = sum / Float(min(x + radius, width - 1) - max(x - radius, 0) + 1)
                }
            }
        }
    }
    rows.withUnsafeBufferPointer { v in
        result.withUnsafeMutableBufferPointer { out in
            var sums = [Float](repeating: 0, count: width)
            for y in 0..<min(radius, height) { for x in 0..<width { sums[x] += v[y * width + x] } }
            for y in 0..<height {
                let count = Float(min(y + radius, height - 1) - max(y - radius, 0) + 1)
                for x in 0..<width {
                    if y + radius < height { sums[x] += v[(y + radius) * width + x] }
                    if y - radius - 1 >= 0 { sums[x] -= v[(y - radius - 1) * width + x] }
                    out[y * width + x] = sums[x] / count
                }
            }
        }
    }
    return result
}
