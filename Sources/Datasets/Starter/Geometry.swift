/// A point in canvas units: (0, 0) is the top-left corner, (1, 1) the bottom-right.
typealias Point = SIMD2<Float>

/// A 2×3 affine map, x' = a·x + c·y + tx, y' = b·x + d·y + ty, so scenes can place, turn and
/// scale a figure (a cat, a bauble) while drawing it in its own coordinates.
struct Affine {
    var a: Float = 1, b: Float = 0, c: Float = 0, d: Float = 1, tx: Float = 0, ty: Float = 0

    static let identity = Affine()

    func apply(_ p: Point) -> Point { Point(a * p.x + c * p.y + tx, b * p.x + d * p.y + ty) }

    /// `self` after `other`: points go through `other` first.
    func concatenating(_ other: Affine) -> Affine {
        Affine(a: a * other.a + c * other.b, b: b * other.a + d * other.b,
               c: a * other.c + c * other.d, d: b * other.c + d * other.d,
               tx: a * other.tx + c * other.ty + tx, ty: b * other.tx + d * other.ty + ty)
    }

    var inverse: Affine {
        let det = a * d - b * c
        precondition(det != 0, "A degenerate transform has no inverse")
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return Affine(a: ia, b: ib, c: ic, d: id, tx: -(ia * tx + ic * ty), ty: -(ib * tx + id * ty))
    }

    /// The following drawing moves by `offset` in the current coordinates.
    func translated(by offset: Point) -> Affine { concatenating(Affine(tx: offset.x, ty: offset.y)) }

    /// The following drawing turns by `angle` radians (clockwise on screen, y points down).
    func rotated(by angle: Float) -> Affine {
        let cs = cos(angle), sn = sin(angle)
        return concatenating(Affine(a: cs, b: sn, c: -sn, d: cs))
    }

    func scaled(by factor: Point) -> Affine { concatenating(Affine(a: factor.x, d: factor.y)) }
    func scaled(by factor: Float) -> Affine { scaled(by: Point(factor, factor)) }
}

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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
