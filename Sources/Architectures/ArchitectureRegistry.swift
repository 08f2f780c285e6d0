import ThemeConfig

/// Every architecture a theme can name. Adding one is one line here.
public enum ArchitectureRegistry {
    public static let all: [any Architecture.Type] = [
        LatentWidthArchitecture<DCGAN>.self,
        LatentWidthArchitecture<FastGANLite>.self,
    ]

    public static func named(_ name: String) -> (any Architecture.Type)? {
        all.first { $0.declaration.name == name }
    }

    /// What ThemeConfig's catalog lists.
    public static var declarations: [PluginDeclaration] { all.map { $0.declaration } }

    /// The architecture `name`, configured for a theme.
    public static func make(_ name: String, parameters: [String: ParameterValue],
                            resolution: Int) throws(ArchitectureError) -> any Architecture {
        guard let type = named(name) else {
            throw .unknownArchitecture(name: name, known: all.map { $0.declaration.name })
        }
        return try type.init(parameters: parameters, resolution: resolution)
    }
}
