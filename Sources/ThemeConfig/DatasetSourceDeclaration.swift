/// What ThemeConfig must know about a dataset source (a folder of photos, a built-in renderer…)
/// to validate a theme's `dataset:` section.
public struct DatasetSourceDeclaration: Sendable, Hashable {
    public let name: String
    /// Sources reading files need `dataset.path`, and the folder must exist.
    public let needsPath: Bool
    /// Keys read from the `dataset:` section besides the core ones (`source`, `path`, `resolution`…).
    public let parameters: [ParameterSpec]
    public let summary: String

    public init(name: String, needsPath: Bool, parameters: [ParameterSpec], summary: String) {
        precondition(!parameters.contains { Schema.theme.coreKeys(of: "dataset").contains($0.key) },
                     "dataset source \(name) declares a parameter that shadows a core key")
        self.name = name
        self.needsPath = needsPath
        self.parameters = parameters
        self.summary = summary
    }
}
