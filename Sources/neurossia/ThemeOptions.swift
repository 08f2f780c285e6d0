import ArgumentParser
import Foundation
import Palettes
import ThemeConfig

/// Where the theme files are, shared by every command that reads themes.
struct ThemeOptions: ParsableArguments {
    @Option(name: .customLong("themes"), help: ArgumentHelp("Folder of theme YAML files.", valueName: "folder"))
    var folder = "Themes"

    var url: URL { URL(fileURLWithPath: folder, isDirectory: true) }

    /// All themes of the folder. Problems in files other than `needed` are printed as warnings;
    /// problems in a needed theme (or, when `strict`, in every file when `needed` is empty) fail the command.
    func load(needing needed: [String] = [], strict: Bool = true) throws -> ThemeLoadResult {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CommandFailure("no theme folder at \(folder); run from the repository root or pass --themes FOLDER")
        }
        let result = ThemeLoader(catalog: .installed).load(folder: url)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        for diagnostic in result.diagnostics { printError(diagnostic.rendered(relativeTo: cwd)) }
        let missing = needed.filter { result.theme(named: $0) == nil }
        if !missing.isEmpty {
            let valid = result.themes.map(\.name)
            let hints = missing.compactMap { name in suggestion(for: name, among: valid).map { "did you mean \($0) for \(name)?" } }
            throw CommandFailure("no valid theme named \(missing.joined(separator: ", ")) in \(folder)"
                                 + (hints.isEmpty ? "" : "; " + hints.joined(separator: "; "))
                                 + " (valid: \(valid.isEmpty ? "none" : valid.joined(separator: ", ")))")
        }
        if strict && needed.isEmpty && !result.diagnostics.isEmpty {
            throw CommandFailure("\(result.diagnostics.count) problem(s) in the theme files; fix them and run again")
        }
        return result
    }
}

extension ThemeOptions {
    /// Themes/sets/: seasonal set files.
    var setsURL: URL { url.appendingPathComponent("sets", isDirectory: true) }

    /// Every seasonal set file, checked against the valid themes; problems come back with the sets that are fine.
    func loadSets(themes: ThemeLoadResult) throws -> (sets: [SeasonalSet], diagnostics: [ConfigDiagnostic]) {
        let loader = SeasonalSetLoader(catalog: .installed, themes: themes.themes.map(\.name))
        var sets: [SeasonalSet] = [], diagnostics: [ConfigDiagnostic] = []
        for file in try SeasonalSetLoader.setFiles(in: setsURL) {
            let (set, problems) = loader.load(file: file)
            diagnostics += problems
            if let set { sets.append(set) }
        }
        return (sets, diagnostics)
    }

    /// Every palette a command can name: the themes' own from `origin`, and the seasonal sets' palettes
    /// (a broken set file only loses its own palettes, with a warning).
    func palettes(_ themes: ThemeLoadResult, origin: PaletteOrigin = .dataset) throws -> ThemePalettes {
        let (sets, diagnostics) = try loadSets(themes: themes)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        for diagnostic in diagnostics { printError("warning: " + diagnostic.rendered(relativeTo: cwd)) }
        var named: [String: Palette] = [:]
        for set in sets {
            for palette in set.palettes { named[palette.name] = try Palette(hex: palette.colors) }
        }
        return ThemePalettes(themes: themes.themes, named: named, origin: origin)
    }
}

/// A failure to report in one line, with a non-zero exit.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

func printError(_ line: String) {
    FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
}
