import ThemeConfig

/// Every dataset source by name; ThemeConfig validates `dataset:` sections against `declarations`.
public enum DatasetRegistry {
    public static let sources: [any DatasetSource.Type] = [FolderSource.self, StarterSource.self]

    public static var declarations: [PluginDeclaration] { sources.map { $0.declaration } }

    public static func source(named name: String) -> (any DatasetSource.Type)? {
        sources.first { $0.declaration.name == name }
    }

    /// Loads with the source `request` names, after refusing parameters it does not declare.
    /// Throws `DatasetError`.
    public static func load(_ request: DatasetRequest) throws -> Dataset {
        guard let source = source(named: request.source) else {
            throw DatasetError.unknownSource(name: request.source, known: declarations.map(\.name))
        }
        let known = source.declaration.parameters.map(\.key)
        if let key = request.parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw DatasetError.unknownParameter(source: request.source, key: key, known: known)
        }
        do {
            return try source.load(request)
        } catch let error as PluginParameterError {
            throw DatasetError.invalidParameter(source: error.plugin, key: error.key, value: error.value.description,
                                                expected: error.expected)
        }
    }
}
