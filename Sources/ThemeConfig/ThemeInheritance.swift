/// `extends`: a child theme's mapping laid over its parent's. Mappings merge key by key, all the
/// way down; anything else (scalars, lists) the child gives replaces the parent's whole.
enum ThemeInheritance {
    /// Keys each theme states for itself.
    static let ownKeys: Set<String> = ["name", "extends"]

    static func merge(parent: SourceNode, child: SourceNode) -> SourceNode {
        guard var inherited = parent.entries else { return child }
        inherited.removeAll { ownKeys.contains($0.key) }
        let parent = SourceNode(content: .mapping(inherited), location: parent.location)
        return merge(parent, child, section: "")
    }

    private static func merge(_ parent: SourceNode, _ child: SourceNode, section: String) -> SourceNode {
        guard var entries = parent.entries, let overrides = child.entries else { return child }
        if switchesPlugin(parent, child, section: section) {
            let core = Set(Schema.theme.coreKeys(of: section))
            entries.removeAll { !core.contains($0.key) }
        }
        for override in overrides {
            if let index = entries.firstIndex(where: { $0.key == override.key }) {
                let keyPath = section.isEmpty ? override.key : section + "." + override.key
                entries[index] = SourceNode.Entry(
                    key: override.key, keyLocation: override.keyLocation,
                    value: merge(entries[index].value, override.value, section: keyPath))
            } else {
                entries.append(override)
            }
        }
        return SourceNode(content: .mapping(entries), location: child.location)
    }

    /// A child naming another architecture or dataset source drops the parent's parameters for the
    /// old one, which the new one would not know.
    private static func switchesPlugin(_ parent: SourceNode, _ child: SourceNode, section: String) -> Bool {
        guard let nameKey = Schema.theme.children(of: section).first(where: {
            if case .pluginName = $0.kind { return true } else { return false }
        })?.key, let childName = child[nameKey] else { return false }
        guard case .scalar(_, let new) = childName.content else { return true }
        if case .scalar(_, let old)? = parent[nameKey]?.content { return old != new }
        return true
    }
}
