import Engine

/// Fractal value noise in [0, 1], centred near 0.5, for stains, fur, wood grain and frost.
///
/// `frequency` is lattice cells per canvas unit in x and y; unequal values stretch it into streaks.
struct Noise {
    var seed: UInt32
    var frequency: Point
    var octaves: Int = 4
    /// Folded around 0.5 (1 − |2n − 1|) into thin bright veins, as in frost.
    var ridged: Bool = false

    init(seed: UInt32, frequency: Point, octaves: Int = 4, ridged: Bool = false) {
        self.seed = seed; self.frequency = frequency; self.octaves = octaves; self.ridged = ridged
    }

    init(_ rng: inout RandomGenerator, frequency: Point, octaves: Int = 4, ridged: Bool = false) {
        self.init(seed: UInt32(truncatingIfNeeded: rng.next()), frequency: frequency, octaves: octaves, ridged: ridged)
    }

    @inline(__always) func callAsFunction(_ p: Point) -> Float {
        var sum: Float = 0, amplitude: Float = 1, total: Float = 0
        var q = p * frequency
        for octave in 0..<octaves {
            sum += amplitude * lattice(q, seed &+ UInt32(octave) &* 0x9E37_79B9)
            total += amplitude
            amplitude *= 0.5
            q *= 2
        }
        let n = sum / total
        return ridged ? 1 - abs(2 * n - 1) : n
    }

    /// One octave: corner values hashed from the cell, blended with a smoothstep. Floors by truncation
    /// and a correction, since a libm call per sample dominated rendering.
    @inline(__always) private func lattice(_ q: Point, _ seed: UInt32) -> Float {
        var ix = Int32(truncatingIfNeeded: Int(q.x)), iy = Int32(truncatingIfNeeded: Int(q.y))
        if Float(ix) > q.x { ix &-= 1 }
        if Float(iy) > q.y { iy &-= 1 }
        let fx = Float(ix), fy = Float(iy)
        let tx = q.x - fx, ty = q.y - fy
        let sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty)
        let v00 = hash(ix, iy, seed), v10 = hash(ix &+ 1, iy, seed)
        let v01 = hash(ix, iy &+ 1, seed), v11 = hash(ix &+ 1, iy &+ 1, seed)
        let top = v00 + (v10 - v00) * sx, bottom = v01 + (v11 - v01) * sx
        return top + (bottom - top) * sy
    }

    /// A lattice point's value in [0, 1).
    @inline(__always) private func hash(_ x: Int32, _ y: Int32, _ seed: UInt32) -> Float {
        var h = UInt32(bitPattern: x) &* 0x27D4_EB2D ^ UInt32(bitPattern: y) &* 0x1656_67B1 ^ seed
        h ^= h >> 15; h &*= 0x2C1B_3C6D
        h ^= h >> 12; h &*= 0x297A_2D39
        h ^= h >> 15
        return Float(h >> 8) * 0x1p-24
    }
}
