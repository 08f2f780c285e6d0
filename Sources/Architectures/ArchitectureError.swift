import ThemeConfig

/// Why an architecture could not be built from a theme's settings. Theme validation normally
/// catches these first; they exist so a bad value never reaches a precondition.
public enum ArchitectureError: Error, Equatable, CustomStringConvertible {
    case unknownArchitecture(name: String, known: [String])
    case unsupportedResolution(architecture: String, resolution: Int, supported: [Int])
    case invalidParameter(architecture: String, key: String, value: ParameterValue, expected: String)

    public var description: String {
        switch self {
        case .unknownArchitecture(let name, let known):
            return "no architecture named \(name); known: \(known.joined(separator: ", "))"
        case .unsupportedResolution(let architecture, let resolution, let supported):
            return "\(architecture) cannot make \(resolution)×\(resolution) images; it makes "
                + supported.map { "\($0)" }.joined(separator: ", ")
        case .invalidParameter(let architecture, let key, let value, let expected):
            return "\(architecture): \(key) is \(value), expected \(expected)"
        }
    }
}

extension ArchitectureError {
    /// A setting the declaration's reader refused.
    public init(_ error: PluginParameterError) {
        self = .invalidParameter(architecture: error.plugin, key: error.key, value: error.value, expected: error.expected)
    }
}
