import Foundation

/// The files of a theme's checkpoint folder (Models/<theme>/) and the format names their metadata
/// carries: one place, so the trainer that writes them and the generator that reads them agree.
public enum CheckpointFiles {
    /// Everything to continue training exactly; its previous copy is the fallback when it is damaged.
    public static let state = "state.safetensors"
    /// The moving-average generator in float16: what ships and what `generate` reads.
    public static let generator = "generator.safetensors"
    /// The moving-average generator that measured the lowest SWD of the run so far, in float16, with its
    /// measurement in the metadata (`swd`, `swd_floor`): what a theme with `generate.from: best` ships.
    public static let best = "best.safetensors"
    public static let log = "log.jsonl"
    public static let samples = "samples"
    /// What an archived run moves aside (the state's previous copy included).
    public static let run = [state, AtomicFile.previousPath(for: state), generator, best, log, samples]

    public static let stateFormat = "neurossia-state/1"
    public static let generatorFormat = "neurossia-generator/1"
}

/// A checkpoint written for another architecture, resolution or format than the theme now asks for.
public struct IncompatibleCheckpoint: Error, CustomStringConvertible {
    public let file: String, key: String, found: String, expected: String

    public init(file: String, key: String, found: String, expected: String) {
        (self.file, self.key, self.found, self.expected) = (file, key, found, expected)
    }

    public var description: String {
        "\(file) was trained with \(key) \(found), but the theme now asks for \(expected); "
            + "run `neurossia train --fresh` to start over (the old run is kept under archive/), or restore the theme's settings"
    }
}
