import Foundation

/// What a load found, for the CLI and the training log to report.
public struct DatasetSummary: Sendable, Equatable {
    /// Where the pictures came from: "folder /photos/cats", "starter cats (2000 images, seed 1)".
    public var source: String
    public var count: Int
    /// Files that looked like pictures but could not be read, in path order.
    public var skipped: [SkippedFile]
    /// Files in the folder without a picture extension, left alone.
    public var ignored: Int
    public var cache: CacheUse
}

/// A picture file left out of a dataset, and why.
public struct SkippedFile: Sendable, Hashable, Codable {
    /// Relative to the dataset folder.
    public var path: String
    /// The decoder's error as one line, naming the file and what to do.
    public var message: String
}

/// How the decoded cache served a load.
public enum CacheUse: Sendable, Equatable {
    /// The pictures came from the cache file.
    case hit(URL)
    /// They were decoded and the cache file (re)written.
    case written(URL)
    /// They were decoded but could not be cached; the next load decodes again.
    case unwritable(URL, reason: String)
}
