/// What ThemeConfig must know about a plugin (an architecture or a dataset source) to validate the
/// theme section that names it; the plugin's own module registers one of these per name.
public struct PluginDeclaration: Sendable, Hashable {
    /// What only one kind of plugin declares.
    public enum Role: Sendable, Hashable {
        /// Named by `architecture.name`; makes square images of these sizes in pixels.
        case architecture(resolutions: [Int])
        /// Named by `dataset.source`; one that reads files needs `dataset.path`, a folder that exists.
        case datasetSource(needsPath: Bool)

        /// The theme section holding the plugin's name and parameters.
        public var section: String {
            switch self {
            case .architecture: return "architecture"
            case .datasetSource: return "dataset"
            }
        }
    }

    public let name: String
    public let role: Role
    /// Keys read from the plugin's section besides the core ones (`name`; `source`, `path`, `resolution`…).
    public let parameters: [ParameterSpec]
    /// One sentence for the YAML reference.
    public let summary: String

    public init(name: String, role: Role, parameters: [ParameterSpec], summary: String) {
        if case .architecture(let resolutions) = role {
            precondition(!resolutions.isEmpty, "architecture \(name) declares no resolutions")
        }
        precondition(!parameters.contains { Schema.theme.coreKeys(of: role.section).contains($0.key) },
                     "\(name) declares a parameter that shadows a core key of \(role.section)")
        precondition(Set(parameters.map(\.key)).count == parameters.count, "\(name) declares a parameter twice")
        self.name = name
        self.role = role
        self.parameters = parameters
        self.summary = summary
    }

    /// An architecture's declaration.
    public init(name: String, resolutions: [Int], parameters: [ParameterSpec], summary: String) {
        self.init(name: name, role: .architecture(resolutions: resolutions), parameters: parameters, summary: summary)
    }

    /// A dataset source's declaration.
    public init(name: String, needsPath: Bool, parameters: [ParameterSpec], summary: String) {
        self.init(name: name, role: .datasetSource(needsPath: needsPath), parameters: parameters, summary: summary)
    }

    /// An architecture's image sizes; none for a dataset source.
    public var resolutions: [Int] {
        if case .architecture(let resolutions) = role { return resolutions }
        return []
    }

    /// Whether a dataset source reads files; never for an architecture.
    public var needsPath: Bool {
        if case .datasetSource(let needsPath) = role { return needsPath }
        return false
    }
}

/// A plugin setting that does not satisfy its declared kind. Theme validation normally catches it
/// first; it reaches a plugin only from settings built by hand (`dataset inspect --count 0`).
public struct PluginParameterError: Error, Equatable, CustomStringConvertible {
    public let plugin: String
    public let key: String
    public let value: ParameterValue
    /// The declared kind's requirement: "an integer from 8 to 256".
    public let expected: String

    public init(plugin: String, key: String, value: ParameterValue, expected: String) {
        self.plugin = plugin
        self.key = key
        self.value = value
        self.expected = expected
    }

    public var description: String { "\(plugin): \(key) is \(value), expected \(expected)" }
}

extension PluginDeclaration {
    /// The integer `key` from `values`, or its declared default; range-checked.
    public func int(_ key: String, in values: [String: ParameterValue]) throws(PluginParameterError) -> Int {
        try read(key, in: values) { $0.intValue }
    }

    /// The number `key` from `values` (an integer reads as one too), or its declared default; range-checked.
    public func float(_ key: String, in values: [String: ParameterValue]) throws(PluginParameterError) -> Double {
        try read(key, in: values) { $0.doubleValue }
    }

    /// The string or choice `key` from `values`, or its declared default; a choice must be one of its names.
    public func string(_ key: String, in values: [String: ParameterValue]) throws(PluginParameterError) -> String {
        try read(key, in: values) { $0.stringValue }
    }

    public func bool(_ key: String, in values: [String: ParameterValue]) throws(PluginParameterError) -> Bool {
        try read(key, in: values) { $0.boolValue }
    }

    /// Reading a key the plugin does not declare, or as another type than declared, is the plugin's bug.
    private func read<Value>(_ key: String, in values: [String: ParameterValue],
                             as typed: (ParameterValue) -> Value?) throws(PluginParameterError) -> Value {
        guard let spec = parameters.first(where: { $0.key == key }) else {
            preconditionFailure("\(name) reads \(key), which it does not declare")
        }
        precondition(typed(spec.defaultValue) != nil, "\(name) reads \(key) (\(spec.kind.typeName)) as \(Value.self)")
        let value = values[key] ?? spec.defaultValue
        guard spec.kind.accepts(value), let result = typed(value) else {
            throw PluginParameterError(plugin: name, key: key, value: value, expected: spec.kind.requirement)
        }
        return result
    }
}
