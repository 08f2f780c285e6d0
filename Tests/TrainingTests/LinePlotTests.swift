import Foundation
import Imaging
import XCTest
@testable import Training

/// The `name` elements of `svg` as their attributes, with the text they hold under "".
func svgElements(_ name: String, in svg: String) -> [[String: String]] {
    let element = try! NSRegularExpression(pattern: "<\(name) ([^>]*?)/?>(?:([^<]*(?:<tspan[^>]*>[^<]*</tspan>)*)</\(name)>)?")
    let attribute = try! NSRegularExpression(pattern: #"([\w-]+)="([^"]*)""#)
    return element.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { match in
        let attributes = String(svg[Range(match.range(at: 1), in: svg)!])
        var result: [String: String] = [:]
        for pair in attribute.matches(in: attributes, range: NSRange(attributes.startIndex..., in: attributes)) {
            result[String(attributes[Range(pair.range(at: 1), in: attributes)!])] = String(attributes[Range(pair.range(at: 2), in: attributes)!])
        }
        if let text = Range(match.range(at: 2), in: svg) { result[""] = String(svg[text]) }
        return result
    }
}

/// A polyline's `points` attribute as (x, y) pairs.
func svgPoints(_ points: String?) -> [[Double]] {
    (points ?? "").split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
}

final class LinePlotTests: XCTestCase {
    let blue = RGB(0, 0, 1)

    /// The curves, leaving out the frame (drawn in ink).
    func curves(_ svg: String) -> [[String: String]] {
        svgElements("polyline", in: svg).filter { $0["stroke"] != LinePlot.ink }
    }

    func assertPoints(_ actual: [[Double]], _ expected: [[Double]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, "\(actual)", file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertEqual(a[0], e[0], accuracy: 0.051, "\(actual)", file: file, line: line)
            XCTAssertEqual(a[1], e[1], accuracy: 0.051, "\(actual)", file: file, line: line)
        }
    }

    /// y spans (−0.08, 1.08) after 8% padding; the plot area is x 48…626, y 24…218 (y down), so
    /// y = 0 lands at 218 − 0.08/1.16 · 194 = 204.6, y = 1 at 37.4, y = 0.5 at 121.0.
    func testPolylinePointsAreTheDataInPlotCoordinates() {
        let plot = LinePlot(series: [LinePlot.Series(name: "D", points: [(0, 0), (5, 1), (10, 0.5)], colour: blue)])
        let area = plot.plotArea
        XCTAssertTrue(area == (left: 48, top: 24, right: 626, bottom: 218))
        let svg = plot.svg(label: "D")
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"240\" viewBox=\"0 0 640 240\""))
        let curve = curves(svg)
        XCTAssertEqual(curve.count, 1)
        XCTAssertEqual(curve[0]["stroke"], "#0000ff")
        XCTAssertNil(curve[0]["stroke-dasharray"])
        assertPoints(svgPoints(curve[0]["points"]), [[48, 204.6], [337, 37.4], [626, 121]])
    }

    /// Rising from (0, 0) to (10, 1) in 101 points, at most one per column: every point lies on the
    /// line through the 1st and 99th percentiles' positions.
    func testLongSeriesKeepsOnePointPerColumnOnTheLine() {
        let points = (0...100).map { (x: Double($0) / 10, y: Double($0) / 100) }
        let curve = svgPoints(curves(LinePlot(series: [LinePlot.Series(name: "G", points: points, colour: blue)]).svg(label: ""))[0]["points"])
        XCTAssertEqual(curve.count, 101)
        let (lower, upper) = (0.01 - 0.0784, 0.99 + 0.0784)
        for (point, data) in zip(curve, points) {
            XCTAssertEqual(point[0], 48 + data.x / 10 * 578, accuracy: 0.051)
            XCTAssertEqual(point[1], 218 - (data.y - lower) / (upper - lower) * 194, accuracy: 0.051)
        }
    }

    /// x 0…10 in about 6 ticks steps by 2; y (−0.08, 1.08) in about 4 ticks steps by 0.5.
    func testTickLabelsSitAtTheirValues() {
        let svg = LinePlot(series: [LinePlot.Series(name: "D", points: [(0, 0), (5, 1), (10, 0.5)], colour: blue)]).svg(label: "")
        let texts = svgElements("text", in: svg)
        let xLabels = texts.filter { $0["text-anchor"] == "middle" }
        XCTAssertEqual(xLabels.map { $0[""] }, ["0", "2", "4", "6", "8", "10"])
        XCTAssertEqual(xLabels.map { Double($0["x"]!)! }, [48, 163.6, 279.2, 394.8, 510.4, 626])
        let yLabels = texts.filter { $0["text-anchor"] == "end" && $0["x"] == "41.0" }
        XCTAssertEqual(yLabels.map { $0[""] }, ["0.0", "0.5", "1.0"])
        for (label, value) in zip(yLabels, [0.0, 0.5, 1.0]) {
            XCTAssertEqual(Double(label["y"]!)!, 218 - (value + 0.08) / 1.16 * 194, accuracy: 0.051)
        }
        XCTAssertTrue(texts.contains { $0[""] == "kimg" }, "x axis named")
    }

    /// SWD 480, 190, 131.25 over a floor of 17.5: y spans 17.5…480 padded by 8% of 462.5, so the
    /// floor sits 37/536.5 of the way up, at y 204.6, grey and dashed across all three kimg.
    func testFloorIsAGreyDashedLineAtItsValue() {
        let records = [(0.0, 480.0), (50, 190), (100, 131.25)].map { kimg, swd in
            RunLogRecord(step: Int(kimg), kimg: kimg, seconds: 0, imagesPerSecond: 0, learningRate: 0, losses: [:],
                         event: "eval", quality: ["swd": swd, "swd_floor": 17.5])
        }
        let lines = curves(LinePlot(qualityOf: records).svg(label: "SWD"))
        XCTAssertEqual(lines.map { $0["stroke"] }, [LinePlot.palette[0].hex, "#808080"])
        XCTAssertNil(lines[0]["stroke-dasharray"])
        XCTAssertEqual(lines[1]["stroke-dasharray"], "5 4")
        assertPoints(svgPoints(lines[1]["points"]), [[48, 204.6], [337, 204.6], [626, 204.6]])
        XCTAssertEqual(svgPoints(lines[0]["points"])[0][1], 37.4, accuracy: 0.051, "480 is the top of the data range")
    }

    func testLegendNamesEachSeriesInItsColour() {
        let svg = LinePlot(series: [LinePlot.Series(name: "D", points: [(0, 1)], colour: blue),
                                    LinePlot.Series(name: "floor", points: [(0, 2)], colour: RGB(0.5, 0.5, 0.5), dashed: true)]).svg(label: "")
        XCTAssertTrue(svg.contains("""
            <text x="626.0" y="14" text-anchor="end"><tspan fill="#0000ff">━━</tspan><tspan dx="4">D</tspan>\
            <tspan dx="14" fill="#808080">╍╍</tspan><tspan dx="4">floor</tspan></text>
            """), svg)
    }

    func testMarkupInNamesAndLabelIsEscaped() {
        let svg = LinePlot(series: [LinePlot.Series(name: "<b>\"D\"&</b>", points: [(0, 1), (1, 2)], colour: blue)])
            .svg(label: "Loss curves of <script>alert(1)</script>")
        XCTAssertTrue(svg.contains("<tspan dx=\"4\">&lt;b&gt;&quot;D&quot;&amp;&lt;/b&gt;</tspan>"))
        XCTAssertTrue(svg.contains("aria-label=\"Loss curves of &lt;script&gt;alert(1)&lt;/script&gt;\""))
        XCTAssertFalse(svg.contains("<b>"))
        XCTAssertFalse(svg.contains("<script"))
    }

    /// The curves are drawn in a nested viewport the size of the plot area, which clips them.
    func testCurvesAreClippedToThePlotArea() {
        let svg = LinePlot(series: [LinePlot.Series(name: "D", points: [(0, 0), (1, 100), (2, 1)], colour: blue)]).svg(label: "")
        XCTAssertTrue(svg.contains("<svg x=\"48.0\" y=\"24.0\" width=\"578.0\" height=\"194.0\" viewBox=\"48.0 24.0 578.0 194.0\">"))
    }

    func testEmptyPlotSaysNoDataAndDrawsNoCurveOrLegend() {
        for plot in [LinePlot(records: []),
                     LinePlot(series: [LinePlot.Series(name: "D", points: [(1, .nan)], colour: blue)])] {
            let svg = plot.svg(label: "")
            XCTAssertTrue(curves(svg).isEmpty)
            XCTAssertFalse(svg.contains("<tspan"))
            XCTAssertEqual(svgElements("text", in: svg).last?[""], "No data yet")
            XCTAssertEqual(svgElements("polyline", in: svg).count, 1, "the frame")
            XCTAssertTrue(svg.hasSuffix("</svg>"))
        }
    }

    /// The spike hits three losses at the same step; each curve's 99th percentile still drops it.
    func testRobustRangeIgnoresASpikeSharedBySeveralCurves() {
        let curves = (0..<3).map { curve -> [Double] in
            var values = (0..<60).map { 0.5 + 0.5 * sin(Double($0 + 7 * curve) / 5) }
            values[30] = 20 + Double(curve)
            return values
        }
        let range = LinePlot.robustRange(curves)
        XCTAssertLessThan(range.upper, 1.1)
        XCTAssertGreaterThan(range.lower, -0.1)
        XCTAssertEqual(LinePlot.robustRange([[2], []]).lower, 1.5 - 0.08, accuracy: 1e-12)
        XCTAssertEqual(LinePlot.robustRange([]).upper, 1)
    }

    func testColumnMeansAverageThePointsInEachColumn() {
        let means = LinePlot.columnMeans([(0, 1), (0.4, 3), (1, 5), (2, .nan), (9.9, 7)], lower: 0, upper: 10, columns: 10)
        XCTAssertEqual(means.map(\.x), [0.2, 1, 9.9])
        XCTAssertEqual(means.map(\.y), [2, 5, 7])
    }

    func testRecordsBecomeOneSeriesPerLossInDisplayOrder() {
        let records = (1...3).map {
            RunLogRecord(step: $0, kimg: Double($0), seconds: 0, imagesPerSecond: 0, learningRate: 0,
                         losses: $0 == 2 ? ["G": 2, "D.real": 0.5, "D": 1] : ["G": 3, "D": 1])
        }
        let plot = LinePlot(records: records)
        XCTAssertEqual(plot.series.map(\.name), ["D", "G", "D.real"])
        XCTAssertEqual(plot.series[2].points.map(\.x), [2])
        XCTAssertEqual(plot.series[1].points.map(\.y), [3, 2, 3])
        XCTAssertEqual(plot.series[1].colour, LinePlot.palette[1])
        XCTAssertFalse(plot.series.contains(where: \.dashed))
    }

    func testAxisTicksAreRoundNumbers() {
        let ten = AxisTicks(lower: 0, upper: 10, count: 5)
        XCTAssertEqual(ten.step, 2)
        XCTAssertEqual(ten.values, [0, 2, 4, 6, 8, 10])
        XCTAssertEqual(ten.label(4), "4")
        let unit = AxisTicks(lower: 0.42, upper: 1.58, count: 4)
        XCTAssertEqual(unit.step, 0.5)
        XCTAssertEqual(unit.values, [0.5, 1, 1.5])
        XCTAssertEqual(unit.values.map(unit.label), ["0.5", "1.0", "1.5"])
        let small = AxisTicks(lower: -0.03, upper: 0.03, count: 3)
        XCTAssertEqual(small.step, 0.02, accuracy: 1e-12)
        XCTAssertEqual(small.values.map(small.label), ["-0.02", "0.00", "0.02"])
    }
}
