import Foundation
import ThemeConfig

/// Everything a dataset source needs to load: what a theme's `dataset:` section says, plus where
/// decoded caches go. Built from a theme, or by hand for `dataset inspect`.
public struct DatasetRequest: Sendable, Hashable {
    /// A name in `DatasetRegistry`.
    public var source: String
    /// Folder of images, for sources that read files.
    public var path: URL?
    /// Square side in pixels.
    public var resolution: Int
    public var fit: ImageFit
    /// The source's own parameters; keys left out take the declaration's default.
    public var parameters: [String: ParameterValue]
    /// The theme asking, if any: the starter source draws the scene of the same name by default.
    public var themeName: String?
    /// Folder holding decoded caches (`.neurossia-cache` beside Themes/ for a theme).
    public var cacheFolder: URL

    /// The cache folder's name, beside Themes/ or in the working directory.
    public static let cacheFolderName = ".neurossia-cache"

    public init(source: String, path: URL?, resolution: Int, fit: ImageFit, parameters: [String: ParameterValue],
                themeName: String? = nil, cacheFolder: URL) {
        self.source = source
        self.path = path
        self.resolution = resolution
        self.fit = fit
        self.parameters = parameters
        self.themeName = themeName
        self.cacheFolder = cacheFolder
    }

    /// What `theme` trains on, cached beside its Themes/ folder.
    public init(theme: Theme) {
        self.init(source: theme.dataset.source, path: theme.dataset.path, resolution: theme.dataset.resolution,
                  fit: theme.dataset.fit, parameters: theme.dataset.parameters, themeName: theme.name,
                  cacheFolder: theme.repositoryRoot.appendingPathComponent(Self.cacheFolderName, isDirectory: true))
    }
}
