/// Conversions between the planar float layout and the interleaved 8-bit samples codecs speak.
extension Image {
    /// `samples` is [height, width, channels]: 3 for RGB, 4 for RGBA with straight (unpremultiplied)
    /// alpha, composited over `background` as a·colour + (1 − a)·background.
    init(interleaved samples: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int, background: RGB) {
        precondition(channels == 3 || channels == 4, "interleaved samples have 3 or 4 channels, not \(channels)")
        precondition(samples.count == width * height * channels, "expected \(width)·\(height)·\(channels) samples")
        let unit = (0...255).map { Float($0) / 255 }
        let fill = [background.r, background.g, background.b]
        let plane = width * height
        var pixels = [Float](repeating: 0, count: 3 * plane)
        pixels.withUnsafeMutableBufferPointer { out in
            for p in 0..<plane {
                let source = p * channels
                let alpha = channels == 4 ? unit[Int(samples[source + 3])] : 1
                for c in 0..<3 {
                    out[c * plane + p] = alpha * unit[Int(samples[source + c])] + (1 - alpha) * fill[c]
                }
            }
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// [height, width, 3] 8-bit RGB, each value rounded after clamping to [0, 1]; NaN becomes 0.
    func interleavedRGB8() -> [UInt8] {
        let plane = width * height
        var samples = [UInt8](repeating: 0, count: 3 * plane)
        samples.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { planes in
                for p in 0..<plane {
                    for c in 0..<3 {
                        let scaled = planes[c * plane + p] * 255 + 0.5
                        out[3 * p + c] = scaled > 0 ? (scaled < 255 ? UInt8(scaled) : 255) : 0
                    }
                }
            }
        }
        return samples
    }
}
