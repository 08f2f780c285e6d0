import XCTest
@testable import Checkpoint

final class SafeTensorsRoundTripTests: XCTestCase {
    /// Values chosen to stress the encodings: signed zero, infinities, subnormals, extremes.
    let specialFloats: [Float] = [0, -0.0, 1, -2.5, 1.0 / 3, .infinity, -.infinity, .leastNonzeroMagnitude,
                                  .greatestFiniteMagnitude, 1e-3, 65504, 70000]

    func testF32F16I64U64AndMetadataRoundTrip() throws {
        var file = SafeTensorsFile(metadata: ["theme": "panel-blocks", "step": "1200", "note": "naïve \"quoted\"\n✓"])
        file.setFloats("g.w", specialFloats, shape: [3, 4])
        file.setFloats("g.w16", specialFloats, shape: [12], as: .f16)
        file.setInt64s("step", [Int64.min, -1, 0, 1200, Int64.max])
        file.setUInt64s("rng", [0, 1, 0x9E37_79B9_7F4A_7C15, UInt64.max])
        file.tensors["empty"] = TensorEntry(floats: [], shape: [0, 3])

        let back = try SafeTensorsFile(parsing: file.serialized())
        XCTAssertEqual(back, file)
        XCTAssertEqual(back.metadata["note"], "naïve \"quoted\"\n✓")
        XCTAssertEqual(try back.floats("g.w").map(\.bitPattern), specialFloats.map(\.bitPattern))
        XCTAssertEqual(back.tensors["g.w"]?.shape, [3, 4])
        XCTAssertEqual(try back.int64s("step"), [Int64.min, -1, 0, 1200, Int64.max])
        XCTAssertEqual(try back.uint64s("rng"), [0, 1, 0x9E37_79B9_7F4A_7C15, UInt64.max])
        XCTAssertEqual(try back.floats("empty"), [])
        XCTAssertEqual(back.tensors["empty"]?.shape, [0, 3])

        let half = try back.floats("g.w16")
        // Hand-checked half-precision values: 1/3 → 0x3555 = 0.333251953125, 1e-3 → 0x1419 = 0.0010004043579,
        // the least Float subnormal underflows to 0, 65504 is the largest half, 70000 overflows to +inf.
        XCTAssertEqual(half[4], 0.333251953125)
        XCTAssertEqual(half[9], 0.0010004043579101562)
        XCTAssertEqual(half[7], 0)
        XCTAssertEqual(half[10], 65504)
        XCTAssertEqual(half[11], .infinity)
        XCTAssertEqual(half[1].sign, .minus)
        for (x, y) in zip(specialFloats, half) where x.isFinite && abs(x) >= 6.1e-5 && abs(x) <= 65504 {
            XCTAssertLessThanOrEqual(abs(x - y), abs(x) * 0x1p-11, "\(x) → \(y)")
        }
    }

    func testBF16AndF64ReadAsFloat() throws {
        let values: [Float] = [1, -2.5, 1.0 / 3, 3.0e38]
        let bf = TensorEntry(floats: values, shape: [4], dtype: .bf16)
        // 1/3 = 0x3EAAAAAB → round to nearest even on the top half → 0x3EAB = 0.333984375.
        XCTAssertEqual(bf.floats(), [1, -2.5, 0.333984375, Float(bitPattern: 0x7F62 << 16)])
        let f64 = TensorEntry(floats: values, shape: [2, 2], dtype: .f64)
        XCTAssertEqual(f64.bytes.count, 32)
        XCTAssertEqual(f64.floats(), values)
    }

    func testSerialisationIsDeterministic() throws {
        var a = SafeTensorsFile()
        var b = SafeTensorsFile()
        let names = ["d.bias", "a.weight", "z", "b", "c.moment1"]
        for (i, name) in names.enumerated() { a.setFloats(name, [Float(i), 0.5], shape: [2]) }
        for (i, name) in names.enumerated().reversed() { b.setFloats(name, [Float(i), 0.5], shape: [2]) }
        a.metadata = ["x": "1", "a": "2", "m": "3"]
        b.metadata = ["m": "3", "a": "2", "x": "1"]
        XCTAssertEqual(a.serialized(), b.serialized())
        XCTAssertEqual(a.serialized(), a.serialized())
        XCTAssertEqual(try SafeTensorsFile(parsing: b.serialized()).serialized(), a.serialized())
    }

    /// One F32 tensor [1, -2] and one metadata pair, compared byte by byte with the format description.
    func testTinyFileMatchesTheSpecByteForByte() {
        var file = SafeTensorsFile(metadata: ["k": "v"])
        file.setFloats("a", [1, -2], shape: [2])
        let bytes = file.serialized()

        let json = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        XCTAssertEqual(json.utf8.count, 79)
        // 79 bytes of JSON pad to 80 with one space, then 8 data bytes.
        XCTAssertEqual(bytes.count, 8 + 80 + 8)
        XCTAssertEqual(Array(bytes[0..<8]), [80, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Array(bytes[8..<87]), Array(json.utf8))
        XCTAssertEqual(bytes[87], 0x20)
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000, little-endian.
        XCTAssertEqual(Array(bytes[88...]), [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
    }

    func testEmptyFileIsJustBraces() {
        XCTAssertEqual(SafeTensorsFile().serialized(), [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
    }

    /// Ten million floats through F32 and F16 and back; in release each direction takes milliseconds.
    func testLargeTensorRoundTrip() throws {
        let count = 10_000_000
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = Float(i % 4096) * 0.25 - 512 }
            initialized = count
        }
        var file = SafeTensorsFile()
        file.setFloats("big", values, shape: [count / 1000, 1000])
        file.setFloats("big16", values, shape: [count], as: .f16)
        let back = try SafeTensorsFile(parsing: file.serialized())
        XCTAssertEqual(try back.floats("big"), values)
        // Multiples of 0.25 in [-512, 512) are exact in half precision.
        XCTAssertEqual(try back.floats("big16"), values)
    }

    func testAccessorErrorsNameTheTensor() throws {
        var file = SafeTensorsFile()
        file.setInt64s("step", [3])
        XCTAssertThrowsError(try file.floats("missing")) { error in
            XCTAssertEqual(error as? SafeTensorsError, SafeTensorsError(tensor: "missing", problem: .tensorNotFound))
        }
        XCTAssertThrowsError(try file.floats("step")) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.problem, .wrongDType(expected: "a floating-point dtype", found: "I64"))
            XCTAssertEqual("\(error)", "tensor \"step\": dtype is I64, expected a floating-point dtype")
        }
        XCTAssertThrowsError(try file.uint64s("step")) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.problem, .wrongDType(expected: "U64", found: "I64"))
        }
    }
}
