import Foundation

/// Finds, reads, inherits and validates theme files. A Themes folder holds one theme per
/// `*.yaml`/`*.yml` file directly inside it; subfolders (such as `sets/`) hold other things.
public struct ThemeLoader: Sendable {
    public let catalog: ThemeCatalog

    public init(catalog: ThemeCatalog) {
        self.catalog = catalog
    }

    /// Every theme in `folder`, with the problems of all its files.
    public func load(folder: URL) -> ThemeLoadResult {
        do {
            return check(files: try Self.themeFiles(in: folder))
        } catch {
            return ThemeLoadResult(themes: [], diagnostics: [
                ConfigDiagnostic(file: folder, line: 0, column: 0, keyPath: "", message: "cannot list theme folder",
                                found: String(describing: error.localizedDescription))])
        }
    }

    /// The given theme files; their parents and name clashes are looked up among the files beside each.
    public func check(files: [URL]) -> ThemeLoadResult {
        var folders: [URL: Folder] = [:]
        var themes: [Theme] = []
        var diagnostics: [ConfigDiagnostic] = []
        for file in files.map(\.standardizedFileURL) {
            let folderURL = file.deletingLastPathComponent()
            if folders[folderURL] == nil { folders[folderURL] = withValidThemes(Folder(folderURL, including: file)) }
            let folder = folders[folderURL]!
            let (theme, problems) = resolve(folder.file(file) ?? ParsedFile(file), in: folder)
            diagnostics += problems
            if let theme { themes.append(theme) }
        }
        var seen = Set<ConfigDiagnostic>()
        diagnostics = diagnostics.filter { seen.insert($0).inserted }.sorted()
        return ThemeLoadResult(themes: themes.sorted { $0.name < $1.name }, diagnostics: diagnostics)
    }

    /// The theme files directly in `folder`, sorted by name.
    public static func themeFiles(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) ?? false }
            .map(\.standardizedFileURL)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// `folder` knowing its valid themes, so `extends` and `training.init_from` name only those. The
    /// first round leaves `init_from` unchecked; each next one checks it against the round before, until
    /// no more themes drop out (a theme can only lose validity as the list shrinks).
    private func withValidThemes(_ folder: Folder) -> Folder {
        var folder = folder
        while true {
            let valid = folder.files.compactMap { file in resolve(file, in: folder).0 }
            if let previous = folder.validThemes, previous.count == valid.count { return folder }
            folder.validThemes = valid
        }
    }

    private func resolve(_ file: ParsedFile, in folder: Folder) -> (Theme?, [ConfigDiagnostic]) {
        if let problem = file.problem { return (nil, [problem]) }
        guard let root = file.root else {
            return (nil, [ConfigDiagnostic(file: file.url, line: 1, column: 1, keyPath: "",
                                          message: "a theme file must be a mapping of keys", found: "an empty file")])
        }
        var diagnostics: [ConfigDiagnostic] = []
        if let name = file.name, let first = folder.named(name).first, first.url != file.url {
            let location = root["name"]!.location
            diagnostics.append(ConfigDiagnostic(
                file: file.url, line: location.line, column: location.column, keyPath: "name",
                message: "theme \(quoted(name)) is already defined in "
                    + "\(first.url.lastPathComponent):\(first.nameLine):\(first.nameColumn)"))
        }
        var chainProblems: [ConfigDiagnostic] = []
        let merged = inherit(file, in: folder, chain: [], problems: &chainProblems)
        var catalog = catalog
        catalog.themes = (folder.validThemes?.map(\.name) ?? folder.files.compactMap(\.name)).filter { $0 != file.name }
        let (values, problems) = SchemaValidator(schema: .theme, catalog: catalog).validate(merged ?? root, requireKeys: merged != nil)
        // A theme is never among those it may start from; naming itself gets its own message.
        diagnostics += chainProblems + problems.map { problem in
            guard problem.keyPath == "training.init_from", let name = file.name, problem.found == quoted(name) else { return problem }
            return ConfigDiagnostic(file: problem.file, line: problem.line, column: problem.column, keyPath: problem.keyPath,
                                    message: "a theme cannot start from its own weights")
        }
        guard diagnostics.isEmpty, let values else { return (nil, diagnostics) }
        var theme = values.theme()
        // Validation took `init_from` only among the valid themes, so once they are known it names one of them.
        if let name = theme.training.initFrom, let source = folder.validThemes?.first(where: { $0.name == name }) {
            let (mine, theirs) = (Self.network(theme), Self.network(source))
            guard mine == theirs else {
                return (nil, [ConfigDiagnostic(at: values.locations["training.init_from"]!, keyPath: "training.init_from",
                                               message: "\(quoted(name)) has another network, so its weights do not fit",
                                               found: theirs, expected: mine)])
            }
            theme.initialWeights = source.checkpoint
        }
        return (theme, [])
    }

    /// Architecture, its parameters and resolution: what must agree for weights to carry over.
    private static func network(_ theme: Theme) -> String {
        let parameters = theme.architecture.parameters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return "\(theme.architecture.name) (\(parameters.joined(separator: ", "))) at \(theme.dataset.resolution) px"
    }

    /// `file`'s tree with its ancestors' settings beneath it; nil when the chain is broken.
    private func inherit(_ file: ParsedFile, in folder: Folder, chain: [String],
                         problems: inout [ConfigDiagnostic]) -> SourceNode? {
        guard let root = file.root else { return nil }
        guard let extends = root["extends"], case .scalar(.string(let parentName), _) = extends.content else { return root }
        let chain = chain + [file.name ?? file.url.lastPathComponent]
        func report(_ message: String, found: String? = nil, expected: String? = nil, suggestion: String? = nil) {
            problems.append(ConfigDiagnostic(
                file: extends.location.file, line: extends.location.line, column: extends.location.column,
                keyPath: "extends", message: message, found: found, expected: expected, suggestion: suggestion))
        }
        if chain.contains(parentName) {
            report("themes extend each other in a cycle: " + (chain + [parentName]).joined(separator: " → "))
            return nil
        }
        guard let parent = folder.named(parentName).first else {
            let known = (folder.validThemes?.map(\.name) ?? []).filter { !chain.contains($0) }
            report("unknown theme", found: quoted(parentName),
                   expected: known.isEmpty ? "the name of another theme in this folder"
                       : "one of: " + known.joined(separator: ", "),
                   suggestion: suggestion(for: parentName, among: known))
            return nil
        }
        guard let inherited = inherit(parent, in: folder, chain: chain, problems: &problems) else { return nil }
        return ThemeInheritance.merge(parent: inherited, child: root)
    }
}

/// What loading found: the valid themes, and every problem in the others.
public struct ThemeLoadResult: Sendable {
    /// Sorted by name.
    public var themes: [Theme]
    /// Sorted by file, line and column.
    public var diagnostics: [ConfigDiagnostic]

    public func theme(named name: String) -> Theme? {
        themes.first { $0.name == name }
    }
}

/// One theme file read and parsed, before inheritance.
private struct ParsedFile {
    let url: URL
    var root: SourceNode?
    var problem: ConfigDiagnostic?

    init(_ url: URL) {
        self.url = url
        switch SourceNode.read(url, kind: "theme").flatMap({ SourceNode.parse(yaml: $0, file: url) }) {
        case .success(let root): self.root = root
        case .failure(let diagnostic): problem = diagnostic
        }
    }

    /// The declared name, when it is a string.
    var name: String? {
        if case .scalar(.string(let name), _)? = root?["name"]?.content { return name }
        return nil
    }

    var nameLine: Int { root?["name"]?.location.line ?? 0 }
    var nameColumn: Int { root?["name"]?.location.column ?? 0 }
}

/// The theme files of one folder, parsed once: `extends` and duplicate names look here.
private struct Folder {
    let files: [ParsedFile]
    /// The files that are valid themes (what `extends` and `init_from` may name); nil while they are being found.
    var validThemes: [Theme]?

    init(_ url: URL, including file: URL) {
        var urls = (try? ThemeLoader.themeFiles(in: url)) ?? []
        if !urls.contains(file) { urls.append(file) }
        files = urls.map(ParsedFile.init)
    }

    func file(_ url: URL) -> ParsedFile? {
        files.first { $0.url == url }
    }

    /// Files declaring `name`, in file-name order: the first is the one that counts.
    func named(_ name: String) -> [ParsedFile] {
        files.filter { $0.name == name }
    }
}
