import Evaluation
import Foundation
import Imaging

/// The report's markup: a summary table linking to one section per theme, with inline CSS so the
/// page is a single file that opens from disk.
extension TrainingReport {
    static func html(_ sections: [Section], generated: Date) -> String {
        let stamp = DateFormatter()
        stamp.dateFormat = "yyyy-MM-dd HH:mm"
        let thisRun = sections.reduce(0) { $0 + $1.entry.secondsThisRun }
        return HTML.page(title: "Neurossia training report", stylesheet: stylesheet, body: """
            <header>
            <h1>Neurossia training report</h1>
            <p class="meta">\(HTML.escape(stamp.string(from: generated))) · \(sections.count) theme\(sections.count == 1 ? "" : "s") · \(thisRun.durationText) trained this run</p>
            </header>
            \(summary(sections))
            \(sections.map(section).joined(separator: "\n"))
            """)
    }

    private static func summary(_ sections: [Section]) -> String {
        let rows = sections.map { section in
            let entry = section.entry
            return """
            <tr><td><a href="#\(fileStem(entry.name))">\(HTML.escape(entry.title))</a></td><td>\(badge(entry.status))</td>\
            <td class="num">\(kimg(entry.kimg))</td><td class="num">\(entry.secondsThisRun.durationText)</td>\
            <td class="num">\(entry.secondsTotal.durationText)</td></tr>
            """
        }
        return """
        <table class="summary">
        <thead><tr><th>Theme</th><th>Status</th><th class="num">Images seen</th><th class="num">This run</th><th class="num">Total</th></tr></thead>
        <tbody>
        \(rows.joined(separator: "\n"))
        </tbody>
        </table>
        """
    }

    private static func section(_ section: Section) -> String {
        let entry = section.entry
        var notes: [String] = []
        if case .failed(let reason) = entry.status { notes.append("<p class=\"failure\">\(HTML.escape(reason))</p>") }
        if section.skippedLogLines > 0 {
            notes.append("<p class=\"note\">\(section.skippedLogLines) unreadable log line\(section.skippedLogLines == 1 ? "" : "s") skipped.</p>")
        }
        let samples = section.sampleGrid.map { figure($0, alt: "Latest samples of \(entry.title)", caption: "Latest samples") }
            ?? "<figure class=\"empty\"><div>No samples yet</div><figcaption>Latest samples</figcaption></figure>"
        let curve = figure(section.lossCurve, label: "Loss curves of \(entry.title)", caption: "Losses by kimg")
        let qualityCurve = section.qualityCurve.map {
            figure($0, label: "SWD of \(entry.title) along training", caption: "SWD ×10³ by kimg (grey: real-vs-real floor)")
        }
        return """
        <section id="\(fileStem(entry.name))">
        <h2>\(HTML.escape(entry.title)) <code>\(HTML.escape(entry.name))</code> \(badge(entry.status))</h2>
        \(notes.joined(separator: "\n"))
        <dl>
        <div><dt>Images seen</dt><dd>\(kimg(entry.kimg))</dd></div>
        <div><dt>This run</dt><dd>\(entry.secondsThisRun.durationText)</dd></div>
        <div><dt>Total</dt><dd>\(entry.secondsTotal.durationText)</dd></div>
        \(section.lastLosses.map(lossFacts) ?? "")
        \(section.lastQuality.map(qualityFacts) ?? "")
        </dl>
        <div class="figures">
        \(samples)
        \(curve)
        \(qualityCurve ?? "")
        </div>
        </section>
        """
    }

    /// The newest losses in display order, with the step they are from.
    private static func lossFacts(_ record: RunLogRecord) -> String {
        let names = RunLogRecord.displayOrder(record.losses.keys)
        let values = names.map { "<span><b>\(HTML.escape($0))</b> \(number(record.losses[$0]!))</span>" }
        return "<div class=\"losses\"><dt>Last losses (step \(record.step))</dt><dd>\(values.joined(separator: " "))</dd></div>"
    }

    /// The newest measurement, each distance with its floor.
    private static func qualityFacts(_ record: RunLogRecord) -> String {
        let q = record.quality ?? [:]
        func pair(_ key: String, _ format: String) -> String {
            let floor = q[key + "_floor"].map { " (floor " + String(format: format, $0) + ")" } ?? ""
            return q[key].map { String(format: format, $0) + floor } ?? "–"
        }
        let variety = VarietyRatio.sizes.filter { q["variety_\($0)"] != nil }.map { "\($0) px " + pair("variety_\($0)", "%.2f") }
        return "<div><dt>SWD ×10³ at \(kimg(record.kimg))</dt><dd>\(pair("swd", "%.1f"))</dd></div>"
            + "<div><dt>Colour distance</dt><dd>\(pair("colour", "%.2f"))</dd></div>"
            + (variety.isEmpty ? "" : "<div><dt>Variety</dt><dd>\(variety.joined(separator: ", "))</dd></div>")
            + (q["copies"] == nil ? "" : "<div><dt>Copies of real pictures</dt><dd>\(pair("copies", "%.0f"))</dd></div>")
    }

    /// A thumbnail that opens the full-size image.
    private static func figure(_ file: String, alt: String, caption: String) -> String {
        "<figure><a href=\"\(file)\"><img src=\"\(file)\" alt=\"\(HTML.escape(alt))\"></a><figcaption>\(caption)</figcaption></figure>"
    }

    /// A plot drawn inline; `label` is plain text.
    private static func figure(_ plot: LinePlot, label: String, caption: String) -> String {
        "<figure>\(plot.svg(label: label))<figcaption>\(caption)</figcaption></figure>"
    }

    private static func badge(_ status: ReportEntry.Status) -> String {
        switch status {
        case .notStarted: return "<span class=\"badge waiting\">not started</span>"
        case .trained: return "<span class=\"badge trained\">trained</span>"
        case .finished: return "<span class=\"badge finished\">finished</span>"
        case .failed: return "<span class=\"badge failed\">failed</span>"
        }
    }


    private static func kimg(_ value: Double) -> String { String(format: "%.1f kimg", value) }

    private static func number(_ value: Double) -> String { value.isFinite ? String(format: "%.3f", value) : "\(value)" }

    private static let stylesheet = """
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1f24; background: #f6f6f4; margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; }
    h1 { font-size: 26px; margin: 0; }
    .meta { color: #666a73; margin: 4px 0 20px; }
    table.summary { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #e1e1dc; border-radius: 8px; overflow: hidden; margin-bottom: 28px; }
    .summary th, .summary td { padding: 8px 14px; text-align: left; border-bottom: 1px solid #ecece8; }
    .summary th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #666a73; background: #fafaf8; }
    .summary tr:last-child td { border-bottom: none; }
    .num { text-align: right !important; font-variant-numeric: tabular-nums; }
    a { color: #1f5fa8; text-decoration: none; }
    a:hover { text-decoration: underline; }
    section { background: #fff; border: 1px solid #e1e1dc; border-radius: 10px; padding: 18px 22px 20px; margin-bottom: 22px; }
    h2 { font-size: 20px; margin: 0 0 10px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
    h2 code { font-size: 13px; font-weight: normal; color: #666a73; background: #f1f1ee; padding: 1px 6px; border-radius: 4px; }
    .badge { font-size: 12px; font-weight: 600; padding: 2px 9px; border-radius: 999px; }
    .badge.waiting { background: #eeeeee; color: #555555; }
    .badge.trained { background: #e3edf9; color: #1f5fa8; }
    .badge.finished { background: #e2f3e5; color: #1f7a35; }
    .badge.failed { background: #fbe4e2; color: #b3261e; }
    .failure { color: #b3261e; background: #fdf3f2; border-left: 3px solid #b3261e; padding: 6px 10px; margin: 0 0 12px; }
    .note { color: #8a6100; margin: 0 0 12px; }
    dl { display: flex; flex-wrap: wrap; gap: 8px 32px; margin: 0 0 16px; }
    dt { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #666a73; }
    dd { margin: 0; font-variant-numeric: tabular-nums; }
    .losses dd span { margin-right: 12px; white-space: nowrap; }
    .losses b { font-weight: 600; color: #444850; }
    .figures { display: flex; gap: 18px; flex-wrap: wrap; align-items: flex-start; }
    figure { margin: 0; }
    figure img, figure svg { display: block; max-width: 100%; border: 1px solid #e1e1dc; border-radius: 6px; background: #fff; }
    figure img { height: 240px; }
    figure svg { height: auto; }
    figure.empty div { width: 240px; height: 240px; display: flex; align-items: center; justify-content: center; color: #8a8d94; background: #f4f4f1; border: 1px dashed #d0d0ca; border-radius: 6px; }
    figcaption { font-size: 12px; color: #666a73; margin-top: 5px; }
    """
}
