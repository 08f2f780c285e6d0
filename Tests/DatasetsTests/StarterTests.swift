import Foundation
import Imaging
import XCTest
@testable import Datasets

final class StarterTests: XCTestCase {
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
