import Foundation

/// Reads and validates seasonal set files against the themes that loaded, so a set naming a theme
/// that is missing or broken fails with did-you-mean, at its line.
public struct SeasonalSetLoader: Sendable {
    public let catalog: ThemeCatalog

    /// `themes`: the valid themes' names, which items may refer to.
    public init(catalog: ThemeCatalog, themes: [String]) {
        var catalog = catalog
        catalog.themes = themes
        self.catalog = catalog
    }

    /// The set files directly in `folder` (Themes/sets/), sorted by name; none when it does not exist.
    public static func setFiles(in folder: URL) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try ThemeLoader.themeFiles(in: folder)
    }

    public func load(file: URL) -> (set: SeasonalSet?, diagnostics: [ConfigDiagnostic]) {
        let root: SourceNode
        switch SourceNode.read(file, kind: "seasonal set").flatMap({ SourceNode.parse(yaml: $0, file: file) }) {
        case .success(let node?): root = node
        case .success(nil):
            return (nil, [ConfigDiagnostic(file: file, line: 1, column: 1, keyPath: "",
                                           message: "a seasonal set file must be a mapping of keys", found: "an empty file")])
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        let (values, diagnostics) = SchemaValidator(schema: .seasonalSet, catalog: catalog).validate(root)
        return (diagnostics.isEmpty ? values?.seasonalSet() : nil, diagnostics)
    }
}
