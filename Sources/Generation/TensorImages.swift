import Engine
import Imaging

extension Image {
    /// Pictures from a generator batch [N, 3, R, R] in [-1, 1], clamped into [0, 1].
    public static func batch(_ tensor: Tensor) -> [Image] {
        precondition(tensor.rank == 4 && tensor.shape[1] == 3, "pictures from \(tensor.shape): expected [N, 3, R, R]")
        let (n, h, w) = (tensor.shape[0], tensor.shape[2], tensor.shape[3])
        let size = 3 * h * w
        return (0..<n).map { i in
            let src = tensor.data + i * size
            return Image(width: w, height: h, pixels: (0..<size).map { min(max((src[$0] + 1) / 2, 0), 1) })
        }
    }
}
