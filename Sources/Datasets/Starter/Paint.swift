/// What fills a shape, evaluated per pixel in the coordinates the shape was drawn in, so a
/// gradient or a fur pattern turns and scales with its figure.
enum Paint {
    case solid(RGBA)
    /// `start` at point `from`, `end` at `to`, clamped beyond.
    case linear(from: Point, to: Point, RGBA, RGBA)
    /// `inner` at `center`, `outer` at `radius` and beyond.
    case radial(center: Point, radius: Float, RGBA, RGBA)
    /// `low` where the noise is at or below `edge0`, `high` at or above `edge1`, smooth between.
    case noise(Noise, RGBA, RGBA, edge0: Float = 0.4, edge1: Float = 0.6)

    @inline(__always) func colour(at p: Point) -> RGBA {
        switch self {
        case .solid(let c):
            return c
        case .linear(let from, let to, let start, let end):
            let axis = to - from
            let t = ((p - from) * axis).sum() / max((axis * axis).sum(), 1e-12)
            return start.mixed(with: end, min(max(t, 0), 1))
        case .radial(let center, let radius, let inner, let outer):
            return inner.mixed(with: outer, min((p - center).length / radius, 1))
        case .noise(let noise, let low, let high, let edge0, let edge1):
            let t = min(max((noise(p) - edge0) / (edge1 - edge0), 0), 1)
            return low.mixed(with: high, t * t * (3 - 2 * t))
        }
    }
}
