extension Schema {
    /// The README's YAML reference for themes, rendered from the schema so the two cannot drift: one
    /// table of core keys, then one per architecture and dataset source in `catalog`.
    public static func themeReferenceMarkdown(catalog: ThemeCatalog? = nil) -> String {
        var lines = theme.referenceTable()
        for architecture in catalog?.architectures ?? [] {
            let sizes = architecture.resolutions.map(String.init).joined(separator: ", ")
            lines += ["", "### Architecture `\(architecture.name)`", "",
                      "\(architecture.summary) Resolutions: \(sizes)."]
            lines += parameterTable(section: "architecture", architecture.parameters)
        }
        for source in catalog?.datasetSources ?? [] {
            lines += ["", "### Dataset source `\(source.name)`", "",
                      source.summary + (source.needsPath ? " Needs `dataset.path`." : "")]
            lines += parameterTable(section: "dataset", source.parameters)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One row per key, a list of mappings followed by its items' keys (`items[].theme`).
    public func referenceTable() -> [String] {
        func rows(_ schema: Schema, prefix: String) -> [String] {
            schema.entries.flatMap { entry -> [String] in
                let row = Self.row("`\(prefix)\(entry.keyPath)`", Self.typeName(entry.kind), Self.defaultText(entry.defaultValue), entry.doc)
                guard case .records(let inner, _) = entry.kind else { return [row] }
                return [row] + rows(inner, prefix: "\(prefix)\(entry.keyPath)[].")
            }
        }
        return ["| key | type | default | meaning |", "|---|---|---|---|"] + rows(self, prefix: "")
    }

    private static func parameterTable(section: String, _ parameters: [ParameterSpec]) -> [String] {
        guard !parameters.isEmpty else { return [] }
        return ["", "| key | type | default | meaning |", "|---|---|---|---|"]
            + parameters.map { row("`\(section).\($0.key)`", $0.kind.typeName, "`\($0.defaultValue)`", $0.doc) }
    }

    private static func row(_ cells: String...) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: " | ") + " |"
    }

    private static func typeName(_ kind: SchemaKind) -> String {
        switch kind {
        case .section: return "mapping"
        case .value(let kind): return kind.typeName
        case .identifier: return "name"
        case .path: return "path"
        case .pluginName(.architecture): return "architecture name"
        case .pluginName(.datasetSource): return "dataset source name"
        case .themeReference: return "theme name"
        case .records: return "list of mappings"
        }
    }

    private static func defaultText(_ value: SchemaDefault) -> String {
        switch value {
        case .required: return "required"
        case .none: return "—"
        case .value(let value): return "`\(value)`"
        case .template(let template): return "`\(template)`"
        case .unlessSiblingSet(let value): return "`\(value)` if none of its siblings is given"
        }
    }
}
