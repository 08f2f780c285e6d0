import Imaging
import XCTest
@testable import Training

final class LossCurvePlotTests: XCTestCase {
    let blue = RGB(0, 0, 1)

    func colour(_ image: Image, x: Int, y: Int) -> [Float] {
        (0..<3).map { image[$0, y, x] }
    }

    func assertColour(_ image: Image, x: Int, y: Int, _ expected: [Float], accuracy: Float = 0.03, file: StaticString = #filePath, line: UInt = #line) {
        let actual = colour(image, x: x, y: y)
        for c in 0..<3 { XCTAssertEqual(actual[c], expected[c], accuracy: accuracy, "(\(x), \(y)) is \(actual)", file: file, line: line) }
    }

    /// A flat series has a degenerate range, widened to ±0.5 and padded by 8%: (0.42, 1.58), so
    /// y = 1 sits half way up the plot area (rows 8...220), on row boundary 114. The 1.6 px stroke
    /// covers rows 113 and 114 by 80% each and leaves rows 111 and 116 alone.
    func testHorizontalLineLandsOnItsRowInItsColour() {
        let points = stride(from: 0.0, through: 10, by: 0.5).map { (x: $0, y: 1.0) }
        let image = LossCurvePlot(series: [LossCurvePlot.Series(name: "D", points: points, colour: blue)]).render()
        XCTAssertEqual(image.width, 640)
        XCTAssertEqual(image.height, 240)
        for x in [60, 200, 333, 500] {
            for y in [113, 114] { assertColour(image, x: x, y: y, [0.2, 0.2, 1], accuracy: 0.05) }
            for y in [111, 116] { XCTAssertEqual(colour(image, x: x, y: y)[0], 1, accuracy: 0.11, "(\(x), \(y))") }
        }
        XCTAssertEqual(colour(image, x: 30, y: 114)[2], colour(image, x: 30, y: 114)[0], "no curve left of the y axis")
    }

    /// Rising from (0, 0) to (10, 1) in 101 points: the 1st and 99th percentiles are 0.01 and 0.99,
    /// padded by 8% of 0.98. The darkest pixel of each column is where the line crosses it.
    func testDiagonalLineFollowsTheData() {
        let points = (0...100).map { (x: Double($0) / 10, y: Double($0) / 100) }
        let plot = LossCurvePlot(series: [LossCurvePlot.Series(name: "G", points: points, colour: blue)])
        let image = plot.render()
        let area = plot.plotArea
        let (lower, upper) = (0.01 - 0.0784, 0.99 + 0.0784)
        for x in [100, 250, 400] {
            let expected = Double(area.bottom) - ((Double(x) + 0.5 - Double(area.left)) / Double(area.right - area.left) - lower) / (upper - lower) * Double(area.bottom - area.top)
            let darkest = (area.top..<area.bottom).min { colour(image, x: x, y: $0)[0] < colour(image, x: x, y: $1)[0] }!
            XCTAssertEqual(Double(darkest) + 0.5, expected, accuracy: 0.75, "column \(x)")
        }
    }

    /// The spike hits three losses at the same step; each curve's 99th percentile still drops it.
    func testRobustRangeIgnoresASpikeSharedBySeveralCurves() {
        let curves = (0..<3).map { curve -> [Double] in
            var values = (0..<60).map { 0.5 + 0.5 * sin(Double($0 + 7 * curve) / 5) }
            values[30] = 20 + Double(curve)
            return values
        }
        let range = LossCurvePlot.robustRange(curves)
        XCTAssertLessThan(range.upper, 1.1)
        XCTAssertGreaterThan(range.lower, -0.1)
        XCTAssertEqual(LossCurvePlot.robustRange([[2], []]).lower, 1.5 - 0.08, accuracy: 1e-12)
        XCTAssertEqual(LossCurvePlot.robustRange([]).upper, 1)
    }

    func testColumnMeansAverageThePointsInEachPixelColumn() {
        let means = LossCurvePlot.columnMeans([(0, 1), (0.4, 3), (1, 5), (2, .nan), (9.9, 7)], lower: 0, upper: 10, columns: 10)
        XCTAssertEqual(means.map(\.x), [0.2, 1, 9.9])
        XCTAssertEqual(means.map(\.y), [2, 5, 7])
    }

    func testEmptyPlotDrawsFrameAndNoDataMessage() {
        for plot in [LossCurvePlot(records: []),
                     LossCurvePlot(series: [LossCurvePlot.Series(name: "D", points: [(1, .nan)], colour: blue)])] {
            let image = plot.render()
            XCTAssertEqual(image.width, 640)
            let plane = image.width * image.height
            let blueish = (0..<plane).filter { image.pixels[2 * plane + $0] > image.pixels[$0] + 0.2 }
            XCTAssertTrue(blueish.isEmpty, "no curve drawn")
            let inked = (0..<plane).filter { image.pixels[$0] < 0.3 }.count
            XCTAssertGreaterThan(inked, 500, "frame and message")
        }
    }

    func testRecordsBecomeOneSeriesPerLossInDisplayOrder() {
        let records = (1...3).map {
            RunLogRecord(step: $0, kimg: Double($0), seconds: 0, imagesPerSecond: 0, learningRate: 0,
                         losses: $0 == 2 ? ["G": 2, "D.real": 0.5, "D": 1] : ["G": 3, "D": 1])
        }
        let plot = LossCurvePlot(records: records)
        XCTAssertEqual(plot.series.map(\.name), ["D", "G", "D.real"])
        XCTAssertEqual(plot.series[2].points.map(\.x), [2])
        XCTAssertEqual(plot.series[1].points.map(\.y), [3, 2, 3])
        XCTAssertEqual(plot.series[1].colour.g, LossCurvePlot.palette[1].g)
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

    func testBitmapFontDrawsTheGlyphPixels() {
        var image = Image(width: 20, height: 10, fill: RGB.white)
        BitmapFont.draw("1", into: &image, x: 3, y: 1, colour: .black)
        XCTAssertEqual(image[0, 1, 5], 0, "top of the stem")
        XCTAssertEqual(image[0, 1, 3], 1)
        XCTAssertEqual((3..<8).map { image[0, 7, $0] }, [1, 0, 0, 0, 1], "foot")
        let inked = (0..<200).filter { image.pixels[$0] == 0 }.count
        XCTAssertEqual(inked, 10)
        XCTAssertEqual(BitmapFont.width(of: "AB"), 11)
        XCTAssertEqual(BitmapFont.width(of: "AB", scale: 2), 22)
    }
}
