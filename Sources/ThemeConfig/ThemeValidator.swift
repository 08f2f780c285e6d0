import Foundation

/// Checks one theme's YAML tree (already merged with its parents) against the schema and the
/// catalog, filling in defaults. Every problem is collected; the walk never stops at the first.
struct ThemeValidator {
    let catalog: ThemeCatalog

    /// `requireKeys: false` when the theme's parents could not be found: they may hold the missing keys.
    func validate(_ root: SourceNode, requireKeys: Bool = true) -> (values: ResolvedValues?, diagnostics: [ThemeDiagnostic]) {
        var pass = Pass(catalog: catalog, file: root.location.file, requireKeys: requireKeys)
        guard root.entries != nil else {
            pass.report(root.location, "", "a theme file must be a mapping of keys", found: root.found)
            return (nil, pass.diagnostics)
        }
        pass.section("", root, at: root.location)
        pass.checkAcrossSections(root)
        return (pass.diagnostics.isEmpty ? pass.values : nil, pass.diagnostics.sorted())
    }

    private struct Pass {
        let catalog: ThemeCatalog
        var values: ResolvedValues
        let requireKeys: Bool
        var diagnostics: [ThemeDiagnostic] = []

        init(catalog: ThemeCatalog, file: URL, requireKeys: Bool) {
            self.catalog = catalog
            self.requireKeys = requireKeys
            values = ResolvedValues(file: file)
        }

        mutating func report(_ location: SourceLocation, _ keyPath: String, _ message: String,
                             found: String? = nil, expected: String? = nil, suggestion: String? = nil) {
            diagnostics.append(ThemeDiagnostic(
                file: location.file, line: location.line, column: location.column, keyPath: keyPath,
                message: message, found: found, expected: expected, suggestion: suggestion))
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
            let children = ThemeSchema.children(of: prefix)
            let plugin = pluginParameters(prefix, given)
            let pluginKeys = plugin?.map(\.key) ?? []

            for entry in given {
                let keyPath = join(prefix, entry.key)
                if let child = children.first(where: { $0.key == entry.key }) {
                    read(child, entry.value)
                } else if let spec = plugin?.first(where: { $0.key == entry.key }) {
                    if let value = read(entry.value, spec.kind, keyPath) { values.plugin[prefix, default: [:]][spec.key] = value }
                } else if case .section(plugin: .some) = ThemeSchema.entry(prefix)?.kind, plugin == nil {
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
                    guard requireKeys else { break }
                    report(node?.location ?? location, child.keyPath, "required key is missing",
                           expected: requirement(of: child.kind))
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
            guard let nameEntry = ThemeSchema.children(of: prefix).first(where: {
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
                    report(node.location, keyPath, "must be \(requirement(of: entry.kind))", found: node.found)
                    return
                }
                values.leaves[keyPath] = .string(text)
                values.locations[keyPath] = node.location
            case .path:
                values.locations[keyPath] = node.location
                guard case .scalar(let scalar, let text) = node.content, scalar != .null, !text.isEmpty else {
                    report(node.location, keyPath, "must be \(requirement(of: entry.kind))", found: node.found)
                    return
                }
                values.leaves[keyPath] = .string(text)
            case .pluginName(let kind):
                let known = pluginNames(kind)
                guard case .scalar(.string(let text), _) = node.content else {
                    report(node.location, keyPath, "must be \(requirement(of: entry.kind))", found: node.found)
                    return
                }
                guard known.contains(text) else {
                    report(node.location, keyPath, kind == .architecture ? "unknown architecture" : "unknown dataset source",
                           found: node.found, expected: requirement(of: entry.kind),
                           suggestion: suggestion(for: text, among: known))
                    return
                }
                values.leaves[keyPath] = .string(text)
                values.locations[keyPath] = node.location
            }
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

        private func pluginNames(_ kind: SchemaKind.PluginKind) -> [String] {
            switch kind {
            case .architecture: return catalog.architectures.map(\.name)
            case .datasetSource: return catalog.datasetSources.map(\.name)
            }
        }

        private func requirement(of kind: SchemaKind) -> String {
            switch kind {
            case .section: return "a mapping of keys"
            case .value(let kind): return kind.requirement
            case .identifier: return "a name of lowercase letters, digits and dashes"
            case .path(.themeFile): return "a folder path relative to the theme file"
            case .path(.repositoryRoot): return "a folder path relative to the folder holding Themes/"
            case .pluginName(let kind): return "one of: " + pluginNames(kind).joined(separator: ", ")
            }
        }

        /// Rules that tie two keys together: a source's need for a folder, an architecture's sizes.
        mutating func checkAcrossSections(_ root: SourceNode) {
            let datasetLocation = root["dataset"]?.location ?? root.location
            if let sourceName = values.leaves["dataset.source"]?.stringValue,
               let source = catalog.datasetSource(named: sourceName), source.needsPath {
                if let folder = values.url("dataset.path") {
                    var isFolder: ObjCBool = false
                    if !FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) || !isFolder.boolValue {
                        report(values.locations["dataset.path"]!, "dataset.path", "folder does not exist",
                               found: quoted(values.leaves["dataset.path"]!.stringValue!),
                               expected: requirement(of: .path(relativeTo: .themeFile)))
                    }
                } else if values.locations["dataset.path"] == nil, requireKeys {
                    report(datasetLocation, "dataset.path", "required by dataset source \"\(sourceName)\"",
                           expected: requirement(of: .path(relativeTo: .themeFile)))
                }
            }
            if let architectureName = values.leaves["architecture.name"]?.stringValue,
               let architecture = catalog.architecture(named: architectureName),
               let resolution = values.leaves["dataset.resolution"]?.intValue,
               !architecture.resolutions.contains(resolution) {
                let location = values.locations["dataset.resolution"] ?? values.locations["architecture.name"] ?? datasetLocation
                report(location, "dataset.resolution", "\(architectureName) cannot make \(resolution)×\(resolution) images",
                       found: String(resolution),
                       expected: "one of: " + architecture.resolutions.map(String.init).joined(separator: ", "))
            }
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
