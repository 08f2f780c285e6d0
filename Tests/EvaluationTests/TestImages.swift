import Engine
import Imaging
@testable import Evaluation

/// Deterministic test pictures in [0, 1]: a colour gradient with a few hard-edged rectangles and fine noise.
func sampleImages(_ count: Int, size: Int, seed: UInt64) -> [Image] {
    var rng = RandomGenerator(seed: seed)
    func uniform() -> Float { Float(rng.next() >> 40) * 0x1p-24 }
    return (0..<count).map { _ in
        var image = Image(width: size, height: size)
        let base = (0..<3).map { _ in (uniform(), uniform() - 0.5, uniform() - 0.5) }
        for c in 0..<3 {
            for y in 0..<size {
                for x in 0..<size {
                    let (u, v) = (Float(x) / Float(size), Float(y) / Float(size))
                    image[c, y, x] = 0.5 * base[c].0 + 0.3 * (base[c].1 * u + base[c].2 * v) + 0.2 + 0.05 * uniform()
                }
            }
        }
        for _ in 0..<3 {
            let (top, left, side) = (rng.index(below: size / 2), rng.index(below: size / 2), 2 + rng.index(below: size / 2))
            let colour = (uniform(), uniform(), uniform())
            for y in top..<min(size, top + side) {
                for x in left..<min(size, left + side) {
                    (image[0, y, x], image[1, y, x], image[2, y, x]) = colour
                }
            }
        }
        return image
    }
}

/// `image` with `red` added to its red channel, clamped to [0, 1].
func shifted(_ image: Image, red: Float) -> Image {
    var out = image
    for i in 0..<(image.width * image.height) { out.pixels[i] = min(1, out.pixels[i] + red) }
    return out
}
