/// Maps the unit square onto any convex quadrilateral by a homography, so a facade drawn flat in
/// (u, v) lands in perspective with windows shrinking correctly towards the far edge.
struct QuadMapping {
    private let h: [Float]

    /// Corners in canvas units, in order (0,0) (1,0) (1,1) (0,1) of the unit square.
    init(topLeft p0: Point, topRight p1: Point, bottomRight p2: Point, bottomLeft p3: Point) {
        let s = p0 - p1 + p2 - p3
        let d1 = p1 - p2, d2 = p3 - p2
        let det = d1.x * d2.y - d2.x * d1.y
        let g = (s.x * d2.y - d2.x * s.y) / det
        let k = (d1.x * s.y - s.x * d1.y) / det
        h = [p1.x - p0.x + g * p1.x, p3.x - p0.x + k * p3.x, p0.x,
             p1.y - p0.y + g * p1.y, p3.y - p0.y + k * p3.y, p0.y,
             g, k]
    }

    func callAsFunction(_ u: Float, _ v: Float) -> Point {
        let w = h[6] * u + h[7] * v + 1
        return Point((h[0] * u + h[1] * v + h[2]) / w, (h[3] * u + h[4] * v + h[5]) / w)
    }

    /// The image of the axis-aligned rectangle [u0, u1] × [v0, v1].
    func rectangle(_ u0: Float, _ v0: Float, _ u1: Float, _ v1: Float) -> Polygon {
        Polygon([self(u0, v0), self(u1, v0), self(u1, v1), self(u0, v1)])
    }
}
