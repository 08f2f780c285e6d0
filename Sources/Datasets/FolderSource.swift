import Foundation
import Imaging
import ThemeConfig

/// The user's own photos: every .jpg, .jpeg and .png under `dataset.path`, made square per `fit`
/// and resized to the theme's resolution. Files that fail to decode are skipped and reported.
public enum FolderSource: DatasetSource {
    public static let declaration = PluginDeclaration(
        name: "folder", needsPath: true, parameters: [],
        summary: "A folder of JPEG and PNG photos, subfolders included; decoded once into a cache per resolution and fit.")

    /// Fill of the bars `fit: pad` adds around a non-square photo.
    static let padding = RGB.black

    public static func load(_ request: DatasetRequest) throws -> Dataset {
        guard let folder = request.path else { throw DatasetError.pathRequired(source: declaration.name) }
        let scan = try FolderScan(folder)
        let (resolution, fit) = (request.resolution, request.fit)
        var fingerprint = Fingerprint()
        fingerprint.add("\(declaration.name) \(resolution) \(fit.rawValue)")
        scan.add(to: &fingerprint)
        let cache = cache(cacheName(folder: folder, resolution: resolution, fit: fit), for: request)
        return try cache.dataset(fingerprint: fingerprint.hex, resolution: resolution, source: "folder \(folder.path)",
                                 ignored: scan.ignored) {
            let (pixels, failures) = Dataset.produce(count: scan.files.count, resolution: resolution) { index in
                let photo = try Image(contentsOf: scan.files[index].url)
                let square = fit == .crop ? photo.centreCroppedSquare() : photo.paddedSquare(fill: padding)
                return square.resized(width: resolution, height: resolution)
            }
            let skipped = (scan.unusable + failures.map { SkippedFile(path: scan.files[$0.index].path, message: String(describing: $0.error)) })
                .sorted { $0.path < $1.path }
            guard !pixels.isEmpty else { throw DatasetError.noUsableImages(folder: folder.path, skipped: skipped) }
            return (pixels, skipped)
        }
    }

    /// `folder-<name>-<hash of the absolute path>-<R>-<fit>.bin`: readable, and distinct for two folders of one name.
    static func cacheName(folder: URL, resolution: Int, fit: ImageFit) -> String {
        var pathHash = Fingerprint()
        pathHash.add(folder.standardizedFileURL.path)
        let name = folder.standardizedFileURL.lastPathComponent.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        return "folder-\(name)-\(pathHash.hex.prefix(8))-\(resolution)-\(fit.rawValue).bin"
    }
}
