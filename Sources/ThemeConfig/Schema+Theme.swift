import Foundation

extension Schema {
    /// Every key a theme file may hold.
    public static let theme = Schema(fileKind: "theme", entries: themeEntries, rules: [datasetFolderRule, resolutionRule])

    private static let themeEntries: [SchemaEntry] = [
        SchemaEntry("name", .identifier, .required,
                    "Theme name: lowercase letters, digits and dashes; `extends` and the CLI refer to it."),
        SchemaEntry("title", .value(.string), .template("{name}"), "Title shown on galleries and contact sheets."),
        SchemaEntry("extends", .identifier, .none,
                    "Name of a theme in the same folder whose settings this one inherits and overrides."),

        SchemaEntry("dataset", .section(plugin: .datasetSource), .none, "What to train on."),
        SchemaEntry("dataset.source", .pluginName(.datasetSource), .value(.string("folder")),
                    "Dataset source plugin; further keys of `dataset` are that source's parameters."),
        SchemaEntry("dataset.path", .path(relativeTo: .themeFile), .none,
                    "Folder of images, relative to the theme file; needed by sources that read files."),
        SchemaEntry("dataset.resolution", .value(.int(8...1024)), .value(.int(64)),
                    "Square training size in pixels; the architecture must be able to make it."),
        SchemaEntry("dataset.fit", .value(.choice(ImageFit.allCases.map(\.rawValue))), .value(.string(ImageFit.crop.rawValue)),
                    "How non-square images become square: centre crop, or pad to the long side."),
        SchemaEntry("dataset.flip", .value(.bool), .value(.bool(true)), "Also train on left-right mirrored images."),
        SchemaEntry("dataset.augment",
                    .value(.list(.choice(Augmentation.allCases.map(\.rawValue)), count: 0...Augmentation.allCases.count)),
                    .value(.list(Augmentation.allCases.map { .string($0.rawValue) })),
                    "DiffAugment policy, applied to real and generated images alike; `[]` turns it off."),

        SchemaEntry("architecture", .section(plugin: .architecture), .none, "The generator and discriminator."),
        SchemaEntry("architecture.name", .pluginName(.architecture), .required,
                    "Architecture plugin; further keys of `architecture` are its parameters."),

        SchemaEntry("checkpoint", .path(relativeTo: .repositoryRoot), .template("Models/{name}"),
                    "Checkpoint folder, relative to the folder holding Themes/."),

        SchemaEntry("training", .section(plugin: nil), .none, "How training runs."),
        SchemaEntry("training.batch", .value(.int(1...1024)), .value(.int(32)), "Images per optimiser step."),
        SchemaEntry("training.lr", .value(.float(0.00001...1)), .value(.float(0.0002)),
                    "Adam learning rate of both networks."),
        SchemaEntry("training.betas", .value(.list(.float(0...0.9999), count: 2...2)), .value(.list([.float(0.5), .float(0.999)])),
                    "Adam β1 and β2."),
        SchemaEntry("training.ema", .value(.float(0...0.99999)), .value(.float(0.999)),
                    "Decay of the generator's moving average used for pictures; 0 turns it off."),
    ]
    + span("training.budget", "When training stops.", fallback: .kimg, 200)
    + span("training.checkpoint_every", "How often a checkpoint is written.", fallback: .minutes, 5)
    + span("training.sample_every", "How often a sample grid is written.", fallback: .kimg, 10)
    + span("training.eval_every", "How often the moving-average generator is measured (SWD and colour distance, as `neurossia eval`) and the result logged.", fallback: .kimg, 50)
    + [
        SchemaEntry("training.eval_pictures", .value(.int(0...4096)), .value(.int(128)),
                    "Pictures generated per measurement, against as many real ones; 0 turns measuring off. At 256 of 64 px the first of a run takes about 10 s of two cores (it also measures the floor), later ones about 5 s."),
        SchemaEntry("training.share", .value(.float(0.01...100)), .value(.float(1)),
                    "Relative share of an overnight run's time when several themes train in turn."),
        SchemaEntry("training.precision", .value(.choice(TrainingPrecision.allCases.map(\.rawValue))),
                    .value(.string(TrainingPrecision.auto.rawValue)),
                    "Number format of the matrix products: `bf16` rounds their inputs to bfloat16 and sums in float32 (weights, Adam state and batch-norm statistics stay float32); `auto` takes bf16 where the CPU has AVX-512 BF16, else `fp32`. The trainer prints which runs and the checkpoint records it."),
        SchemaEntry("training.seed", .value(.int(0...4_294_967_295)), .value(.int(1)),
                    "Seeds weights, data order and noise, so a run replays."),
        SchemaEntry("training.init_from", .themeReference, .none,
                    "Start from another theme's weights instead of random ones, then train on this theme's pictures: a new theme of few pictures gets there in a fraction of the images. The other theme must have the same architecture, parameters and resolution. Its training state gives both networks; with only its generator file (as shipped), D starts fresh and trains alone for a while first. Used once, when this theme has neither state nor generator."),

        SchemaEntry("palette", .section(plugin: nil), .none, "Colours of the theme."),
        SchemaEntry("palette.colors", .value(.int(2...16)), .value(.int(6)),
                    "Number of colours extracted from the dataset for palettes and recolouring."),

        SchemaEntry("generate", .section(plugin: nil), .none, "Making pictures."),
        SchemaEntry("generate.truncation", .value(.float(0...1)), .value(.float(1)),
                    "Latent truncation: lower values pull latents toward the mean for more typical pictures; 1 keeps full variety, and suits DCGAN, whose pictures wash out when z is shorter than in training (`neurossia eval THEME --truncation T` compares)."),
        SchemaEntry("generate.from", .value(.choice(GeneratorChoice.allCases.map(\.rawValue))),
                    .value(.string(GeneratorChoice.latest.rawValue)),
                    "Which trained generator makes the pictures: `latest`, the moving average at the last checkpoint (generator.safetensors), or `best`, the one that measured the lowest SWD during training (best.safetensors, written whenever a `training.eval_every` measurement beats every earlier one of the run; until one does, the latest)."),
    ]

    /// The units a span (`budget`, `checkpoint_every`, `sample_every`, `eval_every`) may be given in.
    public enum SpanUnit: String, CaseIterable, Sendable {
        case kimg, minutes, hours

        var range: ClosedRange<Double> {
            switch self {
            case .kimg: return 0.001...1_000_000
            case .minutes: return 0.01...100_000
            case .hours: return 0.001...10_000
            }
        }

        var doc: String {
            switch self {
            case .kimg: return "thousands of real images shown to the discriminator"
            case .minutes: return "minutes of wall time"
            case .hours: return "hours of wall time (added to minutes)"
            }
        }
    }

    /// A span section with one key per unit; `fallback` applies only when none is given.
    private static func span(_ keyPath: String, _ doc: String, fallback: SpanUnit, _ amount: Double) -> [SchemaEntry] {
        [SchemaEntry(keyPath, .section(plugin: nil), .none, doc + " Give kimg, minutes and/or hours; the first reached counts.")]
            + SpanUnit.allCases.map { unit in
                SchemaEntry("\(keyPath).\(unit.rawValue)", .value(.float(unit.range)),
                            unit == fallback ? .unlessSiblingSet(.float(amount)) : .none,
                            unit.doc.prefix(1).uppercased() + unit.doc.dropFirst() + ".")
            }
    }

    /// A source that reads files needs `dataset.path`, and it must be a folder.
    private static let datasetFolderRule: Rule = { values, root, catalog in
        guard let sourceName = values.value("dataset.source")?.stringValue,
              let source = catalog.datasetSource(named: sourceName), source.needsPath else { return [] }
        let expected = SchemaKind.path(relativeTo: .themeFile).requirement(catalog)
        if let folder = values.url("dataset.path") {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder)
            guard !exists || !isFolder.boolValue else { return [] }
            return [ConfigDiagnostic(at: values.locations["dataset.path"]!, keyPath: "dataset.path",
                                     message: exists ? "exists but is not a folder" : "folder does not exist",
                                     found: quoted(values.value("dataset.path")!.stringValue!), expected: expected)]
        }
        guard values.locations["dataset.path"] == nil, values.requireKeys else { return [] }
        return [ConfigDiagnostic(at: root["dataset"]?.location ?? root.location, keyPath: "dataset.path",
                                 message: "required by dataset source \"\(sourceName)\"", expected: expected)]
    }

    /// The architecture must be able to make the dataset's resolution.
    private static let resolutionRule: Rule = { values, root, catalog in
        guard let architectureName = values.value("architecture.name")?.stringValue,
              let architecture = catalog.architecture(named: architectureName),
              let resolution = values.value("dataset.resolution")?.intValue,
              !architecture.resolutions.contains(resolution) else { return [] }
        let location = values.locations["dataset.resolution"] ?? values.locations["architecture.name"]
            ?? root["dataset"]?.location ?? root.location
        return [ConfigDiagnostic(at: location, keyPath: "dataset.resolution",
                                 message: "\(architectureName) cannot make \(resolution)×\(resolution) images", found: String(resolution),
                                 expected: "one of: " + architecture.resolutions.map(String.init).joined(separator: ", "))]
    }
}
