extension ThemeSchema {
    /// The README's YAML reference, rendered from the schema so the two cannot drift: one table of
    /// core keys, then one per architecture and dataset source in `catalog`.
    public static func referenceMarkdown(catalog: ThemeCatalog? = nil) -> String {
        var lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
        for entry in entries {
            lines.append(row("`\(entry.keyPath)`", typeName(entry.kind), defaultText(entry.defaultValue), entry.doc))
        }
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
