import CGEMM
import XCTest
@testable import Engine

/// The plain ↔ channel-block conversions around oneDNN's direct convolutions (blocks of 16 with AVX-512,
/// 8 with AVX2) against the layout's index formula, value by value: planes shorter than, equal to and
/// longer than a tile, with the values just past each buffer's end left alone.
final class BlockedLayoutTests: XCTestCase {
    let images = 2, channels = 32, planes = [1, 7, 8, 15, 16, 17, 36, 100]
    let sentinel: Float = 12345

    /// Where channel c of position s in image n sits in the layout of `block`-channel blocks.
    func blockedIndex(_ n: Int, _ c: Int, _ s: Int, plane: Int, block: Int) -> Int {
        ((n * channels / block + c / block) * plane + s) * block + c % block
    }

    /// Each block this CPU converts with each plane (no blocks: oneDNN's reorders run instead, and the test
    /// is skipped).
    func cases(bf16: Bool = false) throws -> [(block: Int, plane: Int)] {
        let blocks = [8, 16].filter { neurossia_blocked_layout_available($0, bf16 ? 1 : 0) != 0 }
        try XCTSkipIf(blocks.isEmpty, "this CPU converts no blocks\(bf16 ? " to bfloat16" : ""): oneDNN's reorders run instead")
        return blocks.flatMap { block in planes.map { (block, $0) } }
    }

    func plainValues(plane: Int, seed: UInt64) -> [Float] {
        random([images * channels * plane], seed: seed).scalars
    }

    func forEachEntry(plane: Int, block: Int, _ body: (_ plain: Int, _ blocked: Int) -> Void) {
        for n in 0..<images {
            for c in 0..<channels {
                for s in 0..<plane { body((n * channels + c) * plane + s, blockedIndex(n, c, s, plane: plane, block: block)) }
            }
        }
    }

    func testPlainToBlockedFloat32() throws {
        for (block, plane) in try cases() {
            let plain = plainValues(plane: plane, seed: UInt64(plane))
            let count = plain.count
            var blocked = [Float](repeating: sentinel, count: count + 16)
            neurossia_to_blocked(plain, &blocked, images, channels, plane, block, 0)
            forEachEntry(plane: plane, block: block) { p, b in XCTAssertEqual(blocked[b], plain[p], "block \(block), plane \(plane)") }
            XCTAssertEqual(Array(blocked[count...]), [Float](repeating: sentinel, count: 16),
                           "block \(block), plane \(plane): written past the end")
        }
    }

    func testPlainToBlockedBFloat16RoundsEachValue() throws {
        for (block, plane) in try cases(bf16: true) {
            var plain = plainValues(plane: plane, seed: UInt64(plane) + 100)
            // Halfway between two bfloat16 values, either way of even, and a NaN.
            plain[0] = Float(bitPattern: 0x3f80_8000)
            plain[1] = Float(bitPattern: 0x3f81_8000)
            plain[plain.count - 1] = .nan
            let count = plain.count
            var blocked = [UInt16](repeating: 0xbeef, count: count + 16)
            neurossia_to_blocked(plain, &blocked, images, channels, plane, block, 1)
            forEachEntry(plane: plane, block: block) { p, b in
                XCTAssertEqual(blocked[b], neurossia_to_bf16_scalar(plain[p]), "plane \(plane), value \(plain[p])")
            }
            XCTAssertEqual(Array(blocked[count...]), [UInt16](repeating: 0xbeef, count: 16), "plane \(plane): written past the end")
        }
    }

    func testBlockedToPlainWritesOrAdds() throws {
        for (block, plane) in try cases() {
            let blocked = plainValues(plane: plane, seed: UInt64(plane) + 200)
            let before = plainValues(plane: plane, seed: UInt64(plane) + 300)
            let count = blocked.count
            for add in [false, true] {
                var plain = before + [Float](repeating: sentinel, count: 16)
                neurossia_from_blocked(blocked, &plain, images, channels, plane, block, add ? 1 : 0)
                forEachEntry(plane: plane, block: block) { p, b in
                    XCTAssertEqual(plain[p], add ? before[p] + blocked[b] : blocked[b], "block \(block), plane \(plane), add \(add)")
                }
                XCTAssertEqual(Array(plain[count...]), [Float](repeating: sentinel, count: 16),
                               "block \(block), plane \(plane), add \(add): written past the end")
            }
        }
    }
}
