import Foundation

/// Why a dataset could not be loaded; `description` says where and what to do.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    case unknownSource(name: String, known: [String])
    /// The source reads files but no `path` was given.
    case pathRequired(source: String)
    case folderMissing(path: String)
    /// The folder was scanned but no picture in it decoded; `skipped` says why for each file.
    case noUsableImages(folder: String, skipped: [SkippedFile])
    case unknownParameter(source: String, key: String, known: [String])
    case invalidParameter(source: String, key: String, value: String, expected: String)
    /// The starter source got no scene and the theme's name is not one.
    case sceneRequired(themeName: String?, scenes: [String])

    public var description: String {
        switch self {
        case .unknownSource(let name, let known):
            return "unknown dataset source \"\(name)\"; use one of: " + known.joined(separator: ", ")
        case .pathRequired(let source):
            return "dataset source \"\(source)\" reads a folder of images: give its path (dataset.path, or --path)"
        case .folderMissing(let path):
            return "\(path): no such folder; check the dataset path (in a theme, relative to the theme file)"
        case .noUsableImages(let folder, let skipped):
            let found = skipped.isEmpty
                ? "holds no .jpg, .jpeg or .png files"
                : "holds \(skipped.count) picture file\(skipped.count == 1 ? "" : "s") but none could be read"
            return "\(folder): \(found); add JPEG or PNG pictures to it (subfolders count) or point the dataset path elsewhere"
                + skipped.map { "\n  " + $0.message }.joined()
        case .unknownParameter(let source, let key, let known):
            let valid = known.isEmpty ? "it takes none" : "valid: " + known.joined(separator: ", ")
            return "dataset source \"\(source)\" has no parameter \"\(key)\"; \(valid)"
        case .invalidParameter(let source, let key, let value, let expected):
            return "dataset source \"\(source)\": \(key) is \(value), but must be \(expected)"
        case .sceneRequired(let themeName, let scenes):
            let why = themeName.map { "the theme's name \"\($0)\" is not a starter scene" } ?? "no theme names one"
            return "the starter source needs a scene: \(why); set dataset.scene (or --scene) to one of: "
                + scenes.joined(separator: ", ")
        }
    }
}
