import ArgumentParser
import Foundation
import ThemeConfig
import Training

/// Where the theme files are, shared by every command that reads themes.
struct ThemeOptions: ParsableArguments {
    @Option(name: .customLong("themes"), help: ArgumentHelp("Folder of theme YAML files.", valueName: "folder"))
    var folder = "Themes"

    var url: URL { URL(fileURLWithPath: folder, isDirectory: true) }

    /// All themes of the folder. Problems in files other than `needed` are printed as warnings;
    /// problems in a needed theme (or in every file when `needed` is empty) fail the command.
    func load(needing needed: [String] = []) throws -> ThemeLoadResult {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CommandFailure("no theme folder at \(folder); run from the repository root or pass --themes FOLDER")
        }
        let result = ThemeLoader(catalog: .installed).load(folder: url)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        for diagnostic in result.diagnostics { printError(diagnostic.rendered(relativeTo: cwd)) }
        let missing = needed.filter { result.theme(named: $0) == nil }
        if !missing.isEmpty {
            let known = result.themes.map(\.name).joined(separator: ", ")
            throw CommandFailure("no valid theme named \(missing.joined(separator: ", ")) in \(folder) (valid: \(known.isEmpty ? "none" : known))")
        }
        if needed.isEmpty && !result.diagnostics.isEmpty {
            throw CommandFailure("\(result.diagnostics.count) problem(s) in the theme files; fix them and run again")
        }
        return result
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
