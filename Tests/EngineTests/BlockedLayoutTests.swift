import CGEMM
import XCTest
@testable import Engine

/// The conversions between plain activations and oneDNN's channel blocks that replace its slow reorders
/// (rounding to bfloat16 blocks of 16; adding blocks of 16 with AVX-512 or 8 with AVX2 into plain) against
/// the layout's index formula, value by value: planes shorter than, equal to and longer than a tile, with
/// the values just past each buffer's end left alone.
final class BlockedLayoutTests: XCTestCase {
    let images = 2, channels = 32, planes = [1, 7, 8, 15, 16, 17, 36, 100]

    /// Where channel c of position s in image n sits in the layout of `block`-channel blocks.
    func blockedIndex(_ n: Int, _ c: Int, _ s: Int, plane: Int, block: Int) -> Int {
        ((n * channels / block + c / block) * plane + s) * block + c % block
    }

    func forEachEntry(plane: Int, block: Int, _ body: (_ plain: Int, _ blocked: Int) -> Void) {
        for n in 0..<images {
            for c in 0..<channels {
                for s in 0..<plane { body((n * channels + c) * plane + s, blockedIndex(n, c, s, plane: plane, block: block)) }
            }
        }
    }

    func values(plane: Int, seed: UInt64) -> [Float] { random([images * channels * plane], seed: seed).scalars }

    func testPlainToBFloat16BlocksRoundsEachValue() throws {
        try XCTSkipUnless(neurossia_blocked_layout_available(16, 1) != 0, "no AVX-512 BF16: oneDNN's reorders run instead")
        for plane in planes {
            var plain = values(plane: plane, seed: UInt64(plane))
            // Halfway between two bfloat16 values, either way of even, and a NaN.
            plain[0] = Float(bitPattern: 0x3f80_8000)
            plain[1] = Float(bitPattern: 0x3f81_8000)
            plain[plain.count - 1] = .nan
            let count = plain.count
            var blocked = [UInt16](repeating: 0xbeef, count: count + 16)
            neurossia_to_blocked_bf16(plain, &blocked, images, channels, plane)
            forEachEntry(plane: plane, block: 16) { p, b in
                XCTAssertEqual(blocked[b], neurossia_to_bf16_scalar(plain[p]), "plane \(plane), value \(plain[p])")
            }
            XCTAssertEqual(Array(blocked[count...]), [UInt16](repeating: 0xbeef, count: 16), "plane \(plane): written past the end")
        }
    }

    func testBlocksAddIntoPlain() throws {
        let blocks = [8, 16].filter { neurossia_blocked_layout_available($0, 0) != 0 }
        try XCTSkipIf(blocks.isEmpty, "no AVX2: oneDNN's reorders run instead")
        for block in blocks {
            for plane in planes {
                let blocked = values(plane: plane, seed: UInt64(plane) + 200)
                let before = values(plane: plane, seed: UInt64(plane) + 300)
                let sentinel: [Float] = Array(repeating: 12345, count: 16)
                var plain = before + sentinel
                neurossia_add_from_blocked(blocked, &plain, images, channels, plane, block)
                forEachEntry(plane: plane, block: block) { p, b in
                    XCTAssertEqual(plain[p], before[p] + blocked[b], "block \(block), plane \(plane)")
                }
                XCTAssertEqual(Array(plain[blocked.count...]), sentinel, "block \(block), plane \(plane): written past the end")
            }
        }
    }
}
