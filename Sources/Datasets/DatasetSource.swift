import ThemeConfig

/// A kind of dataset a theme can name in `dataset.source`: its declaration tells ThemeConfig which
/// keys it reads; `load` makes the pictures. Adding one is a new type plus a line in `DatasetRegistry`.
public protocol DatasetSource {
    static var declaration: PluginDeclaration { get }
    /// Decodes or renders the pictures at `request.resolution`, from the cache when it is current.
    /// Throws `DatasetError`, or `PluginParameterError` from the declaration's reader.
    static func load(_ request: DatasetRequest) throws -> Dataset
}

extension DatasetSource {
    /// The cache file `name` in the request's cache folder.
    static func cache(_ name: String, for request: DatasetRequest) -> DatasetCache {
        DatasetCache(file: request.cacheFolder.appendingPathComponent(name))
    }
}
