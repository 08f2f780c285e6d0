/// The architectures and dataset sources a theme may name; the program registers the real ones,
/// tests pass a small fake.
public struct ThemeCatalog: Sendable {
    /// Each with role `.architecture`.
    public let architectures: [PluginDeclaration]
    /// Each with role `.datasetSource`.
    public let datasetSources: [PluginDeclaration]
    /// Names of the valid themes a seasonal set may refer to; empty while themes themselves load.
    public var themes: [String] = []

    public init(architectures: [PluginDeclaration], datasetSources: [PluginDeclaration]) {
        for (plugins, section) in [(architectures, "architecture"), (datasetSources, "dataset")] {
            precondition(Set(plugins.map(\.name)).count == plugins.count, "\(section) plugin names repeat")
            precondition(plugins.allSatisfy { $0.role.section == section }, "a \(section) plugin of another role")
        }
        self.architectures = architectures
        self.datasetSources = datasetSources
    }

    public func architecture(named name: String) -> PluginDeclaration? {
        architectures.first { $0.name == name }
    }

    public func datasetSource(named name: String) -> PluginDeclaration? {
        datasetSources.first { $0.name == name }
    }
}
