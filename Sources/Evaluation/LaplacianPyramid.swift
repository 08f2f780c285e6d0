import Imaging

/// Three float planes [3, height, width] of one pyramid level; Laplacian levels are signed.
struct Planes {
    let width: Int, height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == 3 * width * height, "planes of \(width)×\(height) need \(3 * width * height) values")
        self.width = width
        self.height = height
        self.values = values
    }
}

/// The Laplacian pyramid of Burt & Adelson as ProGAN's SWD builds it (cv2.pyrDown / pyrUp with the
/// 5-tap binomial kernel, mirrored borders): each level is what the next coarser one cannot explain,
/// the last is the blurred image itself. Levels run from full size down to the first whose shorter
/// side is below twice `coarsest`.
enum LaplacianPyramid {
    /// [1, 4, 6, 4, 1] / 16, applied along rows and then columns.
    static let kernel: [Float] = [1, 4, 6, 4, 1].map { $0 / 16 }

    static func levels(_ image: Image, coarsest: Int) -> [Planes] {
        var gaussian = Planes(width: image.width, height: image.height, values: image.pixels)
        var result: [Planes] = []
        while min(gaussian.width, gaussian.height) >= 2 * coarsest {
            let smaller = down(gaussian)
            var detail = gaussian
            let restored = up(smaller, width: gaussian.width, height: gaussian.height)
            for i in detail.values.indices { detail.values[i] -= restored.values[i] }
            result.append(detail)
            gaussian = smaller
        }
        result.append(gaussian)
        return result
    }

    /// Blur, then keep even rows and columns: w × h → ⌈w/2⌉ × ⌈h/2⌉.
    static func down(_ x: Planes) -> Planes {
        let blurred = blur(x, gain: 1)
        let (w, h) = ((x.width + 1) / 2, (x.height + 1) / 2)
        var values = [Float](repeating: 0, count: 3 * w * h)
        for c in 0..<3 {
            for y in 0..<h {
                for i in 0..<w { values[(c * h + y) * w + i] = blurred.values[(c * x.height + 2 * y) * x.width + 2 * i] }
            }
        }
        return Planes(width: w, height: h, values: values)
    }

    /// Place values on even rows and columns of a width × height grid of zeros, then blur with gain 4
    /// (2 per axis) to make up for the zeros.
    static func up(_ x: Planes, width: Int, height: Int) -> Planes {
        var values = [Float](repeating: 0, count: 3 * width * height)
        for c in 0..<3 {
            for y in 0..<x.height {
                for i in 0..<x.width { values[(c * height + 2 * y) * width + 2 * i] = x.values[(c * x.height + y) * x.width + i] }
            }
        }
        return blur(Planes(width: width, height: height, values: values), gain: 2)
    }

    /// Separable convolution with `kernel · gain` per axis; borders mirror without repeating the edge
    /// (d c b | a b c d | c b a), scipy's "mirror".
    static func blur(_ x: Planes, gain: Float) -> Planes {
        let (w, h, taps) = (x.width, x.height, kernel.map { $0 * gain })
        var rows = [Float](repeating: 0, count: x.values.count)
        var out = rows
        x.values.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { dst in
                for c in 0..<3 {
                    for y in 0..<h {
                        let line = (c * h + y) * w
                        for i in 0..<w {
                            var sum: Float = 0
                            for k in 0..<5 { sum += taps[k] * src[line + mirror(i + k - 2, w)] }
                            dst[line + i] = sum
                        }
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<3 {
                    for y in 0..<h {
                        for i in 0..<w {
                            var sum: Float = 0
                            for k in 0..<5 { sum += taps[k] * src[(c * h + mirror(y + k - 2, h)) * w + i] }
                            dst[(c * h + y) * w + i] = sum
                        }
                    }
                }
            }
        }
        return Planes(width: w, height: h, values: out)
    }

    /// Index `i` reflected into 0..<n about the first and last samples.
    @inline(__always) static func mirror(_ i: Int, _ n: Int) -> Int {
        guard n > 1 else { return 0 }
        var j = i
        while j < 0 || j >= n { j = j < 0 ? -j : 2 * (n - 1) - j }
        return j
    }
}
