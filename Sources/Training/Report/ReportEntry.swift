/// What the training report shows for one theme, gathered by the trainer at the end of a run.
public struct ReportEntry: Sendable, Equatable {
    public enum Status: Equatable, Sendable {
        /// Has never trained (no log yet).
        case notStarted
        /// Trained this run and has budget left.
        case trained
        /// Reached its budget.
        case finished
        /// Could not train; the reason is shown.
        case failed(reason: String)
    }

    /// The theme's name (its YAML file's stem); also names its files in the report folder.
    public var name: String
    /// The theme's title, cut to `titleLimit` characters with an ellipsis: it comes from YAML and
    /// appears several times on the page, so a runaway title must not make the page runaway too.
    public private(set) var title: String
    public var status: Status
    /// Thousands of real images shown to the discriminator, all runs together.
    public var kimg: Double
    /// Wall time trained in this run, in seconds.
    public var secondsThisRun: Double
    /// Wall time trained over all runs, in seconds.
    public var secondsTotal: Double
    /// The latest sample grid (PNG or JPEG), if one has been written.
    public var sampleGrid: String?
    /// The theme's `log.jsonl`; it need not exist yet.
    public var log: String

    public init(name: String, title: String, status: Status, kimg: Double, secondsThisRun: Double,
                secondsTotal: Double, sampleGrid: String?, log: String) {
        self.name = name
        self.title = title.prefix(Self.titleLimit + 1).count > Self.titleLimit ? title.prefix(Self.titleLimit - 1) + "…" : title
        self.status = status
        self.kimg = kimg
        self.secondsThisRun = secondsThisRun
        self.secondsTotal = secondsTotal
        self.sampleGrid = sampleGrid
        self.log = log
    }

    /// Longest title shown, in characters.
    static let titleLimit = 200
}
