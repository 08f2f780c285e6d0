import Checkpoint
import Cluster
import Foundation
import ThemeConfig

/// Every rank must train from the same theme files and generators as rank 0: a rank whose copy differs
/// (a stale per-machine copy, an edit on one machine) would train something else under the same name.
public enum FileAgreement {
    /// Each theme file's and generator file's fingerprint, by path as the themes name them ("absent"
    /// for a generator not written yet).
    public static func fingerprints(_ themes: [Theme]) -> [String: String] {
        var result: [String: String] = [:]
        for theme in themes {
            let generator = theme.checkpoint.appendingPathComponent(CheckpointFiles.generator)
            for file in [theme.file, generator] {
                let data = FileManager.default.contents(atPath: file.path)
                result[displayPath(file)] = data.map { Fingerprint(of: $0).hex } ?? "absent"
            }
        }
        return result
    }

    /// Compares this rank's fingerprints with rank 0's; throws on every rank when any rank differs,
    /// naming the files on the ranks that differ.
    public static func check(_ themes: [Theme], job: MPIJob) throws {
        let mine = fingerprints(themes)
        let leader = try JSONDecoder().decode([String: String].self,
                                              from: try job.broadcast(try JSONEncoder().encode(mine)))
        let differing = mine.keys.sorted().filter { leader[$0] != mine[$0] }
        var count = [Double(differing.isEmpty ? 0 : 1)]
        try job.sum(&count)
        guard count[0] > 0 else { return }
        if differing.isEmpty {
            throw FilesDiffer(rank: job.rank, files: [], ranks: Int(count[0]))
        }
        throw FilesDiffer(rank: job.rank, files: differing.map { ($0, mine[$0]!, leader[$0] ?? "absent") }, ranks: Int(count[0]))
    }

    static func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
    }
}

/// Some rank's theme files or generators are not rank 0's.
public struct FilesDiffer: Error, CustomStringConvertible {
    public let rank: Int
    /// This rank's differing files: path, its fingerprint, rank 0's.
    public let files: [(path: String, mine: String, leader: String)]
    /// How many ranks differ.
    public let ranks: Int

    public var description: String {
        guard !files.isEmpty else {
            return "rank \(rank): \(ranks) other rank(s) have theme files or generators that differ from rank 0's (see their messages); not starting"
        }
        return "rank \(rank): " + files.map { "\($0.path) differs from rank 0's (fingerprint \($0.mine), rank 0 has \($0.leader))" }
            .joined(separator: "; ") + "; copy rank 0's files to this machine or use a shared folder; not starting"
    }
}
