/// The architectures and dataset sources a theme may name; the program registers the real ones,
/// tests pass a small fake.
public struct ThemeCatalog: Sendable {
    public let architectures: [ArchitectureDeclaration]
    public let datasetSources: [DatasetSourceDeclaration]
    /// Names of the valid themes a seasonal set may refer to; empty while themes themselves load.
    public var themes: [String] = []

    public init(architectures: [ArchitectureDeclaration], datasetSources: [DatasetSourceDeclaration]) {
        precondition(Set(architectures.map(\.name)).count == architectures.count, "architecture names repeat")
        precondition(Set(datasetSources.map(\.name)).count == datasetSources.count, "dataset source names repeat")
        self.architectures = architectures
        self.datasetSources = datasetSources
    }

    public func architecture(named name: String) -> ArchitectureDeclaration? {
        architectures.first { $0.name == name }
    }

    public func datasetSource(named name: String) -> DatasetSourceDeclaration? {
        datasetSources.first { $0.name == name }
    }
}
