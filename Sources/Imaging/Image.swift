/// An RGB picture as three float planes, [3, height, width], values in [0, 1].
///
/// Planar like the engine's NCHW tensors, so a batch is a copy and a scale away.
public struct Image: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// [3, height, width], red plane first.
    public var pixels: [Float]

    public init(width: Int, height: Int, pixels: [Float]) {
        precondition(pixels.count == 3 * width * height, "Image needs 3·\(width)·\(height) values, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A picture of one colour.
    public init(width: Int, height: Int, fill: RGB = .black) {
        let plane = width * height
        var pixels = [Float](repeating: fill.r, count: 3 * plane)
        for i in plane..<(2 * plane) { pixels[i] = fill.g }
        for i in (2 * plane)..<(3 * plane) { pixels[i] = fill.b }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// The value of channel `c` at row `y`, column `x`.
    @inlinable public subscript(c: Int, y: Int, x: Int) -> Float {
        get { pixels[(c * height + y) * width + x] }
        set { pixels[(c * height + y) * width + x] = newValue }
    }
}
