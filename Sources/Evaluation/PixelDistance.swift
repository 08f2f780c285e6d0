import Engine
import Imaging

/// Root-mean-square difference between two pictures, value by value, in the pictures' own units
/// ([0, 1] per channel): the pixel-space distance that variety and memorisation are measured in.
enum PixelDistance {
    /// [first.count, second.count], row-major: every picture of `first` against every one of
    /// `second`, all of one size. One GEMM through ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b rather than the pair
    /// loop (`distance`), which for 256 × 256 pictures of 64 px is 8·10⁸ scalar steps; rounding leaves
    /// copies at about 10⁻⁴ rather than 0.
    static func matrix(_ first: [Image], _ second: [Image]) -> [Float] {
        let d = first[0].pixels.count
        let (a, b) = (first.flatMap(\.pixels), second.flatMap(\.pixels))
        let products = withoutGradients {
            matmul(Tensor(a, shape: [first.count, d]), Tensor(b, shape: [second.count, d]), transposeB: true)
        }
        let (normsA, normsB) = (first.map(squaredNorm), second.map(squaredNorm))
        var out = [Float](repeating: 0, count: first.count * second.count)
        for i in first.indices {
            for j in second.indices {
                let squared = normsA[i] + normsB[j] - 2 * Double(products.data[i * second.count + j])
                out[i * second.count + j] = Float((max(squared, 0) / Double(d)).squareRoot())
            }
        }
        return out
    }

    /// The pair loop `matrix` stands for; tests compare the two.
    static func distance(_ a: Image, _ b: Image) -> Float {
        var sum = 0.0
        for (x, y) in zip(a.pixels, b.pixels) { sum += Double(x - y) * Double(x - y) }
        return Float((sum / Double(a.pixels.count)).squareRoot())
    }

    private static func squaredNorm(_ image: Image) -> Double {
        image.pixels.reduce(0) { $0 + Double($1) * Double($1) }
    }
}
