import Imaging

/// Plotting a theme's `log.jsonl`.
extension LossCurvePlot {
    /// One series per loss name in `records`, "D" and "G" first, the rest by name; each coloured
    /// from a fixed palette in that order, so the same loss keeps its colour across themes.
    public init(records: [RunLogRecord], width: Int = 640, height: Int = 240) {
        let names = Set(records.flatMap(\.losses.keys)).sorted { a, b in
            let rankA = Self.leading.firstIndex(of: a) ?? Self.leading.count
            let rankB = Self.leading.firstIndex(of: b) ?? Self.leading.count
            return rankA != rankB ? rankA < rankB : a < b
        }
        let series = names.enumerated().map { index, name in
            Series(name: name,
                   points: records.compactMap { record in record.losses[name].map { (record.kimg, $0) } },
                   colour: Self.palette[index % Self.palette.count])
        }
        self.init(series: series, width: width, height: height)
    }

    private static let leading = ["D", "G"]

    /// Tableau 10: colours that stay distinct from each other on white.
    static let palette: [Image.Colour] = [
        (0.12, 0.47, 0.71), (1.00, 0.50, 0.05), (0.17, 0.63, 0.17), (0.84, 0.15, 0.16), (0.58, 0.40, 0.74),
        (0.55, 0.34, 0.29), (0.89, 0.47, 0.76), (0.50, 0.50, 0.50), (0.74, 0.74, 0.13), (0.09, 0.75, 0.81),
    ]
}
