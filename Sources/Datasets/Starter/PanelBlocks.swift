import Engine

/// Soviet prefab housing: a facade of storeys × panels with windows (dark, lit, curtained),
/// balconies, seams and stained faded paint, under an overcast or dusk sky above snow.
enum PanelBlocks {
    /// Faded facade paints; the GAN learns these first, so they carry the theme.
    static let paints: [UInt32] = [0xB9B6AE, 0xA9AAA6, 0xC8C2B2, 0xB7C4C9, 0xD2BFA8, 0xC9D1C0,
                                   0xD9C9A6, 0xC7B3B0, 0x9FA9B0, 0xBFB8A0, 0xD6D0C4, 0xA8B8AE]
    static let balconyPaints: [UInt32] = [0xE4E0D6, 0x8C5E4A, 0x7E95A6, 0xB9876A, 0x9BA38F, 0xCFC7B5]

    /// One evening or day: the sky ramp and how much of the city is at home with the lights on.
    struct Mood {
        var zenith: RGBA, horizon: RGBA, snow: RGBA
        var daylight: Float
        var litShare: Float
    }

    static func draw(on canvas: inout Canvas, _ rng: inout RandomGenerator) {
        let mood = pickMood(&rng)
        let horizonY = rng.uniform(0.62, 0.86)
        canvas.fill(.linear(from: Point(0, 0), to: Point(0, horizonY), mood.zenith, mood.horizon))
        canvas.fill(.noise(Noise(&rng, frequency: Point(3, 6), octaves: 2), mood.horizon.opacity(0), mood.horizon.scaled(1.05).opacity(0.5)))
        canvas.fill(.rectangle(0, horizonY, 1, 1), .linear(from: Point(0, horizonY), to: Point(0, 1), mood.snow.scaled(0.85), mood.snow))

        if rng.chance(0.55) {
            for _ in 0..<rng.integer(1...3) {
                let x0 = rng.uniform(-0.2, 0.8), width = rng.uniform(0.2, 0.5)
                let height = rng.uniform(0.15, 0.4)
                let base = horizonY + rng.uniform(-0.01, 0.02)
                let mapping = QuadMapping(topLeft: Point(x0, base - height), topRight: Point(x0 + width, base - height),
                                          bottomRight: Point(x0 + width, base), bottomLeft: Point(x0, base))
                drawBlock(on: &canvas, &rng, mapping, storeys: rng.integer(5...16), columns: rng.integer(4...12),
                          mood: mood, haze: rng.uniform(0.45, 0.7))
            }
        }

        let storeys = rng.integer(5...16)
        let nearBottom = horizonY + rng.uniform(0.0, 0.1)
        let nearTop = rng.uniform(0.02, 0.42)
        let nearX = rng.uniform(-0.15, 0.2)
        if rng.chance(0.45) {
            let width = rng.uniform(0.55, 1.3)
            let mapping = QuadMapping(topLeft: Point(nearX, nearTop), topRight: Point(nearX + width, nearTop),
                                      bottomRight: Point(nearX + width, nearBottom), bottomLeft: Point(nearX, nearBottom))
            let storeyHeight = (nearBottom - nearTop) / Float(storeys)
            let columns = max(3, Int(width / (storeyHeight * rng.uniform(1.0, 1.4))))
            drawBlock(on: &canvas, &rng, mapping, storeys: storeys, columns: columns, mood: mood, haze: 0)
        } else {
            let ratio = rng.uniform(0.35, 0.75)
            let farX = nearX + rng.uniform(0.9, 1.4)
            let farTop = horizonY + (nearTop - horizonY) * ratio
            let farBottom = horizonY + (nearBottom - horizonY) * ratio
            let flip = rng.chance(0.5)
            func place(_ p: Point) -> Point { flip ? Point(1 - p.x, p.y) : p }
            let end = rng.uniform(0.08, 0.2)
            let endRatio: Float = 0.8
            let endWall = Polygon([Point(nearX, nearTop), Point(nearX, nearBottom),
                                   Point(nearX - end, horizonY + (nearBottom - horizonY) * endRatio),
                                   Point(nearX - end, horizonY + (nearTop - horizonY) * endRatio)]).mapped(place)
            let mapping = QuadMapping(topLeft: place(Point(nearX, nearTop)), topRight: place(Point(farX, farTop)),
                                      bottomRight: place(Point(farX, farBottom)), bottomLeft: place(Point(nearX, nearBottom)))
            let columns = rng.integer(6...16)
            let paint = drawBlock(on: &canvas, &rng, mapping, storeys: storeys, columns: columns, mood: mood, haze: 0)
            canvas.fill(endWall, .solid(paint.scaled(0.72)))
        }

        for _ in 0..<rng.integer(0...4) {
            let root = Point(rng.uniform(-0.05, 1.05), rng.uniform(max(horizonY, 0.8), 1.02))
            drawTree(on: &canvas, &rng, from: root, angle: rng.uniform(-0.15, 0.15), length: rng.uniform(0.12, 0.28),
                     width: rng.uniform(0.012, 0.025), depth: 5, color: RGBA(hex: 0x2E2A28).mixed(with: mood.horizon, 0.15))
        }
    }

    static func pickMood(_ rng: inout RandomGenerator) -> Mood {
        switch rng.integer(0...2) {
        case 0:
            let grey = rng.uniform(0.55, 0.75)
            return Mood(zenith: RGBA(grey, grey + 0.02, grey + 0.05).varied(by: 0.04, &rng),
                        horizon: RGBA(grey + 0.15, grey + 0.15, grey + 0.15).varied(by: 0.03, &rng),
                        snow: RGBA(0.9, 0.92, 0.95).varied(by: 0.03, &rng), daylight: 1, litShare: rng.uniform(0.02, 0.1))
        case 1:
            return Mood(zenith: RGBA(0.10, 0.13, 0.28).varied(by: 0.05, &rng),
                        horizon: RGBA(0.78, 0.5, 0.45).varied(by: 0.08, &rng),
                        snow: RGBA(0.58, 0.62, 0.76).varied(by: 0.05, &rng), daylight: rng.uniform(0.4, 0.6),
                        litShare: rng.uniform(0.25, 0.55))
        default:
            return Mood(zenith: RGBA(0.45, 0.6, 0.8).varied(by: 0.05, &rng),
                        horizon: RGBA(0.82, 0.86, 0.9).varied(by: 0.03, &rng),
                        snow: RGBA(0.93, 0.94, 0.97), daylight: 1.05, litShare: 0.03)
        }
    }

    /// Draws one block through `mapping` (facade u, v in [0, 1]) and returns its wall colour;
    /// `haze` in [0, 1] mixes everything towards the horizon for distant blocks.
    @discardableResult
    static func drawBlock(on canvas: inout Canvas, _ rng: inout RandomGenerator, _ mapping: QuadMapping,
                          storeys: Int, columns: Int, mood: Mood, haze: Float) -> RGBA {
        func tone(_ c: RGBA) -> RGBA { c.scaled(mood.daylight).mixed(with: mood.horizon, haze) }
        let wall = RGBA(hex: rng.pick(paints)).varied(by: 0.04, &rng)
        let facade = mapping.rectangle(0, 0, 1, 1)
        canvas.fill(facade, .solid(tone(wall)))
        canvas.fill(facade, .noise(Noise(&rng, frequency: Point(rng.uniform(6, 14), 5), octaves: 3), tone(wall.scaled(0.7)).opacity(0.6), tone(wall).opacity(0)))
        canvas.fill(facade, .noise(Noise(&rng, frequency: Point(70, 4), octaves: 2), tone(wall.scaled(0.75)).opacity(0.5), tone(wall).opacity(0), edge0: 0.3, edge1: 0.55))

        let du = 1 / Float(columns), dv = 1 / Float(storeys)
        let seam = tone(wall.scaled(0.6))
        for i in 1..<columns { canvas.fill(mapping.rectangle(Float(i) * du - 0.04 * du, 0, Float(i) * du + 0.04 * du, 1), .solid(seam)) }
        for j in 1..<storeys { canvas.fill(mapping.rectangle(0, Float(j) * dv - 0.03 * dv, 1, Float(j) * dv + 0.03 * dv), .solid(seam)) }
        canvas.fill(mapping.rectangle(0, 0, 1, 0.25 * dv), .solid(tone(wall.scaled(0.55))))

        let windowWidth = rng.uniform(0.35, 0.6), windowTop = rng.uniform(0.2, 0.3), windowBottom = rng.uniform(0.7, 0.8)
        let frame = tone(RGBA(hex: rng.pick([0xE8E6E0, 0xD8D2C4, 0x6B5444])).varied(by: 0.03, &rng))
        let glass = tone(mood.zenith.mixed(with: RGBA(0.15, 0.17, 0.2), rng.uniform(0.4, 0.7)))
        let balconyPeriod = rng.integer(2...4), balconyOffset = rng.integer(0...(balconyPeriod - 1))
        let hasBalconies = rng.chance(0.7)
        let balcony = tone(RGBA(hex: rng.pick(balconyPaints)).varied(by: 0.04, &rng))
        for j in 0..<storeys {
            for i in 0..<columns {
                let u0 = (Float(i) + 0.5 - windowWidth / 2) * du, u1 = (Float(i) + 0.5 + windowWidth / 2) * du
                let v0 = (Float(j) + windowTop) * dv, v1 = (Float(j) + windowBottom) * dv
                let ground = j == storeys - 1
                if ground && i % 4 == 1 {
                    canvas.fill(mapping.rectangle(u0, v0, u1, 1), .solid(tone(RGBA(0.22, 0.18, 0.16))))
                    canvas.fill(mapping.rectangle(u0 - 0.15 * du, v0 - 0.12 * dv, u1 + 0.15 * du, v0), .solid(tone(wall.scaled(0.8))))
                    continue
                }
                canvas.fill(mapping.rectangle(u0 - 0.06 * du, v0 - 0.06 * dv, u1 + 0.06 * du, v1 + 0.06 * dv), .solid(frame))
                let pane: RGBA
                if rng.chance(mood.litShare) {
                    pane = RGBA(1.0, rng.uniform(0.7, 0.85), rng.uniform(0.35, 0.55)).mixed(with: mood.horizon, haze)
                } else {
                    pane = glass.varied(by: 0.05, &rng)
                }
                canvas.fill(mapping.rectangle(u0, v0, u1, v1), .solid(pane))
                if rng.chance(0.3) {
                    let curtain = tone(RGBA(hex: rng.pick([0xC8553D, 0xE8D9B5, 0x6E8B5A, 0xD9A441, 0xF2F0EA]))).opacity(0.85)
                    let w = (u1 - u0) * rng.uniform(0.2, 0.4)
                    canvas.fill(mapping.rectangle(u0, v0, u0 + w, v1) + mapping.rectangle(u1 - w, v0, u1, v1), .solid(curtain))
                }
                canvas.fill(mapping.rectangle((u0 + u1) / 2 - 0.03 * du, v0, (u0 + u1) / 2 + 0.03 * du, v1), .solid(frame))
                if hasBalconies && !ground && j > 0 && i % balconyPeriod == balconyOffset {
                    let b0 = Float(i) * du + 0.08 * du, b1 = Float(i + 1) * du - 0.08 * du
                    let top = (Float(j) + 0.55) * dv
                    canvas.fill(mapping.rectangle(b0, (Float(j) + 1) * dv, b1, (Float(j) + 1.12) * dv), .solid(tone(RGBA(0.1, 0.1, 0.1)).opacity(0.45)))
                    canvas.fill(mapping.rectangle(b0, top, b1, (Float(j) + 1) * dv), .solid(balcony.varied(by: 0.03, &rng)))
                    canvas.fill(mapping.rectangle(b0, top, b1, top + 0.06 * dv), .solid(tone(mood.snow).opacity(mood.daylight > 0.9 ? 0.8 : 0.4)))
                }
            }
        }
        canvas.fill(mapping.rectangle(-0.01, 0.985, 1.01, 1.03), .solid(mood.snow.mixed(with: mood.horizon, haze)))
        return tone(wall)
    }

    /// A bare winter tree: a branch that forks twice at its end until `depth` runs out.
    static func drawTree(on canvas: inout Canvas, _ rng: inout RandomGenerator, from root: Point, angle: Float,
                         length: Float, width: Float, depth: Int, color: RGBA) {
        let tip = root + Point(sin(angle), -cos(angle)) * length
        canvas.fill(.segment(from: root, to: tip, width: width), .solid(color))
        guard depth > 0 else { return }
        for side: Float in [-1, 1] {
            drawTree(on: &canvas, &rng, from: tip, angle: angle + side * rng.uniform(0.25, 0.6), length: length * rng.uniform(0.6, 0.8),
                     width: width * 0.65, depth: depth - 1, color: color)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
