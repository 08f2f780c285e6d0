/// The text of a new theme file for `neurossia themes new NAME --data FOLDER`: the keys it must
/// set, and every default written out as a comment, all taken from the schema and the catalog.
public struct ThemeTemplate: Sendable {
    public let name: String
    /// The data folder as it should appear in the file: relative to the theme file's folder.
    public let dataPath: String
    public let architecture: PluginDeclaration
    public let source: PluginDeclaration

    /// Fails when `name` could not be a theme name.
    public init(name: String, dataPath: String, architecture: PluginDeclaration,
                source: PluginDeclaration) throws {
        guard isIdentifier(name) else { throw InvalidThemeName(name: name) }
        self.name = name
        self.dataPath = dataPath
        self.architecture = architecture
        self.source = source
    }

    public var text: String {
        var given: [String: String] = [
            "name": name,
            "dataset.source": source.name,
            "architecture.name": architecture.name,
        ]
        if source.needsPath { given["dataset.path"] = yamlScalar(dataPath) }
        if case .value(let value)? = Schema.theme.entry("dataset.resolution")?.defaultValue,
           let resolution = value.intValue, !architecture.resolutions.contains(resolution) {
            let nearest = architecture.resolutions.min { abs($0 - resolution) < abs($1 - resolution) }!
            given["dataset.resolution"] = String(nearest)
        }
        let header = [
            "# Theme \(quoted(name)), made by `neurossia themes new`.",
            "# Commented lines show the defaults: uncomment one (and its section) to change it.",
            "# Every key is explained in the README's YAML reference.",
            "",
        ]
        return (header + body(section: "", depth: 0, given: given).drop { $0.isEmpty }).joined(separator: "\n") + "\n"
    }

    /// The lines of `section`; inside a section that is written out, comments go after the indent.
    private func body(section: String, depth: Int, given: [String: String], open: Bool = true) -> [String] {
        var lines: [String] = []
        let indent = String(repeating: "  ", count: depth)
        func comment(_ text: String, _ doc: String) -> String {
            commented(open ? indent + "# " + text : "# " + indent + text, doc: doc)
        }
        var afterSection = false
        for entry in Schema.theme.children(of: section) {
            let isGiven = given.keys.contains { $0 == entry.keyPath || $0.hasPrefix(entry.keyPath + ".") }
            if case .section = entry.kind {
                let isOpen = open && isGiven
                var body = self.body(section: entry.keyPath, depth: depth + 1, given: given, open: isOpen)
                body += plugin(entry.keyPath).map { spec in
                    let text = "\(spec.key): \(spec.defaultValue)"
                    return commented(isOpen ? indent + "  # " + text : "# " + indent + "  " + text, doc: spec.doc)
                }
                guard !body.isEmpty else { continue }
                if depth == 0 { lines.append("") }
                lines.append(isOpen ? "\(indent)\(entry.key):" : comment("\(entry.key):", entry.doc))
                lines += body
                afterSection = depth == 0
                continue
            }
            let line: String
            if let value = given[entry.keyPath] {
                line = "\(indent)\(entry.key): \(value)"
            } else if let value = defaultText(entry.defaultValue) {
                line = comment("\(entry.key): \(value)", entry.doc)
            } else {
                continue
            }
            if afterSection { lines.append("") }
            lines.append(line)
            afterSection = false
        }
        return lines
    }

    private func plugin(_ section: String) -> [ParameterSpec] {
        guard case .section(let kind)? = Schema.theme.entry(section)?.kind else { return [] }
        switch kind {
        case .architecture?: return architecture.parameters
        case .datasetSource?: return source.parameters
        case nil: return []
        }
    }

    private func defaultText(_ value: SchemaDefault) -> String? {
        switch value {
        case .value(let value), .unlessSiblingSet(let value): return value.description
        case .template(let template): return template.replacingOccurrences(of: "{name}", with: name)
        case .required, .none: return nil
        }
    }

    /// A commented-out line with its doc aligned after it.
    private func commented(_ text: String, doc: String) -> String {
        let padded = text.count < 40 ? text + String(repeating: " ", count: 40 - text.count) : text + "  "
        return padded + "# " + doc
    }
}

/// A name `themes new` was given that cannot name a theme.
public struct InvalidThemeName: Error, Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public var description: String {
        "invalid theme name \(quoted(name)): use lowercase letters, digits and dashes"
    }
}

/// Plain when YAML would read it back as the same string, double-quoted otherwise.
private func yamlScalar(_ text: String) -> String {
    let plain = text.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._/-".unicodeScalars.contains($0)
    }
    return plain && !text.isEmpty && !text.hasPrefix("-") ? text : quoted(text)
}
