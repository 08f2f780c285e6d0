import Checkpoint
import Foundation
import TestSupport
import XCTest
@testable import Training

final class RunLogTests: XCTestCase {
    let checkpointLine = RunLogRecord(step: 1200, kimg: 19.2, seconds: 1830.5, imagesPerSecond: 10.5, learningRate: 0.0002,
                                      losses: ["D": 0.5, "G": 1.25, "D.real": 0.25], event: "checkpoint")

    func record(step: Int) -> RunLogRecord {
        RunLogRecord(step: step, kimg: Double(step) * 0.016, seconds: Double(step), imagesPerSecond: 16,
                     learningRate: 0.0002, losses: ["D": 1 / Double(step), "G": 2])
    }

    func testLineHasTheDocumentedKeysInAStableOrder() throws {
        let path = try temporaryFolder(self).path + "/log.jsonl"
        try RunLog(appendingTo: path).append(checkpointLine)
        let text = String(decoding: try POSIXFile.readAll(path), as: UTF8.self)
        XCTAssertEqual(text, #"{"event":"checkpoint","img_per_s":10.5,"kimg":19.2,"losses":{"D":0.5,"D.real":0.25,"G":1.25},"lr":0.0002,"seconds":1830.5,"step":1200}"# + "\n")
    }

    func testOrdinaryLineOmitsEventAndNonFiniteLossesRoundTrip() throws {
        let path = try temporaryFolder(self).path + "/log.jsonl"
        let diverged = RunLogRecord(step: 7, kimg: 0.1, seconds: 3, imagesPerSecond: 30, learningRate: 0.0001,
                                    losses: ["D": .nan, "G": .infinity])
        try RunLog(appendingTo: path).append(diverged)
        let text = String(decoding: try POSIXFile.readAll(path), as: UTF8.self)
        XCTAssertFalse(text.contains("event"))
        XCTAssertTrue(text.contains(#""losses":{"D":"nan","G":"inf"}"#), text)
        let read = try RunLog.read(path)
        XCTAssertEqual(read.skippedLines, 0)
        XCTAssertEqual(read.records.count, 1)
        XCTAssertTrue(read.records[0].losses["D"]!.isNaN)
        XCTAssertEqual(read.records[0].losses["G"], .infinity)
        XCTAssertNil(read.records[0].event)
    }

    func testEvalLineCarriesQualityAndRoundTrips() throws {
        let path = try temporaryFolder(self).path + "/log.jsonl"
        let eval = RunLogRecord(step: 3125, kimg: 50, seconds: 1200, imagesPerSecond: 0, learningRate: 0.0002, losses: [:],
                                event: "eval", quality: ["swd": 121.5, "swd_floor": 17.25, "colour": 1.5, "colour_floor": 0.25,
                                                          "variety_16": 0.75, "variety_16_floor": 1, "copies": 2, "copies_floor": 0])
        try RunLog(appendingTo: path).append(eval)
        let text = String(decoding: try POSIXFile.readAll(path), as: UTF8.self)
        XCTAssertTrue(text.contains(#""quality":{"colour":1.5,"colour_floor":0.25,"copies":2,"copies_floor":0,"swd":121.5,"swd_floor":17.25,"variety_16":0.75,"variety_16_floor":1}"#), text)
        XCTAssertEqual(try RunLog.read(path).records, [eval])
        XCTAssertFalse(String(decoding: try JSONEncoder().encode(checkpointLine), as: UTF8.self).contains("quality"))
    }

    /// Lines written before variety and copies were measured still read, with the keys they have.
    func testAnEvalLineFromBeforeVarietyAndCopiesStillReads() throws {
        let path = try temporaryFolder(self).path + "/log.jsonl"
        try Data((#"{"event":"eval","img_per_s":0,"kimg":50,"losses":{},"lr":0.0002,"quality":{"colour":1.5,"colour_floor":0.25,"swd":121.5,"swd_floor":17.25},"seconds":1200,"step":3125}"# + "\n").utf8)
            .write(to: URL(fileURLWithPath: path))
        let read = try RunLog.read(path)
        XCTAssertEqual(read.skippedLines, 0)
        XCTAssertEqual(read.records.first?.quality, ["swd": 121.5, "swd_floor": 17.25, "colour": 1.5, "colour_floor": 0.25])
    }

    func testAppendsAcrossReopeningAndReadsInOrder() throws {
        let path = try temporaryFolder(self).path + "/log.jsonl"
        do {
            let log = try RunLog(appendingTo: path)
            try log.append(record(step: 1))
            try log.append(record(step: 2))
        }
        try RunLog(appendingTo: path).append(checkpointLine)
        let read = try RunLog.read(path)
        XCTAssertEqual(read.records, [record(step: 1), record(step: 2), checkpointLine])
        XCTAssertEqual(read.skippedLines, 0)
    }

    /// A kill in the middle of a line leaves it cut short: the reader skips and counts it, and the
    /// next writer starts a fresh line rather than gluing its record onto the fragment.
    func testTruncatedLastLineIsSkippedAndCountedAndTheNextRecordStartsAFreshLine() throws {
        let path = try temporaryFolder(self).path + "/log.jsonl"
        try RunLog(appendingTo: path).append(record(step: 1))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"step":2,"kimg":0.03"#.utf8))
        handle.closeFile()

        var read = try RunLog.read(path)
        XCTAssertEqual(read.records, [record(step: 1)])
        XCTAssertEqual(read.skippedLines, 1)

        try RunLog(appendingTo: path).append(record(step: 3))
        read = try RunLog.read(path)
        XCTAssertEqual(read.records, [record(step: 1), record(step: 3)])
        XCTAssertEqual(read.skippedLines, 1)
    }

    func testGarbledLineAndBlankLinesAreTolerated() throws {
        let path = try temporaryFolder(self).path + "/log.jsonl"
        try RunLog(appendingTo: path).append(record(step: 1))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("\n\u{0}\u{0}garbage\n{\"step\":\"two\"}\n".utf8))
        handle.closeFile()
        let read = try RunLog.read(path)
        XCTAssertEqual(read.records, [record(step: 1)])
        XCTAssertEqual(read.skippedLines, 2)
    }

    func testMissingLogIsNotFound() throws {
        let path = try temporaryFolder(self).path + "/none.jsonl"
        XCTAssertThrowsError(try RunLog.read(path)) { error in
            XCTAssertEqual((error as? FileError)?.isNotFound, true)
        }
    }

    func testDisplayOrderPutsDAndGFirst() {
        XCTAssertEqual(RunLogRecord.displayOrder(["G.adv", "G", "D.real", "D", "D.fake"]), ["D", "G", "D.fake", "D.real", "G.adv"])
    }
}
