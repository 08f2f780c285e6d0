import ArgumentParser
import Datasets
import Foundation
import ThemeConfig
import Training

struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List, check and create theme files.",
        subcommands: [List.self, Check.self, New.self, Reference.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every theme with its architecture, dataset, training progress and checkpoint age.",
            discussion: "Example:\n  neurossia themes list")

        @OptionGroup var themes: ThemeOptions

        func run() throws {
            let result = try themes.load(needing: [])
            let progress = result.themes.map(ThemeProgress.init)
            let rows = progress.map { progress -> [String] in
                let theme = progress.theme
                return [theme.name, theme.title, "\(theme.architecture.name) \(theme.dataset.resolution)px",
                        progress.datasetDescription, progress.trainingDescription, progress.checkpointAge]
            }
            printTable(header: ["name", "title", "architecture", "dataset", "trained", "checkpoint"], rows: rows)
            let damaged = progress.compactMap(\.damage)
            for damage in damaged { printError("error: " + damage) }
            if !damaged.isEmpty {
                throw CommandFailure("\(damaged.count) generator file(s) cannot be read; retrain (neurossia train THEME --fresh) or restore them")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate theme files: every problem with file:line:column, key and what is valid.",
            discussion: """
                With no files, checks every theme in the folder (and names shared between files) and every \
                seasonal set in its sets/ folder. \
                Exits non-zero when anything is wrong.

                Examples:
                  neurossia themes check
                  neurossia themes check Themes/my-theme.yaml
                """)

        @OptionGroup var themes: ThemeOptions
        @Argument(help: "Theme files to check (default: all in the folder).") var files: [String] = []

        func run() throws {
            let loader = ThemeLoader(catalog: .installed)
            let result = files.isEmpty ? loader.load(folder: themes.url)
                                       : loader.check(files: files.map { URL(fileURLWithPath: $0) })
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            for diagnostic in result.diagnostics { print(diagnostic.rendered(relativeTo: cwd)) }
            let (sets, setProblems) = files.isEmpty ? try themes.loadSets(themes: result) : ([], [])
            for diagnostic in setProblems { print(diagnostic.rendered(relativeTo: cwd)) }
            let diagnostics = result.diagnostics + setProblems
            let broken = Set(diagnostics.map(\.file.standardizedFileURL.path))
            if diagnostics.isEmpty {
                print("\(result.themes.count) theme(s) fine: \(result.themes.map(\.name).joined(separator: ", "))")
                if !sets.isEmpty { print("\(sets.count) seasonal set(s) fine: \(sets.map(\.name).joined(separator: ", "))") }
            } else {
                print("\(diagnostics.count) problem(s) in \(broken.count) file(s)")
                throw ExitCode(1)
            }
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new, valid, commented theme file for a folder of photos.",
            discussion: """
                Example:
                  neurossia themes new soviet-mosaics --data ~/photos/mosaics
                  neurossia themes check Themes/soviet-mosaics.yaml
                """)

        @OptionGroup var themes: ThemeOptions
        @Argument(help: "Theme name: lower-case letters, digits and dashes.") var name: String
        @Option(help: ArgumentHelp("Folder of JPEG/PNG photos (searched recursively).", valueName: "folder")) var data: String
        /// fastgan-lite: on a small folder of real photos and on two starter themes it came far closer to
        /// the pictures than dcgan in the same CPU time (docs/results.md).
        @Option(help: "Architecture to train.") var architecture = "fastgan-lite"

        func run() throws {
            guard let declaration = ThemeCatalog.installed.architecture(named: architecture) else {
                throw CommandFailure("unknown architecture \(architecture) (known: \(ThemeCatalog.installed.architectures.map(\.name).joined(separator: ", ")))")
            }
            let file = themes.url.appendingPathComponent("\(name).yaml")
            guard !FileManager.default.fileExists(atPath: file.path) else {
                throw CommandFailure("\(file.relativePath) already exists; choose another name or edit that file")
            }
            let dataFolder = URL(fileURLWithPath: (data as NSString).expandingTildeInPath, isDirectory: true).standardizedFileURL
            let template = try ThemeTemplate(name: name, dataPath: relativePath(from: themes.url.standardizedFileURL, to: dataFolder),
                                             architecture: declaration, source: ThemeCatalog.installed.datasetSource(named: "folder")!)
            try FileManager.default.createDirectory(at: themes.url, withIntermediateDirectories: true)
            try template.text.write(to: file, atomically: true, encoding: .utf8)
            let check = ThemeLoader(catalog: .installed).check(files: [file])
            for diagnostic in check.diagnostics { printError(diagnostic.rendered()) }
            print("wrote \(file.relativePath); next: neurossia train \(name)")
        }
    }
}

extension ThemesCommand {
    struct Reference: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the theme YAML reference (every key, its type, default and meaning) as Markdown.",
            discussion: "The README's reference is this output, so it cannot drift from the schema.")

        func run() { print(Schema.referenceMarkdown(catalog: .installed)) }
    }
}

/// `to` relative to `from`, as theme files write dataset paths.
func relativePath(from base: URL, to target: URL) -> String {
    let a = base.pathComponents, b = target.pathComponents
    let common = zip(a, b).prefix { $0 == $1 }.count
    let parts = Array(repeating: "..", count: a.count - common) + b[common...]
    return parts.isEmpty ? "." : parts.joined(separator: "/")
}

func printTable(header: [String], rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
    for row in all {
        print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
}
