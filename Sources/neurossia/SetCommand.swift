import ArgumentParser
import Foundation
import Palettes
import Sets
import ThemeConfig

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Render a seasonal set (Themes/sets/*.yaml): pictures, a contact sheet, an HTML gallery and a manifest.",
        discussion: """
            Each item is a row of pictures from one theme's generator, recoloured toward its palette. The \
            manifest records everything the files depend on; --from-manifest makes the same bytes again, or \
            says what changed (a generator file that differs, a picture whose bytes differ).

            Examples:
              neurossia set new-year
              neurossia set Themes/sets/autumn.yaml --out gallery/autumn
              neurossia set --all
              neurossia set --from-manifest out/sets/new-year/manifest.json --out /tmp/again
            """)

    @OptionGroup var themes: ThemeOptions
    @Argument(help: "Set names (as in Themes/sets/NAME.yaml) or set files.") var sets: [String] = []
    @Flag(help: "Render every set in Themes/sets/.") var all = false
    @Option(help: ArgumentHelp("Make a set again from its manifest.json.", valueName: "file")) var fromManifest: String?
    @Option(help: "Output folder (default: out/sets/<set>; with --all, one folder per set inside it).") var out: String?

    func validate() throws {
        let ways = [all, !sets.isEmpty, fromManifest != nil].filter { $0 }.count
        guard ways == 1 else { throw ValidationError("name sets, or pass --all, or --from-manifest FILE") }
    }

    func run() throws {
        let loaded = try themes.load(strict: false)
        let byName = Dictionary(uniqueKeysWithValues: loaded.themes.map { ($0.name, $0) })
        if let fromManifest {
            let folder = URL(fileURLWithPath: out ?? "out/sets/reproduced", isDirectory: true)
            let manifest = try SetRenderer.reproduce(manifest: URL(fileURLWithPath: fromManifest), themes: byName, to: folder)
            print("\(manifest.set.name): the same bytes as \(fromManifest) → \(folder.relativePath)/")
            return
        }
        let files = try all ? SeasonalSetLoader.setFiles(in: themes.setsURL) : sets.map(setFile)
        guard !files.isEmpty else { throw CommandFailure("no seasonal set files in \(themes.setsURL.relativePath)") }
        let loader = SeasonalSetLoader(catalog: .installed, themes: loaded.themes.map(\.name))
        let palettes = try themes.palettes(loaded)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        for file in files {
            let (set, diagnostics) = loader.load(file: file)
            for diagnostic in diagnostics { printError(diagnostic.rendered(relativeTo: cwd)) }
            guard let set else { throw CommandFailure("\(file.relativePath) has \(diagnostics.count) problem(s); fix them and run again") }
            let folder = all ? URL(fileURLWithPath: out ?? "out/sets", isDirectory: true).appendingPathComponent(set.name, isDirectory: true)
                             : URL(fileURLWithPath: out ?? "out/sets/\(set.name)", isDirectory: true)
            let start = Date()
            let manifest = try SetRenderer(themes: byName).render(set, palettes: palettes, to: folder)
            let pictures = manifest.items.reduce(0) { $0 + $1.pictures.count }
            print(String(format: "%@: %d pictures in %d rows (%.1f s) → %@/%@ and %@/index.html", set.name, pictures, manifest.items.count,
                         Date().timeIntervalSince(start), folder.relativePath, manifest.contactSheet.file, folder.relativePath))
        }
    }

    /// A set's file from its name (Themes/sets/NAME.yaml) or a path.
    func setFile(_ argument: String) throws -> URL {
        if argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") || argument.contains("/") {
            guard FileManager.default.fileExists(atPath: argument) else { throw CommandFailure("no set file at \(argument)") }
            return URL(fileURLWithPath: argument)
        }
        let file = themes.setsURL.appendingPathComponent("\(argument).yaml")
        guard FileManager.default.fileExists(atPath: file.path) else {
            let known = ((try? SeasonalSetLoader.setFiles(in: themes.setsURL)) ?? []).map { $0.deletingPathExtension().lastPathComponent }
            let hint = suggestion(for: argument, among: known).map { "; did you mean \($0)?" } ?? ""
            throw CommandFailure("no seasonal set named \(argument) in \(themes.setsURL.relativePath)\(hint) (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        return file
    }
}
