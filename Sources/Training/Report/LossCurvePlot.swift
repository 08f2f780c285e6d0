import Foundation
import Imaging

/// Loss curves as a picture: x is kimg, y is loss, one coloured polyline per series.
///
/// The y range runs from the 1st to the 99th percentile of each curve's plotted values, so one
/// divergent spike does not flatten every other curve into a line; what leaves the range is clipped.
public struct LossCurvePlot: Sendable {
    public struct Series: Sendable {
        public var name: String
        /// (kimg, loss) ascending in kimg; non-finite losses are left out of the drawing.
        public var points: [(x: Double, y: Double)]
        public var colour: RGB

        public init(name: String, points: [(x: Double, y: Double)], colour: RGB) {
            self.name = name
            self.points = points
            self.colour = colour
        }
    }

    public var series: [Series]
    /// Picture size in pixels.
    public var width: Int
    public var height: Int

    public init(series: [Series], width: Int = 640, height: Int = 240) {
        precondition(width >= 160 && height >= 80, "LossCurvePlot needs at least 160×80 pixels, got \(width)×\(height)")
        self.series = series
        self.width = width
        self.height = height
    }

    /// Pixel area the data is drawn in; the margins hold tick labels.
    var plotArea: (left: Int, top: Int, right: Int, bottom: Int) {
        (left: 44, top: 8, right: width - 12, bottom: height - 20)
    }

    static let ink = RGB(0.2, 0.2, 0.22)
    static let gridColour = RGB(0.9, 0.9, 0.92)
    /// Half the stroke width of a curve, in pixels.
    static let lineRadius = 0.8

    public func render() -> Image {
        var image = Image(width: width, height: height, fill: RGB.white)
        let area = plotArea
        let columns = Double(area.right - area.left)
        let xRange = Self.range(series.flatMap { $0.points.map(\.x) }.filter(\.isFinite))
        let curves = series.map { Self.columnMeans($0.points, lower: xRange.lower, upper: xRange.upper, columns: Int(columns)) }
        let yRange = Self.robustRange(curves.map { $0.map(\.y) })
        let toPixel = { (point: (x: Double, y: Double)) -> (x: Double, y: Double) in
            (Double(area.left) + (point.x - xRange.lower) / (xRange.upper - xRange.lower) * columns,
             Double(area.bottom) - (point.y - yRange.lower) / (yRange.upper - yRange.lower) * Double(area.bottom - area.top))
        }
        let xTicks = AxisTicks(lower: xRange.lower, upper: xRange.upper, count: max(2, Int(columns) / 90))
        let yTicks = AxisTicks(lower: yRange.lower, upper: yRange.upper, count: max(2, (area.bottom - area.top) / 45))
        drawGrid(into: &image, xTicks: xTicks, yTicks: yTicks, toPixel: toPixel)
        for (curve, style) in zip(curves, series) {
            Self.stroke(curve.map(toPixel), colour: style.colour, into: &image, clip: area)
        }
        if curves.allSatisfy(\.isEmpty) {
            let text = "NO DATA YET"
            BitmapFont.draw(text, into: &image, x: (area.left + area.right - BitmapFont.width(of: text, scale: 2)) / 2,
                            y: (area.top + area.bottom) / 2 - BitmapFont.glyphHeight, colour: Self.ink, scale: 2)
        } else {
            drawLegend(into: &image)
        }
        return image
    }

    /// Light grid lines at the ticks, the frame, short tick marks outside it and their labels.
    private func drawGrid(into image: inout Image, xTicks: AxisTicks, yTicks: AxisTicks,
                          toPixel: ((x: Double, y: Double)) -> (x: Double, y: Double)) {
        let area = plotArea
        let tick = 4
        for value in xTicks.values {
            let x = Int(toPixel((value, 0)).x.rounded(.down))
            image.fill(x: x, y: area.top, width: 1, height: area.bottom - area.top, colour: Self.gridColour)
            image.fill(x: x, y: area.bottom, width: 1, height: tick, colour: Self.ink)
            let label = xTicks.label(value)
            let left = min(max(0, x - BitmapFont.width(of: label) / 2), width - BitmapFont.width(of: label))
            BitmapFont.draw(label, into: &image, x: left, y: area.bottom + tick + 3, colour: Self.ink)
        }
        for value in yTicks.values {
            let y = Int(toPixel((0, value)).y.rounded(.down))
            image.fill(x: area.left, y: y, width: area.right - area.left, height: 1, colour: Self.gridColour)
            image.fill(x: area.left - tick, y: y, width: tick, height: 1, colour: Self.ink)
            let label = yTicks.label(value)
            BitmapFont.draw(label, into: &image, x: area.left - tick - 3 - BitmapFont.width(of: label),
                            y: y - BitmapFont.glyphHeight / 2, colour: Self.ink)
        }
        image.fill(x: area.left, y: area.top, width: 1, height: area.bottom - area.top + 1, colour: Self.ink)
        image.fill(x: area.left, y: area.bottom, width: area.right - area.left + 1, height: 1, colour: Self.ink)
        BitmapFont.draw("KIMG", into: &image, x: 2, y: area.bottom + tick + 3, colour: Self.ink)
    }

    /// A swatch and name per series in a boxed row at the plot's top right.
    private func drawLegend(into image: inout Image) {
        let area = plotArea
        let swatch = 8, gap = 4, spacing = 10
        let widths = series.map { swatch + gap + BitmapFont.width(of: $0.name) }
        let boxWidth = widths.reduce(0, +) + spacing * (series.count - 1) + 2 * gap
        let boxHeight = BitmapFont.glyphHeight + 2 * gap
        var x = area.right - 4 - boxWidth
        let y = area.top + 4
        image.fill(x: x - 1, y: y - 1, width: boxWidth + 2, height: boxHeight + 2, colour: Self.gridColour)
        image.fill(x: x, y: y, width: boxWidth, height: boxHeight, colour: RGB.white)
        x += gap
        for (entry, entryWidth) in zip(series, widths) {
            image.fill(x: x, y: y + gap, width: swatch, height: BitmapFont.glyphHeight, colour: entry.colour)
            BitmapFont.draw(entry.name, into: &image, x: x + swatch + gap, y: y + gap, colour: Self.ink)
            x += entryWidth + spacing
        }
    }

    /// Draws the polyline through `points` (pixel coordinates) with soft edges: each pixel takes the
    /// colour in proportion to how far inside the stroke its centre lies, joints counted once.
    static func stroke(_ points: [(x: Double, y: Double)], colour: RGB, into image: inout Image,
                       clip: (left: Int, top: Int, right: Int, bottom: Int)) {
        guard let first = points.first else { return }
        let segments = points.count == 1 ? [(first, first)] : Array(zip(points, points.dropFirst()))
        var coverage: [Int: Float] = [:]
        let reach = lineRadius + 1
        for (a, b) in segments {
            let left = max(clip.left, Int((min(a.x, b.x) - reach).rounded(.down)))
            let right = min(clip.right, Int((max(a.x, b.x) + reach).rounded(.up)))
            let top = max(clip.top, Int((min(a.y, b.y) - reach).rounded(.down)))
            let bottom = min(clip.bottom, Int((max(a.y, b.y) + reach).rounded(.up)))
            guard left <= right && top <= bottom else { continue }
            for y in top...bottom {
                for x in left...right {
                    let d = distance(from: (Double(x) + 0.5, Double(y) + 0.5), toSegment: a, b)
                    let alpha = Float(min(1, max(0, lineRadius + 0.5 - d)))
                    if alpha > 0 { coverage[y * image.width + x] = max(coverage[y * image.width + x] ?? 0, alpha) }
                }
            }
        }
        for (index, alpha) in coverage {
            image.blend(x: index % image.width, y: index / image.width, colour: colour, alpha: alpha)
        }
    }

    static func distance(from p: (Double, Double), toSegment a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared == 0 ? 0 : min(1, max(0, ((p.0 - a.x) * dx + (p.1 - a.y) * dy) / lengthSquared))
        return hypot(p.0 - (a.x + t * dx), p.1 - (a.y + t * dy))
    }

    /// One point per pixel column, the mean of the finite points falling in it: a long noisy log
    /// becomes a readable curve and drawing costs the same however many steps were logged.
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
