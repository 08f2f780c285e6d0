/// A filled shape: one or more closed contours in canvas units, filled by the even-odd rule so an
/// inner contour cuts a hole (a frame around glass, a ring).
struct Polygon {
    var contours: [[Point]]

    init(_ points: [Point]) { contours = [points] }
    init(contours: [[Point]]) { self.contours = contours }

    static func rectangle(_ x0: Float, _ y0: Float, _ x1: Float, _ y1: Float) -> Polygon {
        Polygon([Point(x0, y0), Point(x1, y0), Point(x1, y1), Point(x0, y1)])
    }

    /// An ellipse as a `segments`-gon; 48 sides keep the error under a pixel up to 256 px.
    static func ellipse(center: Point, radii: Point, rotation: Float = 0, segments: Int = 48) -> Polygon {
        let cs = cos(rotation), sn = sin(rotation)
        return Polygon((0..<segments).map { k in
            let t = 2 * Float.pi * Float(k) / Float(segments)
            let e = Point(radii.x * cos(t), radii.y * sin(t))
            return center + Point(cs * e.x - sn * e.y, sn * e.x + cs * e.y)
        })
    }

    static func circle(center: Point, radius: Float) -> Polygon {
        ellipse(center: center, radii: Point(radius, radius))
    }

    /// A straight stroke of `width`, extended by half the width past both ends so that the
    /// segments of a polyline overlap at their joints instead of leaving notches.
    static func segment(from a: Point, to b: Point, width: Float) -> Polygon {
        let length = max((b - a).length, 1e-6)
        let along = (b - a) / length * (width / 2)
        let across = Point(-along.y, along.x)
        return Polygon([a - along + across, b + along + across, b + along - across, a - along - across])
    }

    /// A star with `points` tips; the first tip points along `rotation` from straight up.
    static func star(center: Point, outer: Float, inner: Float, points: Int, rotation: Float = 0) -> Polygon {
        Polygon((0..<(2 * points)).map { k in
            let r = k.isMultiple(of: 2) ? outer : inner
            let t = rotation + Float.pi * Float(k) / Float(points)
            return center + Point(r * sin(t), -r * cos(t))
        })
    }

    func mapped(_ f: (Point) -> Point) -> Polygon { Polygon(contours: contours.map { $0.map(f) }) }

    /// Mirror image across the vertical line x = `axis`, for symmetric ornament.
    func mirrored(about axis: Float) -> Polygon { mapped { Point(2 * axis - $0.x, $0.y) } }

    /// The part inside the convex polygon `window` (Sutherland–Hodgman, one contour at a time), so
    /// stripes and patches stay on a bauble or a cat's body.
    func clipped(to window: [Point]) -> Polygon {
        var area: Float = 0
        for i in window.indices {
            let p = window[i], q = window[(i + 1) % window.count]
            area += p.x * q.y - q.x * p.y
        }
        let orientation: Float = area >= 0 ? 1 : -1
        func inside(_ p: Point, _ a: Point, _ b: Point) -> Bool {
            orientation * ((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)) >= 0
        }
        func crossing(_ p: Point, _ q: Point, _ a: Point, _ b: Point) -> Point {
            let e = b - a
            let dp = e.x * (p.y - a.y) - e.y * (p.x - a.x)
            let dq = e.x * (q.y - a.y) - e.y * (q.x - a.x)
            return p + (q - p) * (dp / (dp - dq))
        }
        let clippedContours = contours.map { contour -> [Point] in
            var output = contour
            for i in window.indices where !output.isEmpty {
                let a = window[i], b = window[(i + 1) % window.count]
                let input = output
                output.removeAll(keepingCapacity: true)
                for j in input.indices {
                    let p = input[j], q = input[(j + 1) % input.count]
                    let pIn = inside(p, a, b), qIn = inside(q, a, b)
                    if pIn { output.append(p) }
                    if pIn != qIn { output.append(crossing(p, q, a, b)) }
                }
            }
            return output
        }
        return Polygon(contours: clippedContours.filter { $0.count >= 3 })
    }

    static func + (lhs: Polygon, rhs: Polygon) -> Polygon { Polygon(contours: lhs.contours + rhs.contours) }
}

extension SIMD2 where Scalar == Float {
    var length: Float { (x * x + y * y).squareRoot() }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
