/// One setting a plugin (architecture or dataset source) reads from its section of a theme.
public struct ParameterSpec: Sendable, Hashable {
    public let key: String
    public let kind: ParameterKind
    /// Used when the theme leaves the key out; always satisfies `kind`.
    public let defaultValue: ParameterValue
    /// One line for the YAML reference and `themes new`.
    public let doc: String

    public init(key: String, kind: ParameterKind, defaultValue: ParameterValue, doc: String) {
        precondition(kind.accepts(defaultValue), "default \(defaultValue) of \(key) is not \(kind.requirement)")
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.doc = doc
    }
}
