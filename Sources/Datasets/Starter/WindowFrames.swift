import Engine

/// Carved wooden window surrounds (nalichniki) on log or plank walls: side boards with scalloped
/// edges, a crowned top with a sun or scrolls, a sill with hanging lace, glass reflecting the sky,
/// sometimes shutters. Built from the left and mirrored, as the carvers did.
enum WindowFrames {
    static let paints: [UInt32] = [0xEDEDE6, 0xEDEDE6, 0x3E6FB8, 0x7FB2D6, 0x4E8A56, 0x3FA39B, 0xE9E2C8]
    static let logs: [UInt32] = [0x7A5C3E, 0x8C7358, 0x6B5A4A, 0x9A8468, 0x5E4A38, 0x84705E]
    static let planks: [UInt32] = [0x7A9A7A, 0x6F8FB0, 0xC9A35A, 0x9A5A4A, 0xB0A48A, 0x5E7F8F]

    static func draw(on canvas: inout Canvas, _ rng: inout RandomGenerator) {
        drawWall(on: &canvas, &rng)
        let main = RGBA(hex: rng.pick(paints)).varied(by: 0.03, &rng)
        var accent = RGBA(hex: rng.pick(paints)).varied(by: 0.03, &rng)
        if abs(accent.rgb.r - main.rgb.r) + abs(accent.rgb.b - main.rgb.b) < 0.2 { accent = main.rgb.r > 0.8 ? RGBA(0.24, 0.44, 0.72) : RGBA(0.93, 0.93, 0.9) }

        let zoom = rng.uniform(1.0, 1.4)
        let width = rng.uniform(0.3, 0.4) * zoom, height = width * rng.uniform(1.2, 1.5)
        let board = width * rng.uniform(0.12, 0.18), crown = width * rng.uniform(0.3, 0.55)
        let lintel = board * 0.5, sill = board * 0.35, apron = board * rng.uniform(0.8, 1.4)
        let total = crown + lintel + height + sill + apron
        let cx = 0.5 + rng.uniform(-0.04, 0.04)
        let top = (1 - total) / 2 + rng.uniform(-0.04, 0.04) + crown + lintel
        let left = cx - width / 2, right = cx + width / 2, bottom = top + height

        if rng.chance(0.4) {
            let shutter = (rng.chance(0.5) ? accent : main)
            for side: Float in [-1, 1] {
                let inner = side < 0 ? left - board : right + board
                let outer = inner + side * width / 2
                let x0 = min(inner, outer), x1 = max(inner, outer)
                canvas.fill(.rectangle(x0, top, x1, bottom), .solid(shutter.scaled(0.92)))
                canvas.fill(.rectangle(x0 + board * 0.25, top + board * 0.25, x1 - board * 0.25, bottom - board * 0.25), .solid(shutter))
                let middle = Point((x0 + x1) / 2, (top + bottom) / 2)
                let other = shutter.rgb.r > 0.8 ? accent : main.mixed(with: .white, 0.7)
                canvas.fill(.star(center: middle, outer: (x1 - x0) * 0.3, inner: (x1 - x0) * 0.12, points: 4), .solid(other))
                canvas.fill(.circle(center: middle, radius: (x1 - x0) * 0.07), .solid(shutter))
            }
        }

        drawGlass(on: &canvas, &rng, left: left, top: top, right: right, bottom: bottom)
        let sash = rng.chance(0.6) ? RGBA(0.93, 0.93, 0.9) : main
        let bar = width * 0.045
        let transom = top + height * rng.uniform(0.28, 0.4)
        canvas.fill(.rectangle(left, top, right, bottom) + .rectangle(left + bar, top + bar, right - bar, bottom - bar), .solid(sash))
        canvas.fill(.rectangle(cx - bar / 2, top, cx + bar / 2, bottom), .solid(sash))
        canvas.fill(.rectangle(left, transom - bar / 2, right, transom + bar / 2), .solid(sash))

        func carve(_ shape: Polygon, _ color: RGBA) {
            canvas.fill(shape.mapped { $0 + Point(0.008, 0.012) }, .solid(RGBA.black.opacity(0.35)))
            canvas.fill(shape, .solid(color))
        }
        let scallop = board * 0.3
        var y = top - lintel
        while y < bottom + sill {
            carve(.circle(center: Point(left - board, y + scallop), radius: scallop) + .circle(center: Point(right + board, y + scallop), radius: scallop), main)
            y += scallop * 2.2
        }
        carve(.rectangle(left - board, top - lintel, left, bottom) + .rectangle(right, top - lintel, right + board, bottom), main)
        for k in 0..<4 {
            let holeY = top + height * (Float(k) + 0.5) / 4
            for x in [left - board / 2, right + board / 2] {
                canvas.fill(.star(center: Point(x, holeY), outer: board * 0.32, inner: board * 0.14, points: 4), .solid(accent))
            }
        }

        let crownWidth = width / 2 + board * 1.5
        let outline = crownOutline(style: rng.integer(0...2), halfWidth: crownWidth, height: crown).map { $0 + Point(cx, top - lintel) }
        for point in outline.enumerated().filter({ $0.offset % 2 == 1 }).map(\.element) {
            carve(.circle(center: point, radius: board * 0.22), main)
        }
        carve(Polygon(outline), main)
        let base = Point(cx, top - lintel)
        canvas.fill(Polygon(outline.map { base + ($0 - base) * 0.72 }), .solid(accent))
        canvas.fill(Polygon(outline.map { base + ($0 - base) * 0.5 }), .solid(main))
        if rng.chance(0.6) {
            let radius = min(crown * 0.45, crownWidth * 0.45)
            let rays = rng.integer(7...11)
            for k in 0..<rays where k % 2 == 0 {
                let a0 = Float.pi * Float(k) / Float(rays), a1 = Float.pi * Float(k + 1) / Float(rays)
                canvas.fill(Polygon([base, base + Point(-cos(a0), -sin(a0)) * radius, base + Point(-cos(a1), -sin(a1)) * radius]), .solid(accent))
            }
            canvas.fill(.ellipse(center: base, radii: Point(radius * 0.35, radius * 0.35)), .solid(main))
        } else {
            for side: Float in [-1, 1] {
                let center = base + Point(side * crownWidth * 0.3, -crown * 0.25)
                canvas.stroke((0..<24).map { k in
                    let t = Float(k) / 23
                    let angle = side * t * 3.5 * Float.pi
                    return center + Point(cos(angle), sin(angle)) * crown * 0.22 * (1 - 0.8 * t)
                }, width: board * 0.15, .solid(accent.rgb.r > 0.8 && main.rgb.r > 0.8 ? RGBA(0.3, 0.4, 0.6) : (rng.chance(0.5) ? main : accent)))
            }
        }
        carve(.circle(center: outline[outline.count / 2] + Point(0, -board * 0.2), radius: board * 0.3), accent)
        carve(.rectangle(left - board * 1.4, top - lintel, right + board * 1.4, top), main)

        let apronLeft = left - board, apronRight = right + board
        let teeth = rng.integer(5...9)
        let toothWidth = (apronRight - apronLeft) / Float(teeth)
        let hanging = rng.chance(0.5)
        for k in 0..<teeth {
            let x = apronLeft + (Float(k) + 0.5) * toothWidth
            let tip = Point(x, bottom + sill + apron + toothWidth * 0.6)
            let shape = hanging ? Polygon([Point(x - toothWidth / 2, bottom + sill + apron), Point(x + toothWidth / 2, bottom + sill + apron), tip])
                                : Polygon.circle(center: Point(x, bottom + sill + apron), radius: toothWidth / 2)
            carve(shape, main)
        }
        carve(.rectangle(apronLeft, bottom + sill, apronRight, bottom + sill + apron), main)
        canvas.fill(.star(center: Point(cx, bottom + sill + apron / 2), outer: apron * 0.4, inner: apron * 0.18, points: 4), .solid(accent))
        carve(.rectangle(left - board * 1.6, bottom, right + board * 1.6, bottom + sill), main.scaled(0.95))
        canvas.fill(.solid(RGBA(1, 0.95, 0.85).opacity(rng.uniform(0, 0.12))))
    }

    /// Logs with rounded shading and grain, or painted vertical planks.
    static func drawWall(on canvas: inout Canvas, _ rng: inout RandomGenerator) {
        if rng.chance(0.65) {
            let wood = RGBA(hex: rng.pick(logs)).varied(by: 0.05, &rng)
            let log = rng.uniform(0.06, 0.1)
            let grain = Noise(&rng, frequency: Point(3, 50))
            var y = -rng.uniform(0, log)
            while y < 1 {
                let middle = y + log / 2
                canvas.fill(.rectangle(0, y, 1, middle), .linear(from: Point(0, y), to: Point(0, middle), wood.scaled(0.55), wood.scaled(1.1)))
                canvas.fill(.rectangle(0, middle, 1, y + log), .linear(from: Point(0, middle), to: Point(0, y + log), wood.scaled(1.1), wood.scaled(0.5)))
                canvas.fill(.rectangle(0, y + log - 0.006, 1, y + log), .solid(RGBA(0.12, 0.09, 0.07)))
                y += log
            }
            canvas.fill(.noise(grain, wood.scaled(0.6).opacity(0.5), wood.opacity(0), edge0: 0.35, edge1: 0.5))
        } else {
            let paint = RGBA(hex: rng.pick(planks)).varied(by: 0.05, &rng)
            canvas.fill(.solid(paint))
            let plank = rng.uniform(0.05, 0.09)
            var x = -rng.uniform(0, plank)
            while x < 1 {
                canvas.fill(.rectangle(x, 0, x + 0.006, 1), .solid(paint.scaled(0.55)))
                x += plank
            }
            canvas.fill(.noise(Noise(&rng, frequency: Point(12, 3)), paint.scaled(0.65).opacity(0.6), paint.opacity(0), edge0: 0.3, edge1: 0.5))
        }
    }

    /// Panes reflecting a sky ramp with clouds, a dark room behind, and sometimes lace curtains.
    static func drawGlass(on canvas: inout Canvas, _ rng: inout RandomGenerator, left: Float, top: Float, right: Float, bottom: Float) {
        let opening = Polygon.rectangle(left, top, right, bottom)
        let sky = RGBA(hex: rng.pick([0x9CC3E6, 0xB8CCDC, 0x7FA6CC, 0xD8C8B8])).varied(by: 0.05, &rng)
        canvas.fill(opening, .linear(from: Point(0, top), to: Point(0, bottom), sky.scaled(1.05), RGBA(0.12, 0.14, 0.18)))
        canvas.fill(opening, .noise(Noise(&rng, frequency: Point(6, 10)), RGBA.white.opacity(0), RGBA.white.opacity(0.5), edge0: 0.5, edge1: 0.7))
        canvas.fill(Polygon([Point(left, bottom), Point(left + (right - left) * 0.5, top), Point(left + (right - left) * 0.7, top), Point(left + (right - left) * 0.2, bottom)]),
                    .solid(RGBA.white.opacity(0.12)))
        if rng.chance(0.45) {
            let lace = Noise(&rng, frequency: Point(60, 60), octaves: 2)
            let drop = top + (bottom - top) * rng.uniform(0.3, 1)
            canvas.fill(.rectangle(left, top, right, drop), .noise(lace, RGBA.white.opacity(0.55), RGBA.white.opacity(0.85)))
        }
    }

    /// The crown's outline from its left foot to its right foot, relative to its base centre.
    /// Styles: 0 a round arch, 1 a pediment, 2 a kokoshnik (arch drawn up into a point).
    static func crownOutline(style: Int, halfWidth: Float, height: Float) -> [Point] {
        (0...24).map { k in
            let t = Float(k) / 24
            let x = (2 * t - 1) * halfWidth
            let s = 1 - abs(2 * t - 1)
            let rise: Float
            switch style {
            case 0: rise = (1 - (1 - s) * (1 - s)).squareRoot()
            case 1: rise = s
            default: rise = 0.75 * (1 - (1 - s) * (1 - s)).squareRoot() + 0.25 * pow(s, 6)
            }
            return Point(x, -height * rise)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
