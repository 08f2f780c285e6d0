import Engine

/// Cats sitting, lying or in close-up, in ginger, tabby, black, white, grey, calico and tuxedo coats,
/// in a room with wallpaper, a floor or rug and sometimes a sofa.
enum Cats {
    /// One fur colouring: a base, an optional pattern, and whether muzzle, chest and paws are white.
    struct Coat {
        enum Pattern { case plain, stripes, patches }
        var base: RGBA
        var marking: RGBA
        var pattern: Pattern
        var whiteFront: Bool
        var iris: RGBA
    }

    /// A filled oval part of the cat, in the cat's own coordinates (about 2 units tall).
    struct Blob {
        var center: Point
        var radii: Point
        var rotation: Float = 0
    }

    /// A coat's textures, drawn once per body part so stripes and patches continue across parts.
    struct Fur {
        let coat: Coat
        let stripes: Noise, patches: Noise, hair: Noise

        init(coat: Coat, _ rng: inout RandomGenerator) {
            self.coat = coat
            stripes = Noise(&rng, frequency: Point(rng.uniform(5, 8), 1.2), octaves: 2)
            patches = Noise(&rng, frequency: Point(2.5, 2.5), octaves: 3)
            hair = Noise(&rng, frequency: Point(90, 18), octaves: 2)
        }

        /// `blob` in the coat's colours, or in plain `color` (a white chest), with hair and shading.
        func paint(_ blob: Blob, _ color: RGBA?, on canvas: inout Canvas, _ rng: inout RandomGenerator) {
            let base = color ?? coat.base
            let shape = fluffy(blob, &rng)
            canvas.fill(shape, .solid(base))
            if color == nil {
                switch coat.pattern {
                case .plain: break
                case .stripes: canvas.fill(shape, .noise(stripes, coat.marking.opacity(0.85), coat.marking.opacity(0), edge0: 0.44, edge1: 0.5))
                case .patches:
                    canvas.fill(shape, .noise(patches, coat.marking.opacity(0), coat.marking, edge0: 0.54, edge1: 0.57))
                    canvas.fill(shape, .noise(patches, RGBA(0.1, 0.08, 0.07), RGBA.black.opacity(0), edge0: 0.38, edge1: 0.41))
                }
            }
            canvas.fill(shape, .noise(hair, base.scaled(0.7).opacity(0.3), base.scaled(1.2).opacity(0.2), edge0: 0.3, edge1: 0.7))
            let light = blob.center - blob.radii * Point(0.3, 0.4)
            canvas.fill(shape, .radial(center: light, radius: 1.5 * max(blob.radii.x, blob.radii.y), RGBA.black.opacity(0), RGBA.black.opacity(0.5)))
        }
    }

    static let walls: [UInt32] = [0xD8CBB0, 0xB8C7B0, 0xC9B8A8, 0xA9B8C8, 0xE0D6C0, 0x8A9A7A, 0xC4A98A, 0xDCC7C0]
    static let sofas: [UInt32] = [0x6B4A3A, 0x4F6B4A, 0xB08A3E, 0x5F6E80, 0x8C3B32, 0x7A6A5A]

    static func draw(on canvas: inout Canvas, _ rng: inout RandomGenerator) {
        let floorY = rng.uniform(0.55, 0.8)
        let seatY = drawRoom(on: &canvas, &rng, floorY: floorY)
        let coat = pickCoat(&rng)
        let flip: Float = rng.chance(0.5) ? -1 : 1
        let pose = rng.integer(0...2)
        var place = Affine.identity
        switch pose {
        case 0:
            let scale = rng.uniform(0.2, 0.36)
            place = place.translated(by: Point(rng.uniform(0.3, 0.7), seatY - scale)).scaled(by: scale)
        case 1:
            let scale = rng.uniform(0.22, 0.34)
            place = place.translated(by: Point(rng.uniform(0.4, 0.6), seatY - 0.75 * scale)).scaled(by: scale)
        default:
            let scale = rng.uniform(0.5, 0.75)
            place = place.translated(by: Point(rng.uniform(0.38, 0.62), rng.uniform(0.45, 0.6))).scaled(by: scale)
        }
        canvas.transform = place.rotated(by: rng.uniform(-0.12, 0.12)).scaled(by: Point(flip, 1))
        drawCat(on: &canvas, &rng, pose: pose, coat: coat)
        canvas.transform = .identity
        canvas.fill(.radial(center: Point(0.5, 0.45), radius: 0.85, RGBA.black.opacity(0), RGBA.black.opacity(0.35)))
    }

    /// Wall, floor and maybe a sofa; returns the height the cat stands on.
    static func drawRoom(on canvas: inout Canvas, _ rng: inout RandomGenerator, floorY: Float) -> Float {
        let wall = RGBA(hex: rng.pick(walls)).varied(by: 0.05, &rng)
        canvas.fill(.solid(wall))
        switch rng.integer(0...2) {
        case 0:
            canvas.fill(.noise(Noise(&rng, frequency: Point(rng.uniform(12, 30), 0.3), octaves: 1), wall.scaled(0.85), wall.scaled(1.05), edge0: 0.45, edge1: 0.55))
        case 1:
            let step = rng.uniform(0.08, 0.14), dot = wall.mixed(with: RGBA(hex: rng.pick([0x8C3B32, 0x4F6B4A, 0xF0E8D8])), 0.4)
            for row in 0..<Int(1 / step) + 1 {
                for column in 0..<Int(1 / step) + 1 {
                    let c = Point((Float(column) + (row % 2 == 0 ? 0.5 : 0)) * step, Float(row) * step)
                    canvas.fill(.star(center: c, outer: step * 0.22, inner: step * 0.09, points: 4), .solid(dot))
                }
            }
        default:
            let carpet = RGBA(hex: rng.pick([0x7A1F1F, 0x8C2F2A, 0x5A2A3A])).varied(by: 0.05, &rng)
            let x0 = rng.uniform(-0.1, 0.2), x1 = rng.uniform(0.8, 1.1)
            canvas.fill(.rectangle(x0, -0.1, x1, floorY), .solid(carpet))
            canvas.fill(.rectangle(x0 + 0.04, -0.1, x1 - 0.04, floorY - 0.04), .solid(carpet.scaled(0.7)))
            let gold = RGBA(0.8, 0.6, 0.3).varied(by: 0.05, &rng)
            for k in 0..<8 {
                let c = Point((x0 + x1) / 2 + Float(k % 3 - 1) * 0.25, Float(k / 3) * 0.25 + 0.05)
                canvas.fill(.star(center: c, outer: 0.1, inner: 0.045, points: 4) + .star(center: c, outer: 0.05, inner: 0.03, points: 8), .solid(gold))
            }
        }
        let floor = RGBA(hex: rng.pick([0x8A5A3A, 0x6E4A30, 0xA07850, 0x9C8A70, 0x5E4636])).varied(by: 0.05, &rng)
        canvas.fill(.rectangle(0, floorY, 1, 1), .solid(floor))
        var y = floorY, gap: Float = 0.02
        while y < 1 {
            canvas.fill(.rectangle(0, y, 1, y + 0.004), .solid(floor.scaled(0.7)))
            gap *= 1.5; y += gap
        }
        canvas.fill(.rectangle(0, floorY, 1, 1), .noise(Noise(&rng, frequency: Point(3, 40)), floor.scaled(0.85).opacity(0.5), floor.opacity(0)))
        if rng.chance(0.4) {
            let rug = RGBA(hex: rng.pick([0x9C2F2F, 0x2F4F7C, 0x6A7F3A, 0xC7A15A])).varied(by: 0.05, &rng)
            let top = floorY + rng.uniform(0.03, 0.1)
            canvas.fill(.rectangle(rng.uniform(-0.2, 0.2), top, rng.uniform(0.8, 1.2), 1.1), .solid(rug))
            canvas.fill(.rectangle(-0.3, top + 0.03, 1.3, top + 0.05), .solid(rug.mixed(with: .white, 0.5)))
            return top + rng.uniform(0.1, 0.2)
        }
        if rng.chance(0.35) {
            let sofa = RGBA(hex: rng.pick(sofas)).varied(by: 0.05, &rng)
            let seat = floorY - rng.uniform(0.05, 0.15)
            canvas.fill(.rectangle(-0.1, seat - 0.35, 1.1, seat), .solid(sofa.scaled(0.85)))
            canvas.fill(.rectangle(-0.1, seat, 1.1, 1.1), .solid(sofa))
            canvas.fill(.rectangle(-0.1, seat, 1.1, seat + 0.03), .solid(sofa.scaled(1.15)))
            canvas.fill(.rectangle(-0.1, seat - 0.35, 1.1, 1.1), .noise(Noise(&rng, frequency: Point(40, 40), octaves: 2), sofa.scaled(0.8).opacity(0.4), sofa.opacity(0)))
            return seat + 0.12
        }
        return floorY + rng.uniform(0.1, 0.3)
    }

    static func pickCoat(_ rng: inout RandomGenerator) -> Coat {
        let irises: [UInt32] = [0xC9B23A, 0x8FB04A, 0xD99A2B, 0x6FA8C8, 0xB5C24A]
        var coat: Coat
        switch rng.integer(0...6) {
        case 0: coat = Coat(base: RGBA(0.88, 0.55, 0.25), marking: RGBA(0.68, 0.33, 0.12), pattern: .stripes, whiteFront: rng.chance(0.4), iris: .black)
        case 1: coat = Coat(base: RGBA(0.58, 0.55, 0.5), marking: RGBA(0.2, 0.18, 0.16), pattern: .stripes, whiteFront: rng.chance(0.4), iris: .black)
        case 2: coat = Coat(base: RGBA(0.6, 0.45, 0.3), marking: RGBA(0.22, 0.16, 0.1), pattern: .stripes, whiteFront: false, iris: .black)
        case 3: coat = Coat(base: RGBA(0.09, 0.08, 0.08), marking: .black, pattern: .plain, whiteFront: rng.chance(0.5), iris: .black)
        case 4: coat = Coat(base: RGBA(0.94, 0.93, 0.9), marking: .black, pattern: .plain, whiteFront: false, iris: .black)
        case 5: coat = Coat(base: RGBA(0.47, 0.5, 0.54), marking: .black, pattern: .plain, whiteFront: false, iris: .black)
        default: coat = Coat(base: RGBA(0.94, 0.92, 0.88), marking: RGBA(0.85, 0.5, 0.2), pattern: .patches, whiteFront: false, iris: .black)
        }
        coat.base = coat.base.varied(by: 0.04, &rng)
        coat.iris = RGBA(hex: rng.pick(irises)).varied(by: 0.05, &rng)
        return coat
    }

    /// The cat in its own coordinates: paws near y = 1, head around y = −0.75 when sitting.
    static func drawCat(on canvas: inout Canvas, _ rng: inout RandomGenerator, pose: Int, coat: Coat) {
        let coatFur = Fur(coat: coat, &rng)
        func fur(_ blob: Blob, _ color: RGBA? = nil) { coatFur.paint(blob, color, on: &canvas, &rng) }
        let white = RGBA(0.95, 0.94, 0.92)
        let head: Blob
        switch pose {
        case 0:
            canvas.fill(.ellipse(center: Point(0.1, 1.0), radii: Point(0.8, 0.12)), .solid(RGBA.black.opacity(0.25)))
            canvas.stroke(curve(Point(0.4, 0.9), Point(0.95, 1.0), Point(1.05, 0.4), bend: rng.uniform(-0.3, 0.3)), width: 0.17, .solid(coat.base.scaled(0.8)))
            fur(Blob(center: Point(0, 0.5), radii: Point(0.62, 0.5)))
            fur(Blob(center: Point(0, -0.05), radii: Point(0.42, 0.6)))
            if coat.whiteFront { fur(Blob(center: Point(0, 0.05), radii: Point(0.22, 0.42)), white) }
            for x: Float in [-0.2, 0.2] { fur(Blob(center: Point(x, 0.95), radii: Point(0.14, 0.08)), coat.whiteFront ? white : nil) }
            head = Blob(center: Point(rng.uniform(-0.08, 0.08), -0.75), radii: Point(0.5, 0.43))
        case 1:
            canvas.fill(.ellipse(center: Point(0.1, 0.75), radii: Point(1.2, 0.12)), .solid(RGBA.black.opacity(0.25)))
            canvas.stroke(curve(Point(0.95, 0.5), Point(0.6, 0.8), Point(-0.1, 0.78), bend: rng.uniform(-0.2, 0.2)), width: 0.16, .solid(coat.base.scaled(0.8)))
            fur(Blob(center: Point(0.15, 0.35), radii: Point(0.95, 0.4)))
            for x: Float in [-0.6, -0.3] { fur(Blob(center: Point(x, 0.7), radii: Point(0.16, 0.08)), coat.whiteFront ? white : nil) }
            head = Blob(center: Point(-0.65, rng.uniform(-0.15, 0.0)), radii: Point(0.48, 0.42))
        default:
            fur(Blob(center: Point(0, 0.75), radii: Point(0.9, 0.55)))
            if coat.whiteFront { fur(Blob(center: Point(0, 0.75), radii: Point(0.3, 0.5)), white) }
            head = Blob(center: Point(0, -0.1), radii: Point(0.55, 0.47))
        }
        drawHead(on: &canvas, &rng, head, fur: coatFur)
    }

    /// Ears, head, eyes, nose, mouth and whiskers around `head`.
    static func drawHead(on canvas: inout Canvas, _ rng: inout RandomGenerator, _ head: Blob, fur: Fur) {
        let coat = fur.coat
        let r = head.radii.x, c = head.center
        let turn = rng.uniform(-0.15, 0.15) * r
        let earTilt = rng.uniform(-0.1, 0.15)
        let pink = RGBA(0.86, 0.55, 0.56)
        for side: Float in [-1, 1] {
            let base0 = c + Point(side * 0.95 * r, -0.25 * r), base1 = c + Point(side * 0.2 * r, -0.8 * r)
            let tip = c + Point(side * (0.8 + earTilt) * r, -1.45 * r)
            canvas.fill(Polygon([base0, tip, base1]), .solid(coat.base.scaled(0.9)))
            let middle = (base0 + base1 + tip) / 3
            canvas.fill(Polygon([base0, tip, base1].map { middle + ($0 - middle) * 0.6 + Point(0, 0.05 * r) }), .solid(pink.mixed(with: coat.base, 0.3)))
        }
        fur.paint(head, nil, on: &canvas, &rng)
        let face = c + Point(turn, 0)
        if coat.whiteFront {
            fur.paint(Blob(center: face + Point(0, 0.35 * r), radii: Point(0.42 * r, 0.3 * r)), RGBA(0.95, 0.94, 0.92), on: &canvas, &rng)
        }
        let dilation = rng.uniform(0.04, 0.16) * r
        for side: Float in [-1, 1] {
            let eye = face + Point(side * 0.38 * r, -0.05 * r)
            canvas.fill(.ellipse(center: eye, radii: Point(0.22 * r, 0.18 * r)), .solid(RGBA(0.08, 0.07, 0.06)))
            canvas.fill(.ellipse(center: eye, radii: Point(0.18 * r, 0.15 * r)), .radial(center: eye, radius: 0.18 * r, coat.iris.scaled(1.1), coat.iris.scaled(0.6)))
            canvas.fill(.ellipse(center: eye, radii: Point(dilation, 0.15 * r)), .solid(RGBA(0.02, 0.02, 0.02)))
            canvas.fill(.circle(center: eye + Point(0.06 * r, -0.06 * r), radius: 0.045 * r), .solid(RGBA.white.opacity(0.9)))
        }
        let nose = face + Point(0, 0.22 * r)
        canvas.fill(Polygon([nose + Point(-0.1 * r, -0.05 * r), nose + Point(0.1 * r, -0.05 * r), nose + Point(0, 0.06 * r)]),
                    .solid(coat.base.rgb.r < 0.2 ? RGBA(0.2, 0.15, 0.15) : pink.scaled(0.9)))
        let mouth = RGBA(0.15, 0.1, 0.1).opacity(0.8)
        canvas.stroke([nose + Point(-0.14 * r, 0.16 * r), nose + Point(0, 0.08 * r), nose + Point(0.14 * r, 0.16 * r)], width: 0.025 * r, .solid(mouth))
        let whisker = (coat.base.rgb.r + coat.base.rgb.g < 0.6 ? RGBA(0.85, 0.85, 0.82) : RGBA(0.98, 0.98, 0.96)).opacity(0.85)
        for side: Float in [-1, 1] {
            for k in 0..<3 {
                let root = nose + Point(side * 0.22 * r, 0.1 * r)
                canvas.stroke([root, root + Point(side * 0.85 * r, (Float(k) - 1.3) * 0.18 * r)], width: 0.018 * r, .solid(whisker))
            }
        }
    }

    /// A blob's outline with small random bumps, so the silhouette reads as fur rather than plastic.
    static func fluffy(_ blob: Blob, _ rng: inout RandomGenerator) -> Polygon {
        Polygon.ellipse(center: blob.center, radii: blob.radii, rotation: blob.rotation, segments: 64).mapped { p in
            blob.center + (p - blob.center) * rng.uniform(0.96, 1.04)
        }
    }

    /// A quadratic curve from `a` through near `b` to `c`, with `bend` pushing the middle sideways, as 12 points.
    static func curve(_ a: Point, _ b: Point, _ c: Point, bend: Float) -> [Point] {
        let control = b + Point(-(c - a).y, (c - a).x) * bend
        return (0...12).map { k in
            let t = Float(k) / 12
            return a * (1 - t) * (1 - t) + control * 2 * t * (1 - t) + c * t * t
        }
    }
}
