import Engine
import Foundation
import Imaging

/// Pictures with light, shadow and detail, made procedurally: a sky gradient over a shaded ground,
/// a lit sphere, a row of windows and fine noise. `hue` in [0, 1) turns the scene's colours.
func scene(size: Int = 64, hue: Float, seed: UInt64) -> Image {
    var random = RandomGenerator(seed: seed)
    var image = Image(width: size, height: size)
    func tint(_ turn: Float, _ light: Float, _ chroma: Float) -> RGB {
        let angle = 2 * Float.pi * (hue + turn)
        return Lab(l: light, a: chroma * cos(angle), b: chroma * sin(angle)).rgb.clamped
    }
    let (sky, ground, ball, window) = (Float(0), Float(0.35), Float(0.6), Float(0.15))
    for y in 0..<size {
        for x in 0..<size {
            let (u, v) = (Float(x) / Float(size - 1), Float(y) / Float(size - 1))
            var colour = v < 0.6 ? tint(sky, 80 - 30 * v, 25) : tint(ground, 55 - 35 * (v - 0.6) - 10 * u, 30)
            let (dx, dy) = (u - 0.3, v - 0.45)
            let r2 = (dx * dx + dy * dy) / (0.18 * 0.18)
            if r2 < 1 { colour = tint(ball, 30 + 50 * (1 - r2) * max(0, 0.5 - dx - dy), 45) }
            if u > 0.6 && u < 0.9 && v > 0.2 && v < 0.55 {
                let lit = (x / 4 + y / 4) % 3 != 0
                colour = (x % 4 == 0 || y % 4 == 0) ? tint(ground, 25, 10) : tint(window, lit ? 85 : 40, lit ? 50 : 15)
            }
            let grain = 0.015 * (random.uniform() - 0.5)
            (image[0, y, x], image[1, y, x], image[2, y, x]) = (min(max(colour.r + grain, 0), 1), min(max(colour.g + grain, 0), 1),
                                                                min(max(colour.b + grain, 0), 1))
        }
    }
    return image
}

/// Generated theme pictures kept outside the repository; tests using them skip when absent.
func generatedPictures(_ theme: String) -> [Image] {
    let folder = URL(fileURLWithPath: "/tmp/before/gen/\(theme)")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".png") && !$0.contains("grid") }.sorted()
    return names.compactMap { try? Image(contentsOf: folder.appendingPathComponent($0)) }
}
