import Foundation
import Imaging
import XCTest
@testable import Datasets

final class StarterTests: XCTestCase {
    private let sizes = [32, 64, 128]

    func testSameSeedAndIndexGiveIdenticalPixels() {
        for scene in StarterScene.allCases {
            XCTAssertEqual(scene.render(index: 7, seed: 42, size: 32), scene.render(index: 7, seed: 42, size: 32), scene.rawValue)
        }
    }

    func testDifferentSeedsGiveDifferentPictures() {
        for scene in StarterScene.allCases {
            let a = scene.render(index: 3, seed: 1, size: 32), b = scene.render(index: 3, seed: 2, size: 32)
            XCTAssertGreaterThan(meanAbsoluteDifference(a, b), 0.02, scene.rawValue)
        }
    }

    /// Every pair in a set of 48 differs by more than 2 % mean absolute difference: no near-duplicates.
    func testNoTwoImagesInASetAreNearlyEqual() {
        for scene in StarterScene.allCases {
            let images = (0..<48).map { scene.render(index: $0, seed: 5, size: 32) }
            var closest = Float.infinity
            for i in images.indices {
                for j in images.indices where j > i { closest = min(closest, meanAbsoluteDifference(images[i], images[j])) }
            }
            XCTAssertGreaterThan(closest, 0.02, "\(scene.rawValue): two images are nearly equal")
        }
    }

    func testSizeIsAsRequestedAndValuesStayInUnitRange() {
        for scene in StarterScene.allCases {
            for size in sizes {
                let image = scene.render(index: size, seed: 9, size: size)
                XCTAssertEqual(image.width, size)
                XCTAssertEqual(image.height, size)
                XCTAssertEqual(image.pixels.count, 3 * size * size)
                XCTAssertTrue(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(scene.rawValue) at \(size) leaves [0, 1]")
            }
        }
    }

    /// Mean luminance and blue-minus-red over 24 images: the themes sit in distinct, stable places
    /// (night-dark ornaments, pale wintry blocks, warm wooden rooms and walls).
    func testThemesHaveTheirOwnColourStatistics() {
        var stats: [StarterScene: (luma: Float, coolness: Float)] = [:]
        for scene in StarterScene.allCases {
            var luma: Float = 0, coolness: Float = 0
            let count = 24
            for index in 0..<count {
                let image = scene.render(index: index, seed: 11, size: 32)
                let plane = image.width * image.height
                for i in 0..<plane {
                    let r = image.pixels[i], g = image.pixels[plane + i], b = image.pixels[2 * plane + i]
                    luma += 0.299 * r + 0.587 * g + 0.114 * b
                    coolness += b - r
                }
            }
            let n = Float(count * 32 * 32)
            stats[scene] = (luma / n, coolness / n)
        }
        let ornaments = stats[.newYearOrnaments]!, cats = stats[.cats]!, blocks = stats[.panelBlocks]!, frames = stats[.windowFrames]!
        XCTAssertLessThan(ornaments.luma, 0.28, "ornaments hang in the dark")
        XCTAssertGreaterThan(blocks.luma, 0.5, "winter blocks are pale")
        XCTAssertGreaterThan(blocks.coolness, -0.03, "snow and sky keep blocks from warm")
        XCTAssertLessThan(cats.coolness, -0.06, "rooms and fur are warm")
        XCTAssertEqual(frames.luma, 0.58, accuracy: 0.12)
        XCTAssertGreaterThan(frames.coolness, cats.coolness + 0.05, "painted frames are cooler than cat rooms")
    }

    func testCanvasCoverageMatchesAreaAfterShrink() {
        var canvas = Canvas(size: 8, background: .black)
        canvas.fill(.rectangle(0, 0, 0.5, 1), .solid(.white))
        canvas.fill(.rectangle(0.5, 0, 0.5625, 1), .solid(RGBA(1, 1, 1, 0.5)))
        let image = canvas.image()
        XCTAssertEqual(image[0, 3, 3], 1)
        XCTAssertEqual(image[1, 3, 4], 0.25, accuracy: 1e-6)
        XCTAssertEqual(image[2, 3, 5], 0)
    }

    /// The scanline fill against a per-pixel even-odd ray cast over the working pixels.
    func testScanlineFillMatchesNaivePointInPolygon() {
        let star = Polygon.star(center: Point(0.45, 0.55), outer: 0.4, inner: 0.15, points: 5, rotation: 0.3)
            + .ellipse(center: Point(0.45, 0.55), radii: Point(0.1, 0.08))
        var canvas = Canvas(size: 16, background: .black)
        canvas.fill(star, .solid(.white))
        let side = canvas.side
        var expected = [Float](repeating: 0, count: 16 * 16)
        for h in 0..<side {
            for w in 0..<side {
                let p = Point((Float(w) + 0.5) / Float(side), (Float(h) + 0.5) / Float(side))
                var inside = false
                for contour in star.contours {
                    for k in contour.indices {
                        let a = contour[k], b = contour[(k + 1) % contour.count]
                        if (a.y <= p.y) != (b.y <= p.y), p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y) { inside.toggle() }
                    }
                }
                if inside { expected[(h / canvas.supersample) * 16 + w / canvas.supersample] += 1 / Float(canvas.supersample * canvas.supersample) }
            }
        }
        let image = canvas.image()
        for i in 0..<(16 * 16) { XCTAssertEqual(image.pixels[i], expected[i], accuracy: 1e-5, "pixel \(i)") }
    }

    func testClippingKeepsTheOverlapArea() {
        let square = Polygon.rectangle(0, 0, 1, 1)
        let clipped = square.clipped(to: Polygon.rectangle(0.5, 0.25, 2, 0.75).contours[0])
        XCTAssertEqual(area(clipped.contours[0]), 0.25, accuracy: 1e-6)
        XCTAssertTrue(square.clipped(to: Polygon.rectangle(2, 2, 3, 3).contours[0]).contours.isEmpty)
    }

    func testAffineInverseAndQuadMappingCorners() {
        let t = Affine.identity.translated(by: Point(0.3, -0.2)).rotated(by: 0.7).scaled(by: Point(2, -0.5))
        let p = Point(0.12, 0.9)
        let back = t.inverse.apply(t.apply(p))
        XCTAssertEqual(back.x, p.x, accuracy: 1e-5)
        XCTAssertEqual(back.y, p.y, accuracy: 1e-5)
        let corners = [Point(0.1, 0.2), Point(0.9, 0.35), Point(0.8, 0.7), Point(0.15, 0.95)]
        let mapping = QuadMapping(topLeft: corners[0], topRight: corners[1], bottomRight: corners[2], bottomLeft: corners[3])
        for (corner, uv) in zip(corners, [(Float(0), Float(0)), (1, 0), (1, 1), (0, 1)]) {
            let q = mapping(uv.0, uv.1)
            XCTAssertEqual(q.x, corner.x, accuracy: 1e-5)
            XCTAssertEqual(q.y, corner.y, accuracy: 1e-5)
        }
    }

    func testNoiseStaysInUnitRangeAndIsDeterministic() {
        let noise = Noise(seed: 3, frequency: Point(7, 3), octaves: 4)
        var low = Float.infinity, high = -Float.infinity
        for k in 0..<2000 {
            let p = Point(Float(k % 50) * 0.031, Float(k / 50) * 0.027)
            let v = noise(p)
            low = min(low, v); high = max(high, v)
            XCTAssertEqual(v, Noise(seed: 3, frequency: Point(7, 3), octaves: 4)(p))
        }
        XCTAssertGreaterThanOrEqual(low, 0)
        XCTAssertLessThanOrEqual(high, 1)
        XCTAssertGreaterThan(high - low, 0.3, "noise should vary")
    }

    private func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Float {
        zip(a.pixels, b.pixels).reduce(0) { $0 + abs($1.0 - $1.1) } / Float(a.pixels.count)
    }

    private func area(_ contour: [Point]) -> Float {
        abs(contour.indices.reduce(0) { sum, k in
            let p = contour[k], q = contour[(k + 1) % contour.count]
            return sum + p.x * q.y - q.x * p.y
        }) / 2
    }

    /// With NEUROSSIA_PREVIEW_DIR set, writes an 8×8 grid of 64-px images per theme as <theme>.ppm
    /// there, for a person to look at (convert to PNG with ImageMagick).
    func testWritePreviewGrids() throws {
        guard let directory = ProcessInfo.processInfo.environment["NEUROSSIA_PREVIEW_DIR"] else {
            throw XCTSkip("set NEUROSSIA_PREVIEW_DIR to write preview grids")
        }
        for scene in StarterScene.allCases {
            let images = (0..<64).map { scene.render(index: $0, seed: 1, size: 64) }
            try writeGrid(images, columns: 8, to: URL(fileURLWithPath: directory).appendingPathComponent("\(scene.rawValue).ppm"))
        }
    }

    /// A binary PPM (P6) of `images` tiled row-major with a 2-px dark gutter.
    private func writeGrid(_ images: [Image], columns: Int, to url: URL) throws {
        let tile = images[0].width, gutter = 2
        let rows = (images.count + columns - 1) / columns
        let width = columns * (tile + gutter) + gutter, height = rows * (tile + gutter) + gutter
        var bytes = [UInt8](repeating: 20, count: 3 * width * height)
        for (k, image) in images.enumerated() {
            let ox = gutter + (k % columns) * (tile + gutter), oy = gutter + (k / columns) * (tile + gutter)
            for y in 0..<tile {
                for x in 0..<tile {
                    for c in 0..<3 {
                        bytes[3 * ((oy + y) * width + ox + x) + c] = UInt8((image[c, y, x] * 255).rounded())
                    }
                }
            }
        }
        var data = Data("P6\n\(width) \(height)\n255\n".utf8)
        data.append(contentsOf: bytes)
        try data.write(to: url)
    }
}
