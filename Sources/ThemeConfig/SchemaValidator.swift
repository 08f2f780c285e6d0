import Foundation

/// Checks one file's YAML tree (a theme already merged with its parents, or a seasonal set) against a
/// schema and the catalog, filling in defaults. Every problem is collected; the walk never stops at the first.
struct SchemaValidator {
    let schema: Schema
    let catalog: ThemeCatalog

    /// `requireKeys: false` when a theme's parents could not be found: they may hold the missing keys.
    func validate(_ root: SourceNode, requireKeys: Bool = true) -> (values: ResolvedValues?, diagnostics: [ConfigDiagnostic]) {
        var pass = Pass(schema: schema, catalog: catalog, file: root.location.file, keyPrefix: "", requireKeys: requireKeys)
        guard root.entries != nil else {
            pass.report(root.location, "", "a \(schema.fileKind) file must be a mapping of keys", found: root.found)
            return (nil, pass.diagnostics)
        }
        pass.section("", root, at: root.location)
        for rule in schema.rules { pass.diagnostics += rule(pass.values, root, catalog) }
        return (pass.diagnostics.isEmpty ? pass.values : nil, pass.diagnostics.sorted())
    }

    private struct Pass {
        let schema: Schema
        let catalog: ThemeCatalog
        var values: ResolvedValues
        /// Prepended to key paths in diagnostics: `items[2].` inside a record.
        let keyPrefix: String
        var diagnostics: [ConfigDiagnostic] = []

        init(schema: Schema, catalog: ThemeCatalog, file: URL, keyPrefix: String, requireKeys: Bool) {
            self.schema = schema
            self.catalog = catalog
            self.keyPrefix = keyPrefix
            values = ResolvedValues(schema: schema, file: file, requireKeys: requireKeys)
        }

        mutating func report(_ location: SourceLocation, _ keyPath: String, _ message: String,
                             found: String? = nil, expected: String? = nil, suggestion: String? = nil) {
            diagnostics.append(ConfigDiagnostic(at: location, keyPath: keyPrefix + keyPath, message: message,
                                                found: found, expected: expected, suggestion: suggestion))
        }

        /// `node` is nil when the section is absent; its defaults still apply.
        mutating func section(_ prefix: String, _ node: SourceNode?, at location: SourceLocation) {
            var given: [SourceNode.Entry] = []
            if let node {
                if let entries = node.entries {
                    given = entries
                } else {
                    report(node.location, prefix, "must be a mapping of keys", found: node.found)
                }
            }
            let children = schema.children(of: prefix)
            let plugin = pluginParameters(prefix, given)
            let pluginKeys = plugin?.map(\.key) ?? []

            for entry in given {
                let keyPath = join(prefix, entry.key)
                if let child = children.first(where: { $0.key == entry.key }) {
                    read(child, entry.value)
                } else if let spec = plugin?.first(where: { $0.key == entry.key }) {
                    if let value = read(entry.value, spec.kind, keyPath) { values.plugin[prefix, default: [:]][spec.key] = value }
                } else if case .section(plugin: .some) = schema.entry(prefix)?.kind, plugin == nil {
                    continue
                } else {
                    let candidates = children.map(\.key) + pluginKeys
                    report(entry.keyLocation, keyPath, "unknown key",
                           expected: "one of: " + candidates.joined(separator: ", "),
                           suggestion: suggestion(for: entry.key, among: candidates))
                }
            }

            let givenKeys = Set(given.map(\.key))
            for child in children where !givenKeys.contains(child.key) {
                switch (child.kind, child.defaultValue) {
                case (.section, _):
                    section(child.keyPath, nil, at: node?.location ?? location)
                case (_, .required):
                    guard values.requireKeys else { break }
                    report(node?.location ?? location, child.keyPath, "required key is missing",
                           expected: child.kind.requirement(catalog))
                case (_, .value(let value)):
                    values.leaves[child.keyPath] = value
                case (_, .template(let template)):
                    values.templates[child.keyPath] = template
                case (_, .unlessSiblingSet(let value)):
                    if !children.contains(where: { givenKeys.contains($0.key) }) { values.leaves[child.keyPath] = value }
                case (_, .none):
                    break
                }
            }
            for spec in plugin ?? [] where !givenKeys.contains(spec.key) {
                values.plugin[prefix, default: [:]][spec.key] = spec.defaultValue
            }
        }

        /// The parameters of the plugin a plugin section names; nil when the section is not a plugin
        /// section or names no known plugin (its extra keys cannot be judged then).
        private func pluginParameters(_ prefix: String, _ given: [SourceNode.Entry]) -> [ParameterSpec]? {
            guard let nameEntry = schema.children(of: prefix).first(where: {
                if case .pluginName = $0.kind { return true } else { return false }
            }), case .pluginName(let kind) = nameEntry.kind else { return nil }
            let name: String?
            if let node = given.first(where: { $0.key == nameEntry.key })?.value {
                if case .scalar(.string(let text), _) = node.content { name = text } else { name = nil }
            } else if case .value(let value) = nameEntry.defaultValue {
                name = value.stringValue
            } else {
                name = nil
            }
            guard let name else { return nil }
            switch kind {
            case .architecture: return catalog.architecture(named: name)?.parameters
            case .datasetSource: return catalog.datasetSource(named: name)?.parameters
            }
        }

        private mutating func read(_ entry: SchemaEntry, _ node: SourceNode) {
            let keyPath = entry.keyPath
            switch entry.kind {
            case .section:
                section(keyPath, node, at: node.location)
            case .value(let kind):
                if let value = read(node, kind, keyPath) { values.leaves[keyPath] = value }
            case .identifier:
                guard case .scalar(.string(let text), _) = node.content, isIdentifier(text) else {
                    report(node.location, keyPath, "must be \(entry.kind.requirement(catalog))", found: node.found)
                    return
                }
                values.leaves[keyPath] = .string(text)
                values.locations[keyPath] = node.location
            case .path:
                values.locations[keyPath] = node.location
                guard case .scalar(let scalar, let text) = node.content, scalar != .null, !text.isEmpty else {
                    report(node.location, keyPath, "must be \(entry.kind.requirement(catalog))", found: node.found)
                    return
                }
                values.leaves[keyPath] = .string(text)
            case .pluginName(let kind):
                readName(node, keyPath, among: catalog.pluginNames(kind), entry.kind,
                         unknown: kind == .architecture ? "unknown architecture" : "unknown dataset source")
            case .themeReference:
                readName(node, keyPath, among: catalog.themes, entry.kind, unknown: "unknown theme")
            case .records(let inner, let count):
                values.locations[keyPath] = node.location
                guard case .sequence(let items) = node.content, count.contains(items.count) else {
                    report(node.location, keyPath, "must be \(entry.kind.requirement(catalog))", found: node.found)
                    return
                }
                var records: [ResolvedValues] = []
                for (i, item) in items.enumerated() {
                    var pass = Pass(schema: inner, catalog: catalog, file: values.file,
                                    keyPrefix: "\(keyPrefix)\(keyPath)[\(i)].", requireKeys: values.requireKeys)
                    if item.entries == nil {
                        pass.report(item.location, "", "must be a mapping of keys", found: item.found)
                    } else {
                        pass.section("", item, at: item.location)
                        for rule in inner.rules {
                            pass.diagnostics += rule(pass.values, item, catalog).map { $0.under(pass.keyPrefix) }
                        }
                    }
                    diagnostics += pass.diagnostics
                    records.append(pass.values)
                }
                values.records[keyPath] = records
            }
        }

        /// A name that must be one of `known`; a misspelling gets the nearest as a suggestion.
        private mutating func readName(_ node: SourceNode, _ keyPath: String, among known: [String], _ kind: SchemaKind,
                                       unknown: String) {
            guard case .scalar(.string(let text), _) = node.content else {
                report(node.location, keyPath, "must be \(kind.requirement(catalog))", found: node.found)
                return
            }
            values.locations[keyPath] = node.location
            guard known.contains(text) else {
                report(node.location, keyPath, unknown, found: node.found, expected: kind.requirement(catalog),
                       suggestion: suggestion(for: text, among: known))
                return
            }
            values.leaves[keyPath] = .string(text)
        }

        /// One value of a parameter kind; lists report each bad item at its own position.
        private mutating func read(_ node: SourceNode, _ kind: ParameterKind, _ keyPath: String) -> ParameterValue? {
            values.locations[keyPath] = node.location
            let scalar: SourceNode.Scalar?
            if case .scalar(let value, _) = node.content { scalar = value } else { scalar = nil }
            let value: ParameterValue?
            switch (kind, scalar) {
            case (.int(let range), .int(let number)?):
                value = range.contains(number) ? .int(number) : nil
            case (.float(let range), .int(let number)?):
                value = range.contains(Double(number)) ? .float(Double(number)) : nil
            case (.float(let range), .float(let number)?):
                value = range.contains(number) ? .float(number) : nil
            case (.bool, .bool(let flag)?):
                value = .bool(flag)
            case (.string, let scalar?) where scalar != .null:
                if case .scalar(_, let text) = node.content { value = .string(text) } else { value = nil }
            case (.colour, _):
                if case .scalar(_, let text) = node.content, isHexColour(text) { value = .string(text.lowercased()) } else { value = nil }
            case (.choice(let names), .string(let name)?):
                guard names.contains(name) else {
                    report(node.location, keyPath, "must be \(kind.requirement)", found: node.found,
                           suggestion: suggestion(for: name, among: names))
                    return nil
                }
                value = .string(name)
            case (.list(let item, let count), _):
                guard case .sequence(let items) = node.content else { value = nil; break }
                guard count.contains(items.count) else {
                    report(node.location, keyPath, "must be \(kind.requirement)",
                           found: "a list of \(items.count) item" + (items.count == 1 ? "" : "s"))
                    return nil
                }
                let read = items.enumerated().map { self.read($1, item, "\(keyPath)[\($0)]") }
                return read.contains { $0 == nil } ? nil : .list(read.compactMap { $0 })
            default:
                value = nil
            }
            if value == nil { report(node.location, keyPath, "must be \(kind.requirement)", found: node.found) }
            return value
        }
    }
}

extension ConfigDiagnostic {
    /// The same problem with its key path inside a record (`items[2].` + `palette`).
    func under(_ prefix: String) -> ConfigDiagnostic {
        var diagnostic = self
        diagnostic.keyPath = prefix + keyPath
        return diagnostic
    }
}

extension SchemaKind {
    /// The rule as a noun phrase, for "must be …" and "expected …".
    func requirement(_ catalog: ThemeCatalog) -> String {
        switch self {
        case .section: return "a mapping of keys"
        case .value(let kind): return kind.requirement
        case .identifier: return "a name of lowercase letters, digits and dashes"
        case .path(.themeFile): return "a folder path relative to the theme file"
        case .path(.repositoryRoot): return "a folder path relative to the folder holding Themes/"
        case .pluginName(let kind): return "one of: " + catalog.pluginNames(kind).joined(separator: ", ")
        case .themeReference:
            return catalog.themes.isEmpty ? "the name of a valid theme" : "one of: " + catalog.themes.joined(separator: ", ")
        case .records(_, let count):
            let size = count.upperBound == Int.max ? "at least \(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)"
            return "a list of \(size) mappings"
        }
    }
}

extension ThemeCatalog {
    func pluginNames(_ kind: SchemaKind.PluginKind) -> [String] {
        switch kind {
        case .architecture: return architectures.map(\.name)
        case .datasetSource: return datasetSources.map(\.name)
        }
    }
}

private func join(_ prefix: String, _ key: String) -> String {
    prefix.isEmpty ? key : prefix + "." + key
}

/// Lowercase letters and digits in dash-separated words: safe as a folder name and on a command line.
func isIdentifier(_ text: String) -> Bool {
    let words = text.split(separator: "-", omittingEmptySubsequences: false)
    return !text.isEmpty && words.allSatisfy { word in
        !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}

/// "#rrggbb", either case.
func isHexColour(_ text: String) -> Bool {
    text.count == 7 && text.hasPrefix("#") && text.dropFirst().allSatisfy(\.isHexDigit)
}
