import Imaging

/// A square RGB drawing surface rendered at `supersample`× the output size and box-averaged down,
/// which anti-aliases every edge without coverage bookkeeping.
///
/// Coordinates are canvas units ((0, 0) top-left, (1, 1) bottom-right) through `transform`, so a
/// scene reads the same at 32 and at 256 pixels.
struct Canvas {
    let size: Int
    let supersample: Int
    /// Side of the working planes in pixels, `size · supersample`.
    let side: Int
    /// [3, side, side], red plane first.
    private var planes: [Float]
    var transform = Affine.identity
    /// Reused per fill: edges as (x0, y0, x1, y1) in working pixels, and one row's crossings.
    private var edges: [Float] = []
    private var crossings: [Float] = []

    /// 4× up to 32 px, 3× up to 128 px, 2× above: 9 samples a pixel already hide the stair-steps.
    init(size: Int, background: RGB) {
        precondition(size > 0, "Canvas size must be positive, got \(size)")
        self.size = size
        supersample = size <= 32 ? 4 : (size <= 128 ? 3 : 2)
        side = size * supersample
        let plane = side * side
        planes = [Float](repeating: background.r, count: 3 * plane)
        for i in plane..<(2 * plane) { planes[i] = background.g }
        for i in (2 * plane)..<(3 * plane) { planes[i] = background.b }
    }

    /// Blends `paint` over every pixel whose centre lies inside `polygon` (even-odd rule).
    mutating func fill(_ polygon: Polygon, _ paint: Paint) {
        let toPixels = Affine(a: Float(side), d: Float(side)).concatenating(transform)
        edges.removeAll(keepingCapacity: true)
        var top = Float.infinity, bottom = -Float.infinity
        for contour in polygon.contours where contour.count >= 3 {
            var previous = toPixels.apply(contour[contour.count - 1])
            for point in contour {
                let p = toPixels.apply(point)
                edges.append(previous.x); edges.append(previous.y); edges.append(p.x); edges.append(p.y)
                top = min(top, p.y); bottom = max(bottom, p.y)
                previous = p
            }
        }
        guard !edges.isEmpty else { return }
        let firstRow = max(0, Int((top - 0.5).rounded(.up)))
        let endRow = min(side, Int((bottom - 0.5).rounded(.up)))
        guard firstRow < endRow else { return }
        rasterize(rows: firstRow..<endRow, paint, local: toPixels.inverse)
    }

    /// Blends `paint` over the whole canvas.
    mutating func fill(_ paint: Paint) {
        let s = Float(side)
        edges = [0, 0, s, 0, s, 0, s, s, s, s, 0, s, 0, s, 0, 0]
        let toPixels = Affine(a: s, d: s).concatenating(transform)
        rasterize(rows: 0..<side, paint, local: toPixels.inverse)
    }

    /// A polyline of straight segments of one `width`.
    mutating func stroke(_ points: [Point], width: Float, _ paint: Paint) {
        for (a, b) in zip(points, points.dropFirst()) {
            fill(.segment(from: a, to: b, width: width), paint)
        }
    }

    /// Scanline fill of the current `edges`; `local` maps working pixels back to paint coordinates.
    private mutating func rasterize(rows: Range<Int>, _ paint: Paint, local: Affine) {
        let side = side, plane = side * side
        let solid: RGBA? = if case .solid(let c) = paint { c } else { nil }
        edges.withUnsafeBufferPointer { edge in
            planes.withUnsafeMutableBufferPointer { rgb in
                for h in rows {
                    let yc = Float(h) + 0.5
                    crossings.removeAll(keepingCapacity: true)
                    for e in stride(from: 0, to: edge.count, by: 4) {
                        let y0 = edge[e + 1], y1 = edge[e + 3]
                        if (y0 <= yc) != (y1 <= yc) {
                            crossings.append(edge[e] + (yc - y0) * (edge[e + 2] - edge[e]) / (y1 - y0))
                        }
                    }
                    crossings.sort()
                    for k in stride(from: 0, to: crossings.count - 1, by: 2) {
                        let w0 = max(0, Int((crossings[k] - 0.5).rounded(.up)))
                        let w1 = min(side, Int((crossings[k + 1] - 0.5).rounded(.up)))
                        guard w0 < w1 else { continue }
                        let row = h * side
                        for w in w0..<w1 {
                            let c = solid ?? paint.colour(at: local.apply(Point(Float(w) + 0.5, yc)))
                            guard c.alpha > 0 else { continue }
                            let i = row + w
                            rgb[i] += (c.rgb.r - rgb[i]) * c.alpha
                            rgb[plane + i] += (c.rgb.g - rgb[plane + i]) * c.alpha
                            rgb[2 * plane + i] += (c.rgb.b - rgb[2 * plane + i]) * c.alpha
                        }
                    }
                }
            }
        }
    }

    /// The picture at `size`: each output pixel the mean of its supersample² block, clamped to [0, 1].
    func image() -> Image {
        let n = size, s = supersample, side = side
        var pixels = [Float](repeating: 0, count: 3 * n * n)
        let norm = 1 / Float(s * s)
        planes.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for c in 0..<3 {
                    for y in 0..<n {
                        for x in 0..<n {
                            var sum: Float = 0
                            for dy in 0..<s {
                                let row = (c * side + y * s + dy) * side + x * s
                                for dx in 0..<s { sum += src[row + dx] }
                            }
                            dst[(c * n + y) * n + x] = min(max(sum * norm, 0), 1)
                        }
                    }
                }
            }
        }
        return Image(width: n, height: n, pixels: pixels)
    }
}
