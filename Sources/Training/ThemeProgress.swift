import Checkpoint
import Foundation
import ThemeConfig

/// How far a theme has trained, read from its checkpoint folder without loading any network.
public struct ThemeProgress {
    public let theme: Theme
    /// Images seen by the newest generator file, if there is one.
    public let imagesSeen: Int?
    public let checkpointDate: Date?
    /// Why the generator file that is there cannot be read ("file: reason"), or nil.
    public let damage: String?

    public init(theme: Theme) {
        self.theme = theme
        let file = theme.checkpoint.appendingPathComponent(CheckpointFiles.generator).path
        var metadata: [String: String]?
        var damage: String?
        if FileManager.default.fileExists(atPath: file) {
            do { metadata = try SafeTensorsFile(contentsOf: file).metadata } catch { damage = "\(error)" }
        }
        self.damage = damage
        imagesSeen = metadata.flatMap { Int($0["images_seen"] ?? "") }
        checkpointDate = (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date
    }

    /// "starter panel-blocks ×2000" or "folder ../photos".
    public var datasetDescription: String {
        let d = theme.dataset
        if let path = d.path { return "\(d.source) \(path.path)" }
        let details = d.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.displayText)" }
        return ([d.source] + details).joined(separator: " ")
    }

    /// "12.3/200 kimg", "untrained", or "damaged generator".
    public var trainingDescription: String {
        if damage != nil { return "damaged generator" }
        guard let imagesSeen else { return "untrained" }
        let done = Double(imagesSeen) / 1000
        return theme.training.budget.kimg.map { String(format: "%.1f/%g kimg", done, $0) } ?? String(format: "%.1f kimg", done)
    }

    /// "3h ago", "2d ago", or "none".
    public var checkpointAge: String {
        guard let checkpointDate else { return "none" }
        let age = Date().timeIntervalSince(checkpointDate)
        if age < 3600 { return "\(Int(age / 60))m ago" }
        if age < 86_400 { return "\(Int(age / 3600))h ago" }
        return "\(Int(age / 86_400))d ago"
    }
}

extension ParameterValue {
    /// The value as a theme file would write it.
    var displayText: String {
        switch self {
        case .int(let v): return String(v)
        case .float(let v): return String(v)
        case .bool(let v): return String(v)
        case .string(let v): return v
        case .list(let values): return "[" + values.map(\.displayText).joined(separator: ", ") + "]"
        }
    }
}
