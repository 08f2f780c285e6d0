import Engine
import Imaging

/// Colour transfer by sliced optimal transport (Pitié, Kokaram and Dahyot 2007): the picture's Lab
/// pixels are repeatedly projected on the three axes of a random rotation and moved so each
/// projection's 1-D distribution matches the target's there (sorted ranks to target quantiles).
/// The target is a cloud drawn from the palette, each colour in proportion to its weight with a
/// Gaussian spread. The displacement field is then smoothed by a guided filter on the picture's
/// lightness, which keeps edges and drops the per-pixel grain that transport adds; a and b take
/// the smoothed displacement fully, L `lightnessShare` of it, so light and shadow mostly stay.
///
/// Rotations and the target's sorted projections are fixed at init; a picture costs one sort of
/// its pixels per axis and iteration.
public struct TransportRecolourer: Recolouring {
    static let iterations = 12
    static let targetSamples = 4096
    /// Standard deviation, in Lab units, of the cloud around each palette colour.
    static let spread: Float = 4
    static let filterRadius = 3
    /// In squared units of L/100: lightness steps above about 5 count as edges.
    static let filterEpsilon: Float = 0.05 * 0.05

    /// One unit vector (l, a, b) per 1-D matching step.
    let axes: [(Float, Float, Float)]
    /// For each axis, the target cloud's projections, ascending.
    let sortedTargets: [[Float]]

    public init(to target: Palette, seed: UInt64 = 0) {
        var random = RandomGenerator(seed: seed)
        let counts = apportioned(Self.targetSamples, by: target.weights)
        var cloud: [Lab] = []
        for (colour, count) in zip(target.labs, counts) {
            for _ in 0..<count {
                cloud.append(Lab(l: colour.l + Self.spread * random.normal(), a: colour.a + Self.spread * random.normal(),
                                 b: colour.b + Self.spread * random.normal()))
            }
        }
        axes = (0..<Self.iterations).flatMap { _ in randomRotation(&random) }
        sortedTargets = axes.map { e in cloud.map { $0.l * e.0 + $0.a * e.1 + $0.b * e.2 }.sorted() }
    }

    public func fullyRecoloured(_ image: Image) -> Image {
        let n = image.width * image.height
        var original = [Float](repeating: 0, count: 3 * n)
        for i in 0..<n {
            let lab = image.lab(at: i)
            (original[i], original[n + i], original[2 * n + i]) = (lab.l, lab.a, lab.b)
        }
        var moved = original
        var keys = [UInt64](repeating: 0, count: n)
        for (e, targets) in zip(axes, sortedTargets) {
            moved.withUnsafeMutableBufferPointer { x in
                keys.withUnsafeMutableBufferPointer { key in
                    for i in 0..<n { key[i] = UInt64(orderedBits(x[i] * e.0 + x[n + i] * e.1 + x[2 * n + i] * e.2)) << 32 | UInt64(i) }
                }
                keys.sort()
                targets.withUnsafeBufferPointer { t in
                    for (rank, key) in keys.enumerated() {
                        let i = Int(key & 0xFFFF_FFFF)
                        let delta = t[(2 * rank + 1) * t.count / (2 * n)] - (x[i] * e.0 + x[n + i] * e.1 + x[2 * n + i] * e.2)
                        x[i] += delta * e.0
                        x[n + i] += delta * e.1
                        x[2 * n + i] += delta * e.2
                    }
                }
            }
        }
        let filter = GuidedFilter(guide: original[0..<n].map { $0 / 100 }, width: image.width, height: image.height,
                                  radius: Self.filterRadius, epsilon: Self.filterEpsilon)
        let shifts = (0..<3).map { c in filter((0..<n).map { moved[c * n + $0] - original[c * n + $0] }) }
        var result = image
        for i in 0..<n {
            let rgb = Lab(l: original[i] + lightnessShare * shifts[0][i], a: original[n + i] + shifts[1][i],
                          b: original[2 * n + i] + shifts[2][i]).rgb.clamped
            (result.pixels[i], result.pixels[n + i], result.pixels[2 * n + i]) = (rgb.r, rgb.g, rgb.b)
        }
        return result
    }
}

/// `total` split in proportion to `weights` (summing to 1) by largest remainders, so the counts add up.
func apportioned(_ total: Int, by weights: [Float]) -> [Int] {
    let exact = weights.map { Double($0) * Double(total) }
    var counts = exact.map { Int($0) }
    let byRemainder = exact.indices.sorted { exact[$0] - Double(counts[$0]) > exact[$1] - Double(counts[$1]) }
    for i in byRemainder.prefix(total - counts.reduce(0, +)) { counts[i] += 1 }
    return counts
}

/// Three orthonormal (l, a, b) axes, Gram–Schmidt on Gaussian vectors: a uniformly random rotation.
func randomRotation(_ random: inout RandomGenerator) -> [(Float, Float, Float)] {
    var axes: [(Float, Float, Float)] = []
    while axes.count < 3 {
        var v = (random.normal(), random.normal(), random.normal())
        for u in axes {
            let dot = v.0 * u.0 + v.1 * u.1 + v.2 * u.2
            v = (v.0 - dot * u.0, v.1 - dot * u.1, v.2 - dot * u.2)
        }
        let length = (v.0 * v.0 + v.1 * v.1 + v.2 * v.2).squareRoot()
        if length > 1e-3 { axes.append((v.0 / length, v.1 / length, v.2 / length)) }
    }
    return axes
}

/// The float's bits turned so unsigned integer order is numeric order (negatives flipped whole,
/// positives with the sign bit set), for sorting pixels by projection in one integer sort.
@inline(__always) func orderedBits(_ value: Float) -> UInt32 {
    let bits = value.bitPattern
    return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
}
