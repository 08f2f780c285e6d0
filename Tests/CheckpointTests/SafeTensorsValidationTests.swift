import TestSupport
import XCTest
@testable import Checkpoint

/// Every malformed header is refused with its own problem, built here byte by byte.
final class SafeTensorsValidationTests: XCTestCase {
    let eightBytes = [UInt8](repeating: 7, count: 8)

    func assertProblem(_ bytes: [UInt8], _ expected: SafeTensorsError.Problem, tensor: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensorsFile(parsing: bytes, file: "x.safetensors"), file: file, line: line) { error in
            guard let error = error as? SafeTensorsError else { return XCTFail("not a SafeTensorsError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.problem, expected, file: file, line: line)
            XCTAssertEqual(error.tensor, tensor, file: file, line: line)
            XCTAssertEqual(error.file, "x.safetensors", file: file, line: line)
        }
    }

    func entry(_ name: String, _ dtype: String = "F32", shape: String = "[2]", offsets: String = "[0,8]") -> String {
        #""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":\#(offsets)}"#
    }

    func testSizeAndHeaderLengthChecks() {
        assertProblem([1, 2, 3], .fileTooShort(size: 3))
        assertProblem([], .fileTooShort(size: 0))
        var huge: [UInt8] = []
        withUnsafeBytes(of: UInt64(200_000_000).littleEndian) { huge += $0 }
        assertProblem(huge + Array("{}".utf8), .headerTooLarge(headerLength: 200_000_000, limit: 100_000_000))
        assertProblem([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], .headerTooLarge(headerLength: UInt64.max, limit: 100_000_000))
        assertProblem([64, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8), .headerBeyondFile(headerLength: 64, fileSize: 10))
    }

    func testHeaderMustBeAUTF8JSONObject() {
        assertProblem(safetensorsBytes(json: "{\"\u{FF}\"") .enumerated().map { $0.offset == 10 ? 0xFF : $0.element }, .headerNotUTF8)
        assertProblem(safetensorsBytes(json: #"{"a": "#), .invalidJSON(offset: 8, reason: "unexpected end of header"))
        assertProblem(safetensorsBytes(json: #"{"a":1,}"#), .invalidJSON(offset: 7, reason: "expected a string key"))
        assertProblem(safetensorsBytes(json: #"{} x"#), .invalidJSON(offset: 3, reason: "unexpected text after the JSON value"))
        assertProblem(safetensorsBytes(json: String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)),
                      .invalidJSON(offset: 64, reason: "nested deeper than 64 levels"))
        assertProblem(safetensorsBytes(json: "[1,2]"), .headerNotObject(found: "an array"))
        assertProblem(safetensorsBytes(json: #""text""#), .headerNotObject(found: "a string"))
    }

    func testEntryFieldsAreChecked() {
        assertProblem(safetensorsBytes(json: #"{"a":3}"#), .entryNotObject(found: "a number"), tensor: "a")
        assertProblem(safetensorsBytes(json: #"{"a":{"shape":[2],"data_offsets":[0,8]}}"#, data: eightBytes), .missingField("dtype"), tensor: "a")
        assertProblem(safetensorsBytes(json: #"{"a":{"dtype":"F32","data_offsets":[0,8]}}"#, data: eightBytes), .missingField("shape"), tensor: "a")
        assertProblem(safetensorsBytes(json: #"{"a":{"dtype":"F32","shape":[2]}}"#, data: eightBytes), .missingField("data_offsets"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", shape: #""2""#) + "}", data: eightBytes),
                      .wrongFieldType(field: "shape", expected: "an array of integers", found: "a string"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", shape: "[null]") + "}", data: eightBytes),
                      .wrongFieldType(field: "shape", expected: "an array of integers", found: "an array holding null"), tensor: "a")
        assertProblem(safetensorsBytes(json: #"{"a":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}"#, data: eightBytes),
                      .wrongFieldType(field: "dtype", expected: "a string", found: "a number"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", "F128") + "}", data: eightBytes), .unknownDType("F128"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", shape: "[2,-1]") + "}", data: eightBytes),
                      .invalidDimension(index: 1, text: "-1"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", shape: "[2.0]") + "}", data: eightBytes),
                      .invalidDimension(index: 0, text: "2.0"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", shape: "[1e3]") + "}", data: eightBytes),
                      .invalidDimension(index: 0, text: "1e3"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", shape: "[99999999999999999999]") + "}", data: eightBytes),
                      .invalidDimension(index: 0, text: "99999999999999999999"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", offsets: "[-4,4]") + "}", data: eightBytes),
                      .invalidOffset(text: "-4"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", offsets: "[0,8,16]") + "}", data: eightBytes),
                      .wrongFieldType(field: "data_offsets", expected: "two integers [begin, end]", found: "3 numbers"), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", offsets: "[8,0]") + "}", data: eightBytes),
                      .offsetsReversed(begin: 8, end: 0), tensor: "a")
    }

    func testSizesMustMatchShapeAndDType() {
        // F32 [3] needs 12 bytes, F16 [2] needs 4, I64 [2] needs 16; the offsets span 8.
        assertProblem(safetensorsBytes(json: "{" + entry("a", shape: "[3]") + "}", data: eightBytes),
                      .sizeMismatch(expectedBytes: 12, actualBytes: 8), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", "F16") + "}", data: eightBytes),
                      .sizeMismatch(expectedBytes: 4, actualBytes: 8), tensor: "a")
        assertProblem(safetensorsBytes(json: "{" + entry("a", "I64") + "}", data: eightBytes),
                      .sizeMismatch(expectedBytes: 16, actualBytes: 8), tensor: "a")
        // A shape whose byte count overflows Int is a mismatch, not a crash.
        assertProblem(safetensorsBytes(json: "{" + entry("a", shape: "[4611686018427387904,4]") + "}", data: eightBytes),
                      .sizeMismatch(expectedBytes: Int.max, actualBytes: 8), tensor: "a")
    }

    func testTensorsMustTileTheDataSection() {
        assertProblem(safetensorsBytes(json: "{" + entry("a", shape: "[4]", offsets: "[0,16]") + "}", data: eightBytes),
                      .offsetsOutOfBounds(begin: 0, end: 16, dataSize: 8), tensor: "a")
        let twelve = [UInt8](repeating: 1, count: 12)
        assertProblem(safetensorsBytes(json: "{" + entry("a") + "," + entry("b", offsets: "[4,12]") + "}", data: twelve),
                      .overlaps(other: "a", begin: 4, otherEnd: 8), tensor: "b")
        let twenty = [UInt8](repeating: 1, count: 20)
        assertProblem(safetensorsBytes(json: "{" + entry("a") + "," + entry("b", offsets: "[12,20]") + "}", data: twenty),
                      .gapBefore(begin: 12, expected: 8), tensor: "b")
        assertProblem(safetensorsBytes(json: "{" + entry("b", offsets: "[4,12]") + "}", data: twelve),
                      .gapBefore(begin: 4, expected: 0), tensor: "b")
        assertProblem(safetensorsBytes(json: "{" + entry("a") + "}", data: twelve), .trailingData(coveredBytes: 8, dataSize: 12))
        assertProblem(safetensorsBytes(json: "{" + entry("a") + "," + entry("a") + "}", data: eightBytes), .duplicateName, tensor: "a")
    }

    func testMetadataMustMapStringsToStrings() {
        assertProblem(safetensorsBytes(json: #"{"__metadata__":"x"}"#), .metadataNotObject(found: "a string"), tensor: "__metadata__")
        assertProblem(safetensorsBytes(json: #"{"__metadata__":{"theme":"t","step":5}}"#),
                      .metadataValueNotString(key: "step", found: "a number"), tensor: "__metadata__")
    }

    func testHandWrittenFilesThatAreValidParse() throws {
        // Out-of-order offsets, an empty tensor, escapes and no padding are all allowed.
        var data: [UInt8] = []
        for x: Float in [3, 4, 1, 2] { withUnsafeBytes(of: x.bitPattern.littleEndian) { data += $0 } }
        let json = #"{"z\u00e9\"":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"#
            + #""y":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"e":{"dtype":"I64","shape":[0],"data_offsets":[16,16]},"#
            + #""__metadata__":{"a\/b":"\ud83d\ude00\t"}}"#
        let file = try SafeTensorsFile(parsing: safetensorsBytes(json: json, data: data, pad: false))
        XCTAssertEqual(try file.floats("zé\""), [1, 2])
        XCTAssertEqual(try file.floats("y"), [3, 4])
        XCTAssertEqual(try file.int64s("e"), [])
        XCTAssertEqual(file.metadata, ["a/b": "😀\t"])
    }

    func testDescriptionNamesFileTensorAndProblem() throws {
        let directory = try temporaryFolder(self).path
        let path = directory + "/state.safetensors"
        try AtomicFile.write(safetensorsBytes(json: "{" + entry("g.w", shape: "[3]") + "}", data: eightBytes), to: path)
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: path)) { error in
            XCTAssertEqual("\(error)", "\(path): tensor \"g.w\": shape and dtype need 12 bytes but data_offsets span 8")
        }
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: directory + "/none.safetensors")) { error in
            XCTAssertEqual((error as? FileError)?.isNotFound, true)
        }
    }
}
