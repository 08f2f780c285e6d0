import Foundation

/// A theme after validation, inheritance and defaults: everything the dataset, architecture,
/// trainer and generator read, with no optional left to guess.
public struct Theme: Sendable, Hashable, Codable {
    public var name: String
    public var title: String
    /// The YAML file this theme was read from.
    public var file: URL
    /// The theme it `extends`, if any.
    public var parent: String?
    public var dataset: DatasetSettings
    public var architecture: ArchitectureSettings
    /// Absolute checkpoint folder.
    public var checkpoint: URL
    /// Checkpoint folder of the `training.init_from` theme, which the loader finds beside this one.
    public var initialWeights: URL?
    public var training: TrainingSettings
    public var palette: PaletteSettings
    public var generate: GenerateSettings

    /// The folder holding Themes/: relative checkpoint paths start here.
    public var repositoryRoot: URL { file.deletingLastPathComponent().deletingLastPathComponent() }
}

public struct DatasetSettings: Sendable, Hashable, Codable {
    public var source: String
    /// Absolute folder, for sources that read files.
    public var path: URL?
    /// Square side in pixels.
    public var resolution: Int
    public var fit: ImageFit
    public var flip: Bool
    public var augment: [Augmentation]
    /// The source's own parameters, defaults applied.
    public var parameters: [String: ParameterValue]
}

/// How a non-square image becomes square.
public enum ImageFit: String, Sendable, Hashable, Codable, CaseIterable {
    case crop, pad
}

/// DiffAugment transforms (Zhao et al. 2020).
public enum Augmentation: String, Sendable, Hashable, Codable, CaseIterable {
    case color, translation, cutout
}

public struct ArchitectureSettings: Sendable, Hashable, Codable {
    public var name: String
    /// The architecture's own parameters, defaults applied.
    public var parameters: [String: ParameterValue]
}

public struct TrainingSettings: Sendable, Hashable, Codable {
    public var batch: Int
    public var lr: Double
    public var beta1: Double
    public var beta2: Double
    public var ema: Double
    public var budget: Span
    public var checkpointEvery: Span
    public var sampleEvery: Span
    public var evalEvery: Span
    /// Generated pictures per measurement during training; 0: none.
    public var evalPictures: Int
    /// Relative weight of this theme's time in an overnight run.
    public var share: Double
    public var seed: Int
    public var precision: TrainingPrecision
    /// `training.init_from`: the theme whose weights a fresh start takes (`Theme.initialWeights` is its folder).
    public var initFrom: String?
}

/// `training.precision`, as written; the engine's `Precision` has the same cases and decides what runs.
public enum TrainingPrecision: String, Sendable, Hashable, Codable, CaseIterable {
    case auto, fp32, bf16
}

/// An amount of training: images seen and/or wall time; whichever is reached first ends it.
public struct Span: Sendable, Hashable, Codable {
    /// Thousands of real images shown to the discriminator.
    public var kimg: Double?
    /// Wall time; `hours` in the YAML are folded in here.
    public var minutes: Double?

    public init(kimg: Double?, minutes: Double?) {
        self.kimg = kimg
        self.minutes = minutes
    }
}

public struct PaletteSettings: Sendable, Hashable, Codable {
    public var colors: Int
}

public struct GenerateSettings: Sendable, Hashable, Codable {
    /// 1 keeps full variety; lower gives more typical pictures.
    public var truncation: Double
    /// Which of the trainer's generator files `generate`, `eval` and sets read.
    public var from: GeneratorChoice
}

/// `generate.from`: the generator at the last checkpoint, or the one that measured best during training
/// (a GAN's pictures get better and worse again as it trains; the last is not always the best).
public enum GeneratorChoice: String, Sendable, Hashable, Codable, CaseIterable {
    case latest, best
}
