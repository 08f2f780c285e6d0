import Foundation

extension Theme {
    /// The resolved theme as JSON with sorted keys and paths relative to the repository root,
    /// so the same settings give the same bytes on any machine. The file's own location is left out.
    public func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let root = repositoryRoot
        guard let data = try? encoder.encode(self),
              var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            preconditionFailure("a Theme always encodes to a JSON object")
        }
        object["file"] = nil
        object["checkpoint"] = displayPath(of: checkpoint, relativeTo: root)
        if var dataset = object["dataset"] as? [String: Any] {
            dataset["path"] = self.dataset.path.map { displayPath(of: $0, relativeTo: root) }
            object["dataset"] = dataset
        }
        guard let canonical = try? JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            preconditionFailure("a decoded JSON object always re-encodes")
        }
        return canonical
    }

    /// 64-bit FNV-1a of `canonicalJSON()` as 16 hex digits: checkpoints record it to tell whether
    /// the theme changed since they were trained.
    public var contentHash: String { Fingerprint(of: canonicalJSON()).hex }
}
