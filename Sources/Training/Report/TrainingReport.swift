import Checkpoint
import Foundation

/// The page a person opens in the morning: per theme, its status, time, losses, latest samples,
/// loss curves and SWD along the run, as `index.html` with the plots inline and the sample grids
/// beside it in one folder.
///
/// Every file is written atomically, so a browser open on the report during training never sees
/// a torn image; the grids are copies, so the report stays as it was while training continues.
public enum TrainingReport {
    /// One theme's facts, its plots, and its sample grid relative to the report folder.
    struct Section {
        var entry: ReportEntry
        var lossCurve: LinePlot
        /// SWD along the run; nil when the log has no measurements.
        var qualityCurve: LinePlot?
        var sampleGrid: String?
        /// The newest log line that carries losses.
        var lastLosses: RunLogRecord?
        /// The newest log line that carries a measurement.
        var lastQuality: RunLogRecord?
        /// Log lines that could not be read (a cut-off last line, usually).
        var skippedLogLines: Int
    }

    /// Writes `<folder>/index.html` and `<folder>/<name>-samples.<ext>` for each entry that has a
    /// grid, creating `folder` if needed, and returns the path of `index.html`.
    @discardableResult
    public static func write(_ entries: [ReportEntry], to folder: String, generated: Date = Date()) throws -> String {
        try makeFolder(folder)
        var sections: [Section] = []
        for entry in entries {
            let log = try readLog(entry.log)
            let lastQuality = log.records.last { $0.quality != nil }
            sections.append(Section(entry: entry, lossCurve: LinePlot(records: log.records),
                                    qualityCurve: lastQuality.map { _ in LinePlot(qualityOf: log.records) },
                                    sampleGrid: try copySampleGrid(entry.sampleGrid, stem: fileStem(entry.name), into: folder),
                                    lastLosses: log.records.last { !$0.losses.isEmpty },
                                    lastQuality: lastQuality,
                                    skippedLogLines: log.skippedLines))
        }
        let index = folder + "/index.html"
        try AtomicFile.write(Array(html(sections, generated: generated).utf8), to: index)
        return index
    }

    /// `name` with anything but letters, digits, dots, dashes and underscores replaced by a dash,
    /// so it is safe both as a file name and inside an unescaped link.
    static func fileStem(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
    }

    /// A theme that has not logged yet has an empty log rather than an error.
    private static func readLog(_ path: String) throws -> (records: [RunLogRecord], skippedLines: Int) {
        do {
            return try RunLog.read(path)
        } catch let error as FileError where error.isNotFound {
            return ([], 0)
        }
    }

    /// Copies the grid as `<stem>-samples.<its extension>`; nil when there is none yet.
    private static func copySampleGrid(_ path: String?, stem: String, into folder: String) throws -> String? {
        guard let path else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try POSIXFile.readAll(path)
        } catch let error as FileError where error.isNotFound {
            return nil
        }
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        let name = stem + "-samples." + (ext.isEmpty ? "png" : fileStem(ext))
        try AtomicFile.write(bytes, to: folder + "/" + name)
        return name
    }

    /// `mkdir -p`: creates `folder` and any missing parents.
    private static func makeFolder(_ folder: String) throws {
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for component in folder.split(separator: "/") {
            prefix += component + "/"
            guard mkdir(prefix, 0o755) == 0 || errno == EEXIST else {
                throw FileError(path: prefix, operation: "mkdir", errno: errno)
            }
        }
    }
}
