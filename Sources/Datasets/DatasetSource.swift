import ThemeConfig

/// A kind of dataset a theme can name in `dataset.source`: its declaration tells ThemeConfig which
/// keys it reads; `load` makes the pictures. Adding one is a new type plus a line in `DatasetRegistry`.
public protocol DatasetSource {
    static var declaration: DatasetSourceDeclaration { get }
    /// Decodes or renders the pictures at `request.resolution`, from the cache when it is current.
    /// Throws `DatasetError`.
    static func load(_ request: DatasetRequest) throws -> Dataset
}

extension DatasetSource {
    /// The request's value of a declared parameter, or the declared default when it is left out.
    static func parameter(_ key: String, of request: DatasetRequest) throws -> ParameterValue {
        guard let spec = declaration.parameters.first(where: { $0.key == key }) else {
            preconditionFailure("\(declaration.name) reads undeclared parameter \(key)")
        }
        let value = request.parameters[key] ?? spec.defaultValue
        guard spec.kind.accepts(value) else {
            throw DatasetError.invalidParameter(source: declaration.name, key: key, value: value.description,
                                                expected: spec.kind.requirement)
        }
        return value
    }

    /// The cache file `name` in the request's cache folder.
    static func cache(_ name: String, for request: DatasetRequest) -> DatasetCache {
        DatasetCache(file: request.cacheFolder.appendingPathComponent(name))
    }
}
