import Imaging
import XCTest

final class ResizeTests: XCTestCase {
    /// Deterministic values in [0, 1] that differ from pixel to pixel.
    private func varied(width: Int, height: Int) -> Image {
        Image(width: width, height: height, pixels: (0..<(3 * width * height)).map { Float(($0 * 7919) % 1009) / 1008 })
    }

    /// Straight from the definition: each output pixel is the mean of the input area it covers,
    /// integrated over every input pixel in Float64. Independent of the separable fast path.
    private func areaAverage(_ image: Image, width: Int, height: Int) -> [Float] {
        let sx = Double(image.width) / Double(width), sy = Double(image.height) / Double(height)
        func overlap(_ low: Double, _ high: Double, _ pixel: Int) -> Double {
            max(0, min(high, Double(pixel + 1)) - max(low, Double(pixel)))
        }
        var result: [Float] = []
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    var sum = 0.0
                    for iy in 0..<image.height {
                        for ix in 0..<image.width {
                            let weight = overlap(Double(x) * sx, Double(x + 1) * sx, ix) * overlap(Double(y) * sy, Double(y + 1) * sy, iy)
                            sum += weight * Double(image[c, iy, ix])
                        }
                    }
                    result.append(Float(sum / (sx * sy)))
                }
            }
        }
        return result
    }

    func testConstantStaysConstant() {
        let image = Image(width: 13, height: 9, fill: RGB(0.25, 0.5, 0.75))
        for (width, height) in [(5, 4), (13, 9), (20, 31), (3, 17)] {
            let resized = image.resized(width: width, height: height)
            XCTAssertLessThan(maxDifference(resized.pixels, Image(width: width, height: height, fill: RGB(0.25, 0.5, 0.75)).pixels), 1e-6)
        }
    }

    func testHalvingAOnePixelCheckerboardGivesExactlyHalf() {
        var board = Image(width: 8, height: 6)
        for c in 0..<3 { for y in 0..<6 { for x in 0..<8 { board[c, y, x] = Float((x + y) % 2) } } }
        XCTAssertEqual(board.resized(width: 4, height: 3).pixels, [Float](repeating: 0.5, count: 3 * 12))
    }

    /// 3 → 2: output 0 covers input [0, 1.5), output 1 covers [1.5, 3).
    /// Row [0, 0.3, 0.9] → [(0 + 0.5·0.3)/1.5, (0.5·0.3 + 0.9)/1.5] = [0.1, 0.7].
    func testFractionalShrinkMatchesHandComputedValues() {
        let row: [Float] = [0, 0.3, 0.9]
        let image = Image(width: 3, height: 1, pixels: row + row + row)
        XCTAssertEqual(image.resized(width: 2, height: 1).pixels, [0.1, 0.7, 0.1, 0.7, 0.1, 0.7], accuracy: 1e-6)
        let column = Image(width: 1, height: 3, pixels: row + row + row)
        XCTAssertEqual(column.resized(width: 1, height: 2).pixels, [0.1, 0.7, 0.1, 0.7, 0.1, 0.7], accuracy: 1e-6)
    }

    func testShrinkMatchesTheAreaIntegral() {
        let image = varied(width: 13, height: 11)
        for (width, height) in [(5, 4), (12, 7), (1, 1), (13, 3)] {
            let difference = maxDifference(image.resized(width: width, height: height).pixels, areaAverage(image, width: width, height: height))
            XCTAssertLessThan(difference, 1e-5, "13×11 → \(width)×\(height)")
        }
    }

    /// 2 → 4 with aligned centres samples input positions 0 (clamped), 0.25, 0.75, 1 (clamped).
    func testEnlargingInterpolatesBilinearly() {
        let image = Image(width: 2, height: 1, pixels: [0, 1, 0.2, 0.6, 1, 1])
        let enlarged = image.resized(width: 4, height: 1)
        XCTAssertEqual(enlarged.pixels, [0, 0.25, 0.75, 1, 0.2, 0.3, 0.5, 0.6, 1, 1, 1, 1], accuracy: 1e-6)
        let square = Image(width: 2, height: 2, pixels: [0, 1, 1, 0] + [Float](repeating: 0, count: 8)).resized(width: 4, height: 4)
        // Output (1, 1) sits at input (0.25, 0.25): weights 0.75·0.25 on each of the two ones.
        let diagonal: Float = 2 * 0.75 * 0.25
        XCTAssertEqual(square[0, 1, 1], diagonal, accuracy: 1e-6)
    }

    func testSameSizeIsIdentity() {
        let image = varied(width: 6, height: 4)
        XCTAssertEqual(image.resized(width: 6, height: 4), image)
    }

    func testShrinkingAPhotoTakesLittleTime() {
        let photo = varied(width: 4000, height: 3000)
        let start = Date()
        let small = photo.resized(width: 64, height: 64)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(small.width, 64)
        XCTAssertLessThan(maxDifference(small.pixels, [Float](repeating: 0.5, count: small.pixels.count)), 0.02)
        #if !DEBUG
        XCTAssertLessThan(seconds, 0.1, "4000×3000 → 64×64 took \(seconds) s")
        #endif
        print("4000×3000 → 64×64: \(Int(seconds * 1000)) ms")
    }
}

func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "lengths differ", file: file, line: line)
    guard a.count == b.count else { return }
    let difference = maxDifference(a, b)
    XCTAssertLessThanOrEqual(difference, accuracy, "\(a) vs \(b)", file: file, line: line)
}
