import Foundation
import TestSupport
import XCTest
@testable import Checkpoint

/// Files must be readable by, and read, Python's reference `safetensors` package byte for byte.
final class SafeTensorsPythonTests: XCTestCase {
    override func setUpWithError() throws {
        let check = try? runProcess("/usr/bin/env", ["python3", "-c", "import safetensors, numpy"])
        guard check?.status == 0 else { throw XCTSkip("python3 with safetensors and numpy is not importable") }
    }

    /// Runs a Python snippet and decodes the JSON object it prints.
    func python(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let result = try runProcess("/usr/bin/env", ["python3", "-c", script] + arguments)
        XCTAssertEqual(result.status, 0, result.output)
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        return try XCTUnwrap(object as? [String: Any], result.output)
    }

    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    func testPythonReadsWhatSwiftWrites() throws {
        let path = try temporaryFolder(self).path + "/state.safetensors"
        var file = SafeTensorsFile(metadata: ["theme": "panel-blocks", "step": "1200", "note": "naïve \"q\" ✓\n"])
        let weights: [Float] = [0.1, -2.5, 1.0 / 3, 1e-8, -0.0, 3.4e38]
        file.setFloats("g.w", weights, shape: [2, 3])
        file.setFloats("ema.w", weights, shape: [6], as: .f16)
        file.setInt64s("step", [Int64.min, -1, 1200, Int64.max])
        file.setUInt64s("rng", [0x9E37_79B9_7F4A_7C15, UInt64.max, 0, 1])
        try file.write(to: path)

        let script = """
        import json, sys
        from safetensors import safe_open
        out = {"tensors": {}}
        with safe_open(sys.argv[1], framework="numpy") as f:
            out["metadata"] = f.metadata()
            for k in f.keys():
                a = f.get_tensor(k)
                out["tensors"][k] = {"dtype": str(a.dtype), "shape": list(a.shape), "hex": a.tobytes().hex(),
                                     "values": [repr(v) for v in a.ravel().tolist()]}
        print(json.dumps(out))
        """
        let out = try python(script, [path])
        XCTAssertEqual(out["metadata"] as? [String: String], file.metadata)
        let tensors = try XCTUnwrap(out["tensors"] as? [String: [String: Any]])
        XCTAssertEqual(Set(tensors.keys), ["g.w", "ema.w", "step", "rng"])
        let numpyNames: [SafeTensorsDType: String] = [.f32: "float32", .f16: "float16", .i64: "int64", .u64: "uint64"]
        for (name, entry) in file.tensors {
            let seen = try XCTUnwrap(tensors[name])
            XCTAssertEqual(seen["dtype"] as? String, numpyNames[entry.dtype], name)
            XCTAssertEqual(seen["shape"] as? [Int], entry.shape, name)
            XCTAssertEqual(seen["hex"] as? String, hex(entry.bytes), name)
        }
        // Python's shortest repr of each float64 widening names the same number Swift stored.
        let f32 = try XCTUnwrap(tensors["g.w"]?["values"] as? [String]).map { Double($0)! }
        XCTAssertEqual(f32.map { Float($0).bitPattern }, weights.map(\.bitPattern))
        let f16 = try XCTUnwrap(tensors["ema.w"]?["values"] as? [String]).map { Double($0)! }
        XCTAssertEqual(f16, try file.floats("ema.w").map(Double.init))
        XCTAssertEqual(tensors["step"]?["values"] as? [String], ["-9223372036854775808", "-1", "1200", "9223372036854775807"])
        XCTAssertEqual(tensors["rng"]?["values"] as? [String], ["11400714819323198485", "18446744073709551615", "0", "1"])
    }

    func testSwiftReadsWhatPythonWrites() throws {
        let path = try temporaryFolder(self).path + "/python.safetensors"
        let script = """
        import json, sys
        import numpy as np
        from safetensors.numpy import save_file
        t = {
            "w": (np.arange(12, dtype=np.float32) / 7).reshape(3, 4),
            "h": np.array([0.1, -2.5, 65504, 6e-8], dtype=np.float16),
            "d": np.array([[1.5, -1e-300]], dtype=np.float64),
            "i": np.array([-(2**63), -1, 0, 2**63 - 1], dtype=np.int64),
            "u": np.array([0, 2**64 - 1, 12345678901234567890], dtype=np.uint64),
            "b": np.array([1, 255], dtype=np.uint8),
            "e": np.zeros((0, 5), dtype=np.float32),
        }
        save_file(t, sys.argv[1], metadata={"theme": "cats", "unicode": "ü→✓"})
        print(json.dumps({k: {"shape": list(a.shape), "hex": a.tobytes().hex()} for k, a in t.items()}))
        """
        let expected = try python(script, [path])
        let file = try SafeTensorsFile(contentsOf: path)
        XCTAssertEqual(file.metadata, ["theme": "cats", "unicode": "ü→✓"])
        XCTAssertEqual(Set(file.tensors.keys), Set(expected.keys))
        for (name, entry) in file.tensors {
            let info = try XCTUnwrap(expected[name] as? [String: Any])
            XCTAssertEqual(entry.shape, info["shape"] as? [Int], name)
            XCTAssertEqual(hex(entry.bytes), info["hex"] as? String, name)
        }
        XCTAssertEqual(file.tensors["w"]?.dtype, .f32)
        XCTAssertEqual(try file.floats("w"), (0..<12).map { Float($0) / 7 })
        // Half-precision neighbours of 0.1 and 6e-8: 0x2E66 = 0.0999755859375, subnormal 1 × 2^-24.
        XCTAssertEqual(try file.floats("h"), [0.0999755859375, -2.5, 65504, 0x1p-24])
        XCTAssertEqual(try file.floats("d"), [1.5, -0.0])
        XCTAssertEqual(try file.int64s("i"), [Int64.min, -1, 0, Int64.max])
        XCTAssertEqual(try file.uint64s("u"), [0, UInt64.max, 12_345_678_901_234_567_890])
        XCTAssertEqual(file.tensors["b"]?.bytes, [1, 255])
        XCTAssertEqual(file.tensors["e"]?.shape, [0, 5])
    }
}
