/// Why a seasonal set could not be rendered or reproduced; `description` is one line naming the
/// file, theme or folder and what to do.
public enum SetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Item `item` (0-based) names a theme that is not among the loaded themes.
    case unknownTheme(theme: String, item: Int)
    /// The palette provider gave no palette for a choice other than `.own`.
    case missingPalette(theme: String, item: Int, palette: String)
    /// Recolouring a picture failed (a picture of one flat colour has no palette to move).
    case recolouringFailed(theme: String, seed: UInt64, reason: String)
    /// The output folder (or a folder above it) could not be made: `blocker` is the path that failed.
    /// A file could not be read or written.
    case fileFailed(file: String, action: String, reason: String)
    /// A manifest that does not parse, or holds values no render could have written.
    case badManifest(file: String, reason: String)
    /// The generator a manifest was made with is not the one there now.
    case generatorChanged(theme: String, file: String, recorded: String, current: String)
    /// Reproduction made files whose hashes differ from the manifest's, each named, and the versions of
    /// the program that made the manifest and that made them again.
    case outputsDiffer([Difference], recordedVersion: String, currentVersion: String)

    public struct Difference: Equatable, Sendable, CustomStringConvertible {
        public var file: String, recorded: String, current: String

        public init(file: String, recorded: String, current: String) {
            (self.file, self.recorded, self.current) = (file, recorded, current)
        }

        public var description: String { "\(file) (recorded \(recorded), now \(current))" }
    }

    public var description: String {
        switch self {
        case .unknownTheme(let theme, let item):
            return "item \(item + 1) uses theme \(theme), which did not load; check Themes/\(theme).yaml"
        case .missingPalette(let theme, let item, let palette):
            return "item \(item + 1) (\(theme)): no palette for \"\(palette)\""
        case .recolouringFailed(let theme, let seed, let reason):
            return "\(theme) seed \(seed): cannot recolour the picture: \(reason)"
        case .fileFailed(let file, let action, let reason):
            return "cannot \(action) \(file): \(reason)"
        case .badManifest(let file, let reason):
            return "\(file) is not a set manifest this program can read: \(reason)"
        case .generatorChanged(let theme, let file, let recorded, let current):
            return "\(theme): the generator \(file) differs from the one the manifest was made with "
                + "(recorded hash \(recorded), now \(current)); retraining changes every picture of the theme"
        case .outputsDiffer(let differences, let recordedVersion, let currentVersion):
            let files = (differences.count == 1 ? "1 file differs" : "\(differences.count) files differ") + " from the manifest: "
                + differences.map(\.description).joined(separator: ", ")
            guard recordedVersion != currentVersion else { return files }
            return files + "; the manifest was made by Neurossia \(recordedVersion) and this is \(currentVersion), whose kernels "
                + "round differently: render the set again with this version (neurossia set NAME) to get a manifest it reproduces"
        }
    }
}
