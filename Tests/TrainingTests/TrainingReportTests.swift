import Checkpoint
import Foundation
import Imaging
import TestSupport
import XCTest
@testable import Training

final class TrainingReportTests: XCTestCase {
    /// Three themes: one with a log and samples, one failed with no files, one finished with a log only.
    func makeEntries(in directory: String) throws -> [ReportEntry] {
        let log = try RunLog(appendingTo: directory + "/cats.jsonl")
        for step in 1...50 {
            try log.append(RunLogRecord(step: step * 10, kimg: Double(step) * 0.16, seconds: Double(step) * 12,
                                        imagesPerSecond: 13, learningRate: 0.0002,
                                        losses: ["D": 1.2 / Double(step).squareRoot(), "G": 0.8 + 0.01 * Double(step)]))
        }
        try Image(width: 12, height: 8, fill: RGB(0.2, 0.6, 0.4)).write(png: URL(fileURLWithPath: directory + "/grid.png"))
        return [
            ReportEntry(name: "cats", title: "Cats & kittens", status: .trained, kimg: 8, secondsThisRun: 600,
                        secondsTotal: 4200, sampleGrid: directory + "/grid.png", log: directory + "/cats.jsonl"),
            ReportEntry(name: "waves", title: "Waves", status: .failed(reason: "dataset <waves> is empty"), kimg: 0,
                        secondsThisRun: 0, secondsTotal: 0, sampleGrid: nil, log: directory + "/waves.jsonl"),
            ReportEntry(name: "birds", title: "Birds", status: .finished, kimg: 8, secondsThisRun: 45,
                        secondsTotal: 11220, sampleGrid: directory + "/missing.png", log: directory + "/cats.jsonl"),
        ]
    }

    func testWritesIndexWithASectionPerThemeAndLinksThatResolve() throws {
        let directory = try temporaryFolder(self).path
        let folder = directory + "/out/report"
        let index = try TrainingReport.write(try makeEntries(in: directory), to: folder)
        XCTAssertEqual(index, folder + "/index.html")
        XCTAssertEqual(try directoryListing(folder), ["cats-samples.png", "index.html"])

        let html = String(decoding: try POSIXFile.readAll(index), as: UTF8.self)
        for id in ["cats", "waves", "birds"] {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">"), id)
            XCTAssertTrue(html.contains("href=\"#\(id)\""), id)
        }
        XCTAssertTrue(html.contains("Cats &amp; kittens"))
        XCTAssertTrue(html.contains("dataset &lt;waves&gt; is empty"))
        XCTAssertTrue(html.contains("<span class=\"badge finished\">finished</span>"))
        XCTAssertTrue(html.contains("<b>D</b> 0.170"), "last D loss is 1.2/√50")
        XCTAssertTrue(html.contains("<b>G</b> 1.300"))
        XCTAssertTrue(html.contains("No samples yet"))
        XCTAssertTrue(html.contains("3 h 07 min"))

        let links = try NSRegularExpression(pattern: ##"(?:href|src)="([^"#][^"]*)""##)
            .matches(in: html, range: NSRange(html.startIndex..., in: html))
            .map { String(html[Range($0.range(at: 1), in: html)!]) }
        XCTAssertEqual(Set(links), ["cats-samples.png"])
        for link in links {
            XCTAssertFalse(link.hasPrefix("/"), "relative: \(link)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + link), link)
        }

        XCTAssertEqual(try POSIXFile.readAll(folder + "/cats-samples.png"), try POSIXFile.readAll(directory + "/grid.png"))

        XCTAssertFalse(html.contains("-loss.png") || html.contains("-swd.png") || html.contains("<img src=\"cats-loss"))
        let plots = svgElements("svg", in: html).filter { $0["xmlns"] != nil }
        XCTAssertEqual(plots.map { $0["aria-label"] }, ["Loss curves of Cats &amp; kittens", "Loss curves of Waves", "Loss curves of Birds"])
        XCTAssertTrue(plots.allSatisfy { $0["viewBox"] == "0 0 640 240" })
        let catsCurves = svgElements("polyline", in: html).filter { $0["stroke"] != LinePlot.ink }
        XCTAssertEqual(catsCurves.map { $0["stroke"] }, [LinePlot.palette[0].hex, LinePlot.palette[1].hex, LinePlot.palette[0].hex, LinePlot.palette[1].hex],
                       "D and G for cats and again for birds, which shares its log")
        XCTAssertEqual(svgPoints(catsCurves[0]["points"]).count, 50)
        XCTAssertEqual(html.components(separatedBy: "No data yet").count - 1, 1, "waves has no log")
    }

    /// A title from YAML is cut to 200 characters; a 50 MB one does not reach the page.
    func testRunawayTitleIsCutWithAnEllipsis() throws {
        let directory = try temporaryFolder(self).path
        // Made in one allocation: built character by character it takes minutes under AddressSanitizer.
        let huge = String(decoding: [UInt8](repeating: UInt8(ascii: "<"), count: 50_000_000), as: UTF8.self)
        let entry = ReportEntry(name: "huge", title: huge, status: .notStarted, kimg: 0,
                                secondsThisRun: 0, secondsTotal: 0, sampleGrid: nil, log: directory + "/none.jsonl")
        XCTAssertEqual(entry.title, String(repeating: "<", count: 199) + "…")
        XCTAssertEqual(ReportEntry(name: "t", title: String(repeating: "é", count: 200), status: .notStarted, kimg: 0, secondsThisRun: 0,
                                   secondsTotal: 0, sampleGrid: nil, log: "").title.count, 200, "200 is not cut")
        let html = String(decoding: try POSIXFile.readAll(try TrainingReport.write([entry], to: directory + "/report")), as: UTF8.self)
        XCTAssertLessThan(html.utf8.count, 20_000)
        XCTAssertTrue(html.contains("<h2>" + String(repeating: "&lt;", count: 199) + "… <code>huge</code>"))
    }

    func testMeasurementsGetAnSWDPlotAndTheNewestValues() throws {
        let directory = try temporaryFolder(self).path
        let log = try RunLog(appendingTo: directory + "/blocks.jsonl")
        for (kimg, swd) in [(0.0, 480.0), (50, 190), (100, 131.25)] {
            let newer: [String: Double] = kimg < 100 ? [:] : ["variety_16": 0.5, "variety_16_floor": 1, "variety_32": 0.75,
                                                              "variety_32_floor": 1.25, "copies": 3, "copies_floor": 0]
            try log.append(RunLogRecord(step: Int(kimg) * 16, kimg: kimg, seconds: kimg * 25, imagesPerSecond: 0, learningRate: 0.0002,
                                        losses: [:], event: "eval",
                                        quality: ["swd": swd, "swd_floor": 17.5, "colour": swd / 100, "colour_floor": 0.25]
                                            .merging(newer) { a, _ in a }))
            try log.append(RunLogRecord(step: Int(kimg) * 16 + 1, kimg: kimg + 0.1, seconds: kimg * 25 + 4, imagesPerSecond: 40,
                                        learningRate: 0.0002, losses: ["D": 1, "G": 2]))
        }
        let entry = ReportEntry(name: "blocks", title: "Blocks", status: .trained, kimg: 100.1, secondsThisRun: 60,
                                secondsTotal: 2504, sampleGrid: nil, log: directory + "/blocks.jsonl")
        let index = try TrainingReport.write([entry], to: directory + "/report")
        XCTAssertEqual(try directoryListing(directory + "/report"), ["index.html"])
        let html = String(decoding: try POSIXFile.readAll(index), as: UTF8.self)
        XCTAssertEqual(svgElements("svg", in: html).compactMap { $0["aria-label"] }, ["Loss curves of Blocks", "SWD of Blocks along training"])
        XCTAssertEqual(svgElements("polyline", in: html).filter { $0["stroke-dasharray"] != nil }.map { $0["stroke"] }, ["#808080"])
        XCTAssertTrue(html.contains("<dt>SWD ×10³ at 100.0 kimg</dt><dd>131.2 (floor 17.5)</dd>"), html)
        XCTAssertTrue(html.contains("<dd>1.31 (floor 0.25)</dd>"))
        XCTAssertTrue(html.contains("<dt>Variety</dt><dd>16 px 0.50 (floor 1.00), 32 px 0.75 (floor 1.25)</dd>"), html)
        XCTAssertTrue(html.contains("<dt>Copies of real pictures</dt><dd>3 (floor 0)</dd>"), html)

        let plot = LinePlot(qualityOf: try RunLog.read(directory + "/blocks.jsonl").records)
        XCTAssertEqual(plot.series.map(\.name), ["SWD", "floor"])
        XCTAssertEqual(plot.series[0].points.map(\.y), [480, 190, 131.25])
        XCTAssertEqual(plot.series[1].points.map(\.x), [0, 50, 100])
    }

    func testRewritingReplacesFilesAndLeavesNoTemporaries() throws {
        let directory = try temporaryFolder(self).path
        let folder = directory + "/report"
        let entries = try makeEntries(in: directory)
        try TrainingReport.write(entries, to: folder)
        try TrainingReport.write(Array(entries.prefix(1)), to: folder)
        XCTAssertFalse(try directoryListing(folder).contains { $0.hasPrefix(".") })
        let html = String(decoding: try POSIXFile.readAll(folder + "/index.html"), as: UTF8.self)
        XCTAssertFalse(html.contains("Waves"))
    }

    func testDurationsAndFileStems() {
        XCTAssertEqual((44.6).durationText, "45 s")
        XCTAssertEqual((725).durationText, "12 min 05 s")
        XCTAssertEqual((11220).durationText, "3 h 07 min")
        XCTAssertEqual(TrainingReport.fileStem("old map/2"), "old-map-2")
        XCTAssertEqual(HTML.escape(#"<a href="x">&"#), "&lt;a href=&quot;x&quot;&gt;&amp;")
    }
}
