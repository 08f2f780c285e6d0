import Foundation
import Imaging

/// Curves by kimg as an inline `<svg>`: x is kimg, one coloured polyline per series, drawn by the
/// browser so the plot stays sharp at any size.
///
/// The y range runs from the 1st to the 99th percentile of each curve's plotted values, so one
/// divergent spike does not flatten every other curve into a line; what leaves the range is clipped.
public struct LinePlot: Sendable {
    public struct Series: Sendable {
        public var name: String
        /// (kimg, value) ascending in kimg; non-finite values are left out of the drawing.
        public var points: [(x: Double, y: Double)]
        public var colour: RGB
        /// Drawn dashed: a reference line such as the real-vs-real floor.
        public var dashed: Bool

        public init(name: String, points: [(x: Double, y: Double)], colour: RGB, dashed: Bool = false) {
            self.name = name
            self.points = points
            self.colour = colour
            self.dashed = dashed
        }
    }

    public var series: [Series]
    /// Natural size in CSS pixels, which are also the SVG's user units.
    public var width: Int
    public var height: Int

    public init(series: [Series], width: Int = 640, height: Int = 240) {
        precondition(width >= 160 && height >= 80, "LinePlot needs at least 160×80, got \(width)×\(height)")
        self.series = series
        self.width = width
        self.height = height
    }

    /// Where the data is drawn, in user units; the margins hold the legend and tick labels.
    var plotArea: (left: Double, top: Double, right: Double, bottom: Double) {
        (left: 48, top: 24, right: Double(width - 14), bottom: Double(height - 22))
    }

    static let ink = "#33343a"
    static let gridColour = "#e6e6eb"

    /// The plot as an `<svg>` element; `label` is plain text, read out in place of the picture.
    public func svg(label: String) -> String {
        let area = plotArea
        let columns = Int(area.right - area.left)
        let xRange = Self.range(series.flatMap { $0.points.map(\.x) }.filter(\.isFinite))
        let curves = series.map { Self.columnMeans($0.points, lower: xRange.lower, upper: xRange.upper, columns: columns) }
        let yRange = Self.robustRange(curves.map { $0.map(\.y) })
        func x(_ value: Double) -> String {
            Self.number(area.left + (value - xRange.lower) / (xRange.upper - xRange.lower) * (area.right - area.left))
        }
        func y(_ value: Double) -> String {
            Self.number(area.bottom - (value - yRange.lower) / (yRange.upper - yRange.lower) * (area.bottom - area.top))
        }
        let (left, top, right, bottom) = (Self.number(area.left), Self.number(area.top), Self.number(area.right), Self.number(area.bottom))
        let xTicks = AxisTicks(lower: xRange.lower, upper: xRange.upper, count: max(2, columns / 90))
        let yTicks = AxisTicks(lower: yRange.lower, upper: yRange.upper, count: max(2, Int(area.bottom - area.top) / 45))
        var svg = ["""
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            role="img" aria-label="\(HTML.escape(label))" font-size="11" fill="\(Self.ink)">
            """]
        for value in xTicks.values {
            svg.append("""
                <line x1="\(x(value))" y1="\(top)" x2="\(x(value))" y2="\(bottom)" stroke="\(Self.gridColour)"/>\
                <line x1="\(x(value))" y1="\(bottom)" x2="\(x(value))" y2="\(Self.number(area.bottom + 4))" stroke="\(Self.ink)"/>\
                <text x="\(x(value))" y="\(Self.number(area.bottom + 16))" text-anchor="middle">\(xTicks.label(value))</text>
                """)
        }
        for value in yTicks.values {
            svg.append("""
                <line x1="\(left)" y1="\(y(value))" x2="\(right)" y2="\(y(value))" stroke="\(Self.gridColour)"/>\
                <line x1="\(Self.number(area.left - 4))" y1="\(y(value))" x2="\(left)" y2="\(y(value))" stroke="\(Self.ink)"/>\
                <text x="\(Self.number(area.left - 7))" y="\(y(value))" dy="4" text-anchor="end">\(yTicks.label(value))</text>
                """)
        }
        svg.append("<polyline points=\"\(left),\(top) \(left),\(bottom) \(right),\(bottom)\" fill=\"none\" stroke=\"\(Self.ink)\"/>")
        svg.append("<text x=\"4\" y=\"\(Self.number(area.bottom + 16))\">kimg</text>")
        // A nested viewport clips what leaves the range, with no id to clash between plots on one page.
        svg.append("<svg x=\"\(left)\" y=\"\(top)\" width=\"\(Self.number(area.right - area.left))\" height=\"\(Self.number(area.bottom - area.top))\" "
            + "viewBox=\"\(left) \(top) \(Self.number(area.right - area.left)) \(Self.number(area.bottom - area.top))\">")
        for (curve, style) in zip(curves, series) where !curve.isEmpty {
            svg.append("""
                <polyline points="\(curve.map { x($0.x) + "," + y($0.y) }.joined(separator: " "))" fill="none" \
                stroke="\(style.colour.hex)" stroke-width="1.6" stroke-linejoin="round"\(style.dashed ? " stroke-dasharray=\"5 4\"" : "")/>
                """)
        }
        svg.append("</svg>")
        if curves.allSatisfy(\.isEmpty) {
            svg.append("""
                <text x="\(Self.number((area.left + area.right) / 2))" y="\(Self.number((area.top + area.bottom) / 2))" \
                text-anchor="middle" font-size="16" fill="#8a8d94">No data yet</text>
                """)
        } else {
            // One text element, so the browser lays the entries out by their real widths.
            let entries = series.enumerated().map { index, style in
                "<tspan\(index == 0 ? "" : " dx=\"14\"") fill=\"\(style.colour.hex)\">\(style.dashed ? "╍╍" : "━━")</tspan>"
                    + "<tspan dx=\"4\">\(HTML.escape(style.name))</tspan>"
            }
            svg.append("<text x=\"\(right)\" y=\"14\" text-anchor=\"end\">\(entries.joined())</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// A coordinate with one decimal: a tenth of a CSS pixel is below what a screen shows.
    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// One point per column of the plot area, the mean of the finite points falling in it: a long
    /// noisy log becomes a readable curve and the page stays small however many steps were logged.
    static func columnMeans(_ points: [(x: Double, y: Double)], lower: Double, upper: Double, columns: Int) -> [(x: Double, y: Double)] {
        var sums: [Int: (x: Double, y: Double, n: Double)] = [:]
        for point in points where point.x.isFinite && point.y.isFinite {
            let column = min(columns - 1, max(0, Int((point.x - lower) / (upper - lower) * Double(columns))))
            let sum = sums[column] ?? (0, 0, 0)
            sums[column] = (sum.x + point.x, sum.y + point.y, sum.n + 1)
        }
        return sums.keys.sorted().map { let s = sums[$0]!; return (s.x / s.n, s.y / s.n) }
    }

    /// Smallest to largest value, widened to a unit span when empty or a single value.
    static func range(_ values: [Double]) -> (lower: Double, upper: Double) {
        guard let lower = values.min(), let upper = values.max() else { return (0, 1) }
        return lower < upper ? (lower, upper) : (lower - 0.5, upper + 0.5)
    }

    /// From the lowest 1st to the highest 99th percentile (nearest rank) of each curve's values,
    /// with 8% headroom on each side. Per curve, so a spike shared by several losses at one step
    /// is still cut off.
    static func robustRange(_ curves: [[Double]]) -> (lower: Double, upper: Double) {
        let bounds = curves.filter { !$0.isEmpty }.map { values in
            let sorted = values.sorted()
            let rank = { (p: Double) in sorted[Int((p * Double(sorted.count - 1)).rounded())] }
            return (rank(0.01), rank(0.99))
        }
        guard !bounds.isEmpty else { return (0, 1) }
        let (lower, upper) = range(bounds.map(\.0) + bounds.map(\.1))
        let pad = 0.08 * (upper - lower)
        return (lower - pad, upper + pad)
    }
}
