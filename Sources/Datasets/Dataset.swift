import Imaging

/// N square pictures as 8-bit RGB: a quarter of the memory of floats, and the layout of the cache file.
public struct Dataset: Sendable {
    /// Side of every picture in pixels.
    public let resolution: Int
    public let count: Int
    /// [N, 3, R, R], planar like the engine's tensors; byte b stands for b / 255.
    public let pixels: [UInt8]
    public let summary: DatasetSummary

    init(resolution: Int, pixels: [UInt8], summary: DatasetSummary) {
        let size = 3 * resolution * resolution
        precondition(size > 0 && pixels.count % size == 0, "\(pixels.count) bytes are not whole \(resolution)² RGB pictures")
        self.resolution = resolution
        self.count = pixels.count / size
        self.pixels = pixels
        self.summary = summary
    }

    /// Picture `index` as floats in [0, 1].
    public func image(at index: Int) -> Image {
        precondition(index >= 0 && index < count, "image \(index) of a dataset of \(count)")
        let size = 3 * resolution * resolution
        let floats = pixels[(index * size)..<((index + 1) * size)].map { Float($0) / 255 }
        return Image(width: resolution, height: resolution, pixels: floats)
    }

    /// `count` pictures (all, if there are fewer) spread evenly over the dataset, the first included:
    /// what previews show and evaluation compares with.
    public func spread(_ count: Int) -> [Image] {
        let shown = min(count, self.count)
        return (0..<shown).map { image(at: $0 * self.count / shown) }
    }

    /// The mean of each channel over every pixel of every picture, in [0, 1].
    public func meanColour() -> RGB {
        let plane = resolution * resolution
        var sums: [UInt64] = [0, 0, 0]
        pixels.withUnsafeBufferPointer { bytes in
            for n in 0..<count {
                for c in 0..<3 {
                    var total: UInt64 = 0
                    for i in ((n * 3 + c) * plane)..<((n * 3 + c + 1) * plane) { total += UInt64(bytes[i]) }
                    sums[c] += total
                }
            }
        }
        let scale = 1 / (255 * Double(max(count * plane, 1)))
        return RGB(Float(Double(sums[0]) * scale), Float(Double(sums[1]) * scale), Float(Double(sums[2]) * scale))
    }
}
