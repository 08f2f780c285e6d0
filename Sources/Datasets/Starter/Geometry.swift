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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
