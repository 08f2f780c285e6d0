import CGEMM
import XCTest
@testable import Engine

/// The plain ↔ 16-channel-block conversions around oneDNN's direct convolutions against the layout's
/// index formula, value by value: planes shorter than, equal to and longer than a 16-position tile, with
/// the values just past each buffer's end left alone.
final class BlockedLayoutTests: XCTestCase {
    let images = 2, channels = 32, planes = [1, 15, 16, 17, 36, 100]
    let sentinel: Float = 12345

    /// Where channel c of position s in image n sits in the blocked layout.
    func blockedIndex(_ n: Int, _ c: Int, _ s: Int, plane: Int) -> Int {
        ((n * channels / 16 + c / 16) * plane + s) * 16 + c % 16
    }

    func plainValues(plane: Int, seed: UInt64) -> [Float] {
        random([images * channels * plane], seed: seed).scalars
    }

    func forEachEntry(plane: Int, _ body: (_ plain: Int, _ blocked: Int) -> Void) {
        for n in 0..<images {
            for c in 0..<channels {
                for s in 0..<plane { body((n * channels + c) * plane + s, blockedIndex(n, c, s, plane: plane)) }
            }
        }
    }

    func testPlainToBlockedFloat32() throws {
        try XCTSkipUnless(neurossia_blocked_layout_available(0) != 0, "this CPU has no AVX-512: oneDNN's reorders run instead")
        for plane in planes {
            let plain = plainValues(plane: plane, seed: UInt64(plane))
            let count = plain.count
            var blocked = [Float](repeating: sentinel, count: count + 16)
            neurossia_to_blocked(plain, &blocked, images, channels, plane, 0)
            forEachEntry(plane: plane) { p, b in XCTAssertEqual(blocked[b], plain[p], "plane \(plane)") }
            XCTAssertEqual(Array(blocked[count...]), [Float](repeating: sentinel, count: 16), "plane \(plane): written past the end")
        }
    }

    func testPlainToBlockedBFloat16RoundsEachValue() throws {
        try XCTSkipUnless(neurossia_blocked_layout_available(1) != 0, "this CPU has no AVX-512 BF16: oneDNN's reorders run instead")
        for plane in planes {
            var plain = plainValues(plane: plane, seed: UInt64(plane) + 100)
            // Halfway between two bfloat16 values, either way of even, and a NaN.
            plain[0] = Float(bitPattern: 0x3f80_8000)
            plain[1] = Float(bitPattern: 0x3f81_8000)
            plain[plain.count - 1] = .nan
            let count = plain.count
            var blocked = [UInt16](repeating: 0xbeef, count: count + 16)
            neurossia_to_blocked(plain, &blocked, images, channels, plane, 1)
            forEachEntry(plane: plane) { p, b in
                XCTAssertEqual(blocked[b], neurossia_to_bf16_scalar(plain[p]), "plane \(plane), value \(plain[p])")
            }
            XCTAssertEqual(Array(blocked[count...]), [UInt16](repeating: 0xbeef, count: 16), "plane \(plane): written past the end")
        }
    }

    func testBlockedToPlainWritesOrAdds() throws {
        try XCTSkipUnless(neurossia_blocked_layout_available(0) != 0, "this CPU has no AVX-512: oneDNN's reorders run instead")
        for plane in planes {
            let blocked = plainValues(plane: plane, seed: UInt64(plane) + 200)
            let before = plainValues(plane: plane, seed: UInt64(plane) + 300)
            let count = blocked.count
            for add in [false, true] {
                var plain = before + [Float](repeating: sentinel, count: 16)
                neurossia_from_blocked(blocked, &plain, images, channels, plane, add ? 1 : 0)
                forEachEntry(plane: plane) { p, b in
                    XCTAssertEqual(plain[p], add ? before[p] + blocked[b] : blocked[b], "plane \(plane), add \(add)")
                }
                XCTAssertEqual(Array(plain[count...]), [Float](repeating: sentinel, count: 16), "plane \(plane): written past the end")
            }
        }
    }
}
