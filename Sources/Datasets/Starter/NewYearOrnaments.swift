import Engine

/// Soviet New Year tree decorations: glass baubles with highlights, stripes or frost, icicle spikes
/// and red stars, hanging on fir branches with tinsel and small lights against dark bokeh.
enum NewYearOrnaments {
    static let glass: [UInt32] = [0xC0262D, 0xD4A52A, 0x2E5FB8, 0xB8C0C8, 0x2F8F4E, 0xD0508A, 0x7A3FA0, 0xE0702A]
    static let lights: [UInt32] = [0xFFD27A, 0xFF6A5A, 0x7AB8FF, 0x8CFF9A, 0xFFF2C8]

    static func draw(on canvas: inout Canvas, _ rng: inout RandomGenerator) {
        let backdrop = RGBA(hex: rng.pick([0x0B1424, 0x101A12, 0x1E0D10, 0x0A0A0E, 0x14102A])).varied(by: 0.02, &rng)
        canvas.fill(.radial(center: Point(rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)), radius: 1.0, backdrop.scaled(2.2), backdrop))
        for _ in 0..<rng.integer(8...24) {
            let c = Point(rng.uniform(-0.05, 1.05), rng.uniform(-0.05, 1.05)), r = rng.uniform(0.02, 0.09)
            let light = RGBA(hex: rng.pick(lights)).opacity(rng.uniform(0.12, 0.35))
            canvas.fill(.circle(center: c, radius: r), .radial(center: c, radius: r, light.opacity(light.alpha * 0.6), light))
        }
        for _ in 0..<rng.integer(1...3) { drawBranch(on: &canvas, &rng) }
        if rng.chance(0.6) { drawTinsel(on: &canvas, &rng) }
        for _ in 0..<rng.integer(0...7) {
            let c = Point(rng.uniform(0, 1), rng.uniform(0, 1)), light = RGBA(hex: rng.pick(lights))
            canvas.fill(.circle(center: c, radius: 0.05), .radial(center: c, radius: 0.05, light.opacity(0.6), light.opacity(0)))
            canvas.fill(.circle(center: c, radius: 0.012), .solid(light.mixed(with: .white, 0.5)))
        }
        let count = rng.integer(1...3)
        for k in 0..<count {
            let x = (Float(k) + 0.5) / Float(count) + rng.uniform(-0.08, 0.08)
            let scale = rng.uniform(0.16, 0.3) / Float(count).squareRoot()
            let center = Point(x, rng.uniform(0.4, 0.65))
            canvas.stroke([Point(x + rng.uniform(-0.05, 0.05), -0.05), center + Point(0, -scale * 1.15)], width: 0.006, .solid(RGBA(0.75, 0.7, 0.55)))
            switch rng.integer(0...5) {
            case 0...2: drawBauble(on: &canvas, &rng, center: center, radius: scale)
            case 3, 4: drawIcicle(on: &canvas, &rng, top: center + Point(0, -scale * 1.1), length: scale * rng.uniform(2.4, 3.4), width: scale * 0.55)
            default: drawStar(on: &canvas, &rng, center: center, radius: scale * 1.1)
            }
        }
    }

    /// A sphere of coloured glass: base, stripes or frost, shading, a cap, and a window-shaped highlight.
    static func drawBauble(on canvas: inout Canvas, _ rng: inout RandomGenerator, center: Point, radius: Float) {
        let color = RGBA(hex: rng.pick(glass)).varied(by: 0.05, &rng)
        let sphere = Polygon.circle(center: center, radius: radius)
        let outline = sphere.contours[0]
        canvas.fill(sphere, .solid(color))
        let decor = rng.integer(0...3)
        if decor == 0 {
            let accent = RGBA(hex: rng.pick(glass)).mixed(with: .white, 0.3)
            let bands = rng.integer(1...3)
            for k in 0..<bands {
                let y = center.y + radius * (Float(k) - Float(bands - 1) / 2) * 0.45
                let band = Polygon.ellipse(center: Point(center.x, y), radii: Point(radius * 1.3, radius * 0.09)).clipped(to: outline)
                canvas.fill(band, .solid(accent))
            }
        } else if decor == 1 {
            canvas.fill(sphere, .noise(Noise(&rng, frequency: Point(9, 9), octaves: 4, ridged: true), RGBA.white.opacity(0), RGBA.white.opacity(0.85), edge0: 0.8, edge1: 0.92))
        } else if decor == 2 {
            canvas.fill(.star(center: center, outer: radius * 0.5, inner: radius * 0.2, points: rng.pick([5, 6, 8]), rotation: rng.uniform(0, 1)),
                        .solid(RGBA.white.mixed(with: color, 0.3).opacity(0.85)))
        }
        let light = center + Point(-0.35, -0.4) * radius
        canvas.fill(sphere, .radial(center: light, radius: radius * 1.7, RGBA.white.opacity(0.15), RGBA.black.opacity(0.75)))
        canvas.fill(.ellipse(center: light, radii: Point(radius * 0.18, radius * 0.28), rotation: 0.5), .radial(center: light, radius: radius * 0.3, RGBA.white.opacity(0.95), RGBA.white.opacity(0)))
        canvas.fill(.ellipse(center: center + Point(0.45, 0.4) * radius, radii: Point(radius * 0.12, radius * 0.05), rotation: -0.7), .solid(color.mixed(with: .white, 0.6).opacity(0.5)))
        drawCap(on: &canvas, top: center.y - radius * 1.12, center.x, radius * 0.42)
    }

    /// The metal cap with its ridges, `width` wide and hanging at `top`.
    static func drawCap(on canvas: inout Canvas, top: Float, _ x: Float, _ width: Float) {
        let metal = Polygon.rectangle(x - width / 2, top, x + width / 2, top + width * 0.55)
        canvas.fill(metal, .linear(from: Point(x - width / 2, 0), to: Point(x + width / 2, 0), RGBA(0.85, 0.8, 0.6), RGBA(0.35, 0.3, 0.2)))
        for k in 1..<4 {
            let rx = x - width / 2 + width * Float(k) / 4
            canvas.fill(.rectangle(rx, top, rx + width * 0.05, top + width * 0.55), .solid(RGBA(0.3, 0.25, 0.15).opacity(0.6)))
        }
    }

    /// A long twisted drop, glass or silvered, shaded across its width.
    static func drawIcicle(on canvas: inout Canvas, _ rng: inout RandomGenerator, top: Point, length: Float, width: Float) {
        let color = RGBA(hex: rng.pick(glass)).varied(by: 0.05, &rng)
        let profile = (0...20).map { k -> (Float, Float) in
            let t = Float(k) / 20
            return (t * length, width / 2 * sin(Float.pi * pow(t, 0.6)) * (1 - 0.2 * t))
        }
        let outline = profile.map { top + Point($0.1, $0.0) } + profile.reversed().map { top + Point(-$0.1, $0.0) }
        canvas.fill(Polygon(outline), .solid(color))
        let accent = color.mixed(with: .white, 0.55)
        for k in 0..<7 {
            let y = top.y + length * (Float(k) + 0.5) / 8
            canvas.fill(Polygon.segment(from: Point(top.x - width, y - width * 0.5), to: Point(top.x + width, y + width * 0.3), width: length * 0.03).clipped(to: outline), .solid(accent))
        }
        canvas.fill(Polygon(outline), .linear(from: top + Point(-width / 2, 0), to: top + Point(width / 2, 0), RGBA.black.opacity(0.55), RGBA.black.opacity(0.05)))
        canvas.fill(.rectangle(top.x - width * 0.12, top.y + length * 0.12, top.x - width * 0.04, top.y + length * 0.6), .solid(RGBA.white.opacity(0.7)))
        drawCap(on: &canvas, top: top.y - width * 0.2, top.x, width * 0.35)
    }

    /// The red five-pointed star, each arm split into a lit and a shaded facet, with a gold rim.
    static func drawStar(on canvas: inout Canvas, _ rng: inout RandomGenerator, center: Point, radius: Float) {
        let turn = rng.uniform(-0.2, 0.2)
        canvas.fill(.star(center: center, outer: radius * 1.1, inner: radius * 0.48, points: 5, rotation: turn), .solid(RGBA(0.85, 0.65, 0.25)))
        let tips = Polygon.star(center: center, outer: radius, inner: radius * 0.42, points: 5, rotation: turn).contours[0]
        let red = RGBA(0.8, 0.08, 0.08).varied(by: 0.05, &rng)
        for k in 0..<10 {
            let facet = Polygon([center, tips[k], tips[(k + 1) % 10]])
            canvas.fill(facet, .solid(red.scaled(k % 2 == 0 ? 1.15 : 0.6)))
        }
        canvas.fill(.circle(center: center + Point(-0.2, -0.25) * radius, radius: radius * 0.12), .radial(center: center + Point(-0.2, -0.25) * radius, radius: radius * 0.12, RGBA.white.opacity(0.8), RGBA.white.opacity(0)))
    }

    /// A fir twig entering from an edge: a stem with needles fanned forward on both sides.
    static func drawBranch(on canvas: inout Canvas, _ rng: inout RandomGenerator) {
        let start = Point(rng.chance(0.5) ? -0.1 : 1.1, rng.uniform(-0.1, 0.5))
        let end = Point(rng.uniform(0.2, 0.8), start.y + rng.uniform(-0.1, 0.3))
        let green = RGBA(hex: rng.pick([0x1E4A2A, 0x24502E, 0x1A3D2A, 0x2E5A34])).varied(by: 0.04, &rng)
        let needle = rng.uniform(0.05, 0.08)
        let direction = (end - start) / (end - start).length
        let normal = Point(-direction.y, direction.x)
        canvas.stroke([start, end], width: 0.012, .solid(RGBA(0.3, 0.2, 0.12)))
        let steps = Int((end - start).length / 0.012)
        for k in 0..<steps {
            let p = start + (end - start) * (Float(k) / Float(steps))
            for side: Float in [-1, 1] {
                let tip = p + (direction * 0.5 + normal * side) * needle * rng.uniform(0.7, 1.1)
                canvas.fill(.segment(from: p, to: tip, width: 0.008), .solid(green.scaled(rng.uniform(0.7, 1.4))))
            }
        }
    }

    /// A sagging garland of glinting strands.
    static func drawTinsel(on canvas: inout Canvas, _ rng: inout RandomGenerator) {
        let metal = RGBA(hex: rng.pick([0xE0C060, 0xD0D4DC, 0xD04040, 0x60A0E0])).varied(by: 0.04, &rng)
        let y0 = rng.uniform(0.05, 0.6), y1 = rng.uniform(0.05, 0.6), sag = rng.uniform(0.1, 0.3)
        for k in 0..<90 {
            let t = Float(k) / 89
            let p = Point(-0.05 + 1.1 * t, y0 + (y1 - y0) * t + sag * 4 * t * (1 - t)) + Point(rng.uniform(-0.02, 0.02), rng.uniform(-0.02, 0.02))
            let angle = rng.uniform(0, Float.pi)
            canvas.fill(.segment(from: p, to: p + Point(cos(angle), sin(angle)) * 0.04, width: 0.006), .solid(metal.scaled(rng.uniform(0.5, 1.4))))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
