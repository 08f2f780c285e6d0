import Foundation

/// The validator's result before it becomes a typed value (`Theme`, `SeasonalSet`): every schema key's
/// value by key path, defaults included, and where each given value was written.
struct ResolvedValues {
    /// What the values were checked against: every read must name one of its keys.
    let schema: Schema
    /// The file's own path: templates and the repository root resolve against it.
    let file: URL
    /// False when a theme's parents could not be found: they may hold the missing keys.
    let requireKeys: Bool
    var leaves: [String: ParameterValue] = [:]
    /// Plugin parameters by section (`architecture`, `dataset`), defaults included.
    var plugin: [String: [String: ParameterValue]] = [:]
    var templates: [String: String] = [:]
    var locations: [String: SourceLocation] = [:]
    /// Each item of a list of mappings, resolved against its own schema.
    var records: [String: [ResolvedValues]] = [:]

    /// A schema key's value; templates are filled with the theme's name.
    func value(_ keyPath: String) -> ParameterValue? {
        precondition(schema.entry(keyPath) != nil, "\(keyPath) is read but not in the \(schema.fileKind) schema")
        if let value = leaves[keyPath] { return value }
        guard let template = templates[keyPath], let name = leaves["name"]?.stringValue else { return nil }
        return .string(template.replacingOccurrences(of: "{name}", with: name))
    }

    /// A path key resolved against the file it was written in (or the theme's own file, for defaults).
    func url(_ keyPath: String) -> URL? {
        guard let text = value(keyPath)?.stringValue, case .path(let base) = schema.entry(keyPath)?.kind else { return nil }
        let written = leaves[keyPath] != nil ? (locations[keyPath]?.file ?? file) : file
        var folder = written.deletingLastPathComponent()
        if base == .repositoryRoot { folder = folder.deletingLastPathComponent() }
        let expanded = (text as NSString).expandingTildeInPath
        return expanded.hasPrefix("/")
            ? URL(fileURLWithPath: expanded, isDirectory: true).standardizedFileURL
            : folder.appendingPathComponent(expanded, isDirectory: true).standardizedFileURL
    }

    /// Builds the theme; only called once validation found nothing wrong, so every key the schema
    /// gives a default or requires is present and of its kind.
    func theme() -> Theme {
        let betas = doubles("training.betas")
        return Theme(
            name: string("name"),
            title: string("title"),
            file: file,
            parent: value("extends")?.stringValue,
            dataset: DatasetSettings(
                source: string("dataset.source"),
                path: url("dataset.path"),
                resolution: int("dataset.resolution"),
                fit: choice("dataset.fit"),
                flip: bool("dataset.flip"),
                augment: strings("dataset.augment").map { Augmentation(rawValue: $0)! },
                parameters: plugin["dataset"] ?? [:]),
            architecture: ArchitectureSettings(
                name: string("architecture.name"),
                parameters: plugin["architecture"] ?? [:]),
            checkpoint: url("checkpoint")!,
            initialWeights: nil,
            training: TrainingSettings(
                batch: int("training.batch"),
                lr: double("training.lr"),
                beta1: betas[0],
                beta2: betas[1],
                ema: double("training.ema"),
                budget: span("training.budget"),
                checkpointEvery: span("training.checkpoint_every"),
                sampleEvery: span("training.sample_every"),
                evalEvery: span("training.eval_every"),
                evalPictures: int("training.eval_pictures"),
                share: double("training.share"),
                seed: int("training.seed"),
                precision: choice("training.precision"),
                initFrom: value("training.init_from")?.stringValue),
            palette: PaletteSettings(colors: int("palette.colors")),
            generate: GenerateSettings(truncation: double("generate.truncation"), from: choice("generate.from")))
    }

    /// A key the schema requires or gives a default, so validation guarantees it.
    func required(_ keyPath: String) -> ParameterValue {
        guard let value = value(keyPath) else { preconditionFailure("schema gives \(keyPath) no default") }
        return value
    }

    // Validation checked each value against its kind, so these conversions cannot fail.
    func string(_ keyPath: String) -> String { required(keyPath).stringValue! }
    func int(_ keyPath: String) -> Int { required(keyPath).intValue! }
    func double(_ keyPath: String) -> Double { required(keyPath).doubleValue! }
    func bool(_ keyPath: String) -> Bool { required(keyPath).boolValue! }
    func strings(_ keyPath: String) -> [String] { required(keyPath).listValue!.map { $0.stringValue! } }
    func doubles(_ keyPath: String) -> [Double] { required(keyPath).listValue!.map { $0.doubleValue! } }
    func choice<Choice: RawRepresentable>(_ keyPath: String) -> Choice where Choice.RawValue == String {
        Choice(rawValue: string(keyPath))!
    }

    private func span(_ keyPath: String) -> Span {
        func amount(_ unit: Schema.SpanUnit) -> Double? { value("\(keyPath).\(unit.rawValue)")?.doubleValue }
        let minutes = amount(.minutes), hours = amount(.hours)
        let wallTime = (minutes == nil && hours == nil) ? nil : (minutes ?? 0) + (hours ?? 0) * 60
        return Span(kimg: amount(.kimg), minutes: wallTime)
    }
}
