/// What ThemeConfig must know about an architecture to validate a theme; the network itself
/// lives in the Architectures module, which registers one of these per name.
public struct ArchitectureDeclaration: Sendable, Hashable {
    public let name: String
    /// Square output sizes in pixels the generator can make.
    public let resolutions: [Int]
    /// Keys read from the theme's `architecture:` section besides `name`.
    public let parameters: [ParameterSpec]
    public let summary: String

    public init(name: String, resolutions: [Int], parameters: [ParameterSpec], summary: String) {
        precondition(!resolutions.isEmpty, "architecture \(name) declares no resolutions")
        precondition(!parameters.contains { Schema.theme.coreKeys(of: "architecture").contains($0.key) },
                     "architecture \(name) declares a parameter that shadows a core key")
        self.name = name
        self.resolutions = resolutions
        self.parameters = parameters
        self.summary = summary
    }
}
