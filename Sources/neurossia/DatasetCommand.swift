import ArgumentParser
import Datasets
import Foundation
import Generation
import Imaging
import ThemeConfig

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Look at what a theme would train on.",
        subcommands: [Inspect.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a dataset (decoding or rendering it into the cache) and report on it.",
            discussion: """
                Prints the number of pictures, every file skipped and why, and the mean colour, then writes \
                a preview grid of pictures spread evenly over the dataset.

                Examples:
                  neurossia dataset inspect cats
                  neurossia dataset inspect --source folder --path ~/Pictures/cats --resolution 64
                  neurossia dataset inspect --source starter --scene cats --count 500 --preview out/cats.png
                """)

        @OptionGroup var selection: DatasetOptions
        @Option(help: "Preview grid PNG to write (default: out/dataset-<source>.png).") var preview: String?
        @Option(help: "Pictures in the preview grid.") var previewCount = 64

        func validate() throws {
            guard previewCount > 0 else { throw ValidationError("--preview-count must be at least 1, got \(previewCount)") }
        }

        func run() throws {
            let request = try selection.request()
            let start = Date()
            let dataset = try DatasetRegistry.load(request)
            let seconds = Date().timeIntervalSince(start)
            let summary = dataset.summary
            print("source:   \(summary.source)")
            let ignored = summary.ignored == 0 ? "" : ", \(summary.ignored) other file\(summary.ignored == 1 ? "" : "s") ignored"
            let fit = request.path == nil ? "" : " (\(request.fit.rawValue))"
            print("pictures: \(summary.count) at \(dataset.resolution)×\(dataset.resolution)\(fit)\(ignored)")
            if !summary.skipped.isEmpty {
                print("skipped:  \(summary.skipped.count)")
                for file in summary.skipped { print("  \(file.message)") }
            }
            let mean = dataset.meanColour()
            let hex = [mean.r, mean.g, mean.b].map { String(format: "%02X", Int(($0 * 255).rounded())) }.joined()
            print(String(format: "mean colour: R %.3f  G %.3f  B %.3f  (#%@)", mean.r, mean.g, mean.b, hex))
            switch summary.cache {
            case .hit(let file): print(String(format: "cache:    read %@ in %.2f s", file.path, seconds))
            case .written(let file): print(String(format: "cache:    written %@ after %.2f s", file.path, seconds))
            case .unwritable(let file, let reason): print("cache:    not written (\(file.path): \(reason))")
            }

            let images = dataset.spread(previewCount)
            let url = URL(fileURLWithPath: preview ?? "out/dataset-\(request.themeName ?? request.source).png")
            try OutputFolder.create(url.deletingLastPathComponent())
            try Image.grid(images, columns: PictureFiles.columns(for: images.count)).write(png: url)
            print("preview:  \(url.path) (\(images.count) of \(dataset.count) pictures)")
        }
    }
}

/// Which dataset to load: a theme's, or one described on the command line. The single place that
/// turns options into a `DatasetRequest`.
struct DatasetOptions: ParsableArguments {
    @Argument(help: "A theme whose dataset to load (instead of --source and its options).") var theme: String?
    @OptionGroup var themes: ThemeOptions
    @Option(help: "Dataset source: \(DatasetRegistry.declarations.map(\.name).joined(separator: ", ")).")
    var source: String?
    @Option(help: "Folder of pictures, for sources that read files.") var path: String?
    @Option(help: "Square size in pixels (default: the theme default).") var resolution: Int?
    @Option(help: "How non-square pictures become square: \(ImageFit.allCases.map(\.rawValue).joined(separator: " or ")).")
    var fit: String?
    @Option(help: "Starter scene: \(StarterScene.allCases.map(\.rawValue).joined(separator: ", ")).") var scene: String?
    @Option(help: "Starter pictures to render.") var count: Int?
    @Option(help: "Starter seed: another seed draws another set.") var seed: Int?
    @Option(help: "Folder for decoded caches.") var cache = DatasetRequest.cacheFolderName

    func validate() throws {
        guard theme == nil || source == nil else { throw ValidationError("give a theme or --source, not both") }
        guard theme == nil else { return }
        guard let source else { throw ValidationError("name a theme, or describe a dataset with --source") }
        guard let declaration = DatasetRegistry.source(named: source)?.declaration else {
            throw ValidationError("unknown --source \"\(source)\"; use one of: "
                                  + DatasetRegistry.declarations.map(\.name).joined(separator: ", "))
        }
        if declaration.needsPath && path == nil {
            throw ValidationError("--source \(source) reads a folder of pictures: give it with --path")
        }
        if let resolution, case .value(let kind) = Schema.theme.entry("dataset.resolution")?.kind, !kind.accepts(.int(resolution)) {
            throw ValidationError("--resolution must be \(kind.requirement), got \(resolution)")
        }
        if let fit, ImageFit(rawValue: fit) == nil {
            throw ValidationError("--fit must be one of: \(ImageFit.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(fit)\"")
        }
    }

    /// Options left out take the theme schema's defaults; source parameters left out take the source's.
    func request() throws -> DatasetRequest {
        if let theme { return DatasetRequest(theme: try themes.load(needing: [theme]).theme(named: theme)!) }
        guard let source else { throw ValidationError("name a theme, or describe a dataset with --source") }
        var parameters: [String: ParameterValue] = [:]
        if let scene { parameters["scene"] = .string(scene) }
        if let count { parameters["count"] = .int(count) }
        if let seed { parameters["seed"] = .int(seed) }
        return DatasetRequest(
            source: source,
            path: path.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath, isDirectory: true) },
            resolution: resolution ?? Self.schemaDefault("dataset.resolution").intValue!,
            fit: ImageFit(rawValue: fit ?? Self.schemaDefault("dataset.fit").stringValue!)!,
            parameters: parameters,
            cacheFolder: URL(fileURLWithPath: cache, isDirectory: true))
    }

    private static func schemaDefault(_ keyPath: String) -> ParameterValue {
        guard case .value(let value) = Schema.theme.entry(keyPath)?.defaultValue else {
            preconditionFailure("the theme schema gives \(keyPath) no default")
        }
        return value
    }
}
