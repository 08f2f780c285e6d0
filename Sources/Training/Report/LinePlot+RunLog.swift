import Imaging

/// Plotting a theme's `log.jsonl`.
extension LinePlot {
    /// One series per loss name in `records`, in `RunLogRecord.displayOrder`, coloured from a fixed
    /// palette in that order, so themes with the same losses colour them alike.
    public init(records: [RunLogRecord], width: Int = 640, height: Int = 240) {
        let names = RunLogRecord.displayOrder(records.flatMap(\.losses.keys))
        let series = names.enumerated().map { index, name in
            Series(name: name,
                   points: records.compactMap { record in record.losses[name].map { (record.kimg, $0) } },
                   colour: Self.palette[index % Self.palette.count])
        }
        self.init(series: series, width: width, height: height)
    }

    /// SWD ×10³ of the "eval" lines in `records` by kimg, with its real-vs-real floor dashed in grey below.
    public init(qualityOf records: [RunLogRecord], width: Int = 640, height: Int = 240) {
        let measured = records.compactMap { record in record.quality.map { (kimg: record.kimg, quality: $0) } }
        func points(_ key: String) -> [(x: Double, y: Double)] {
            measured.compactMap { point in point.quality[key].map { (point.kimg, $0) } }
        }
        self.init(series: [Series(name: "SWD", points: points("swd"), colour: Self.palette[0]),
                           Series(name: "floor", points: points("swd_floor"), colour: Self.palette[7], dashed: true)],
                  width: width, height: height)
    }

    /// Tableau 10: colours that stay distinct from each other on white.
    static let palette: [RGB] = [
        RGB(0.12, 0.47, 0.71), RGB(1.00, 0.50, 0.05), RGB(0.17, 0.63, 0.17), RGB(0.84, 0.15, 0.16), RGB(0.58, 0.40, 0.74),
        RGB(0.55, 0.34, 0.29), RGB(0.89, 0.47, 0.76), RGB(0.50, 0.50, 0.50), RGB(0.74, 0.74, 0.13), RGB(0.09, 0.75, 0.81),
    ]
}
