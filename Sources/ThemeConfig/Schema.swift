/// Every key one kind of YAML file may hold (a theme, a seasonal set), with its type, default and
/// meaning: the one place defaults live. `SchemaValidator` reads it to check and fill in a file;
/// `referenceMarkdown` renders it for the README.
public struct Schema: Sendable {
    /// What a file of this schema is called in messages: "theme", "seasonal set".
    public let fileKind: String
    public let entries: [SchemaEntry]
    /// Rules that tie keys together (a source's need for a folder, an architecture's sizes), run once
    /// every key has been read on its own.
    let rules: [Rule]

    /// Diagnostics about `values` of the file whose tree is `root`.
    typealias Rule = @Sendable (_ values: ResolvedValues, _ root: SourceNode, _ catalog: ThemeCatalog) -> [ConfigDiagnostic]

    init(fileKind: String, entries: [SchemaEntry], rules: [Rule] = []) {
        precondition(Set(entries.map(\.keyPath)).count == entries.count, "schema keys repeat")
        self.fileKind = fileKind
        self.entries = entries
        self.rules = rules
    }

    public func entry(_ keyPath: String) -> SchemaEntry? {
        entries.first { $0.keyPath == keyPath }
    }

    /// Entries directly inside `section` ("" for the top level), in schema order.
    func children(of section: String) -> [SchemaEntry] {
        entries.filter { $0.parent == section }
    }

    /// The schema's own keys inside `section`, which plugin parameters may not reuse.
    public func coreKeys(of section: String) -> [String] {
        children(of: section).map(\.key)
    }

    /// Keys that hold a value (not sections), in schema order, records' own keys included as
    /// `items[].theme`: what a resolver must read.
    public var leafKeyPaths: [String] {
        entries.flatMap { entry -> [String] in
            switch entry.kind {
            case .section: return []
            case .records(let inner, _): return [entry.keyPath] + inner.leafKeyPaths.map { "\(entry.keyPath)[].\($0)" }
            default: return [entry.keyPath]
            }
        }
    }
}

/// One key of a schema.
public struct SchemaEntry: Sendable {
    /// Dotted: `training.batch`.
    public let keyPath: String
    public let kind: SchemaKind
    public let defaultValue: SchemaDefault
    public let doc: String

    init(_ keyPath: String, _ kind: SchemaKind, _ defaultValue: SchemaDefault, _ doc: String) {
        self.keyPath = keyPath
        self.kind = kind
        self.defaultValue = defaultValue
        self.doc = doc
    }

    public var key: String { String(keyPath.split(separator: ".").last!) }

    public var parent: String {
        guard let dot = keyPath.lastIndex(of: ".") else { return "" }
        return String(keyPath[..<dot])
    }
}

/// What kind of value a schema key holds.
public enum SchemaKind: Sendable {
    /// A mapping of the entries below it; a plugin section also holds that plugin's parameters.
    case section(plugin: PluginKind?)
    case value(ParameterKind)
    /// Lowercase letters, digits and single dashes: theme and palette names.
    case identifier
    case path(relativeTo: PathBase)
    case pluginName(PluginKind)
    /// The name of a valid theme in the loaded folder (`from: cats`), with did-you-mean when not.
    case themeReference
    /// A list of mappings, each checked against its own schema (a set's items); `count` items allowed.
    case records(Schema, count: ClosedRange<Int>)

    public enum PluginKind: Sendable { case architecture, datasetSource }
    public enum PathBase: Sendable { case themeFile, repositoryRoot }
}

/// What a file gets when it leaves a key out.
public enum SchemaDefault: Sendable {
    case required
    /// Left unset.
    case none
    case value(ParameterValue)
    /// A string with `{name}` replaced by the file's name.
    case template(String)
    /// Used only when no other key of the same section is given (a span's default unit).
    case unlessSiblingSet(ParameterValue)
}
