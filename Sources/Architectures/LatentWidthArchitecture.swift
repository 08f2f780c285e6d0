import Engine
import ThemeConfig

/// A GAN family set by the latent length and one width, as both shipped ones are: the family declares
/// its parameters and builds its networks, `LatentWidthArchitecture` reads the theme and keeps the settings.
public protocol LatentWidthFamily: Sendable {
    /// Declares the integer parameters `latent` and `width`.
    static var declaration: PluginDeclaration { get }

    static func makeGenerator(_ settings: LatentWidthArchitecture<Self>, rng: inout RandomGenerator) -> any ImageGenerator

    static func makeDiscriminator(_ settings: LatentWidthArchitecture<Self>, rng: inout RandomGenerator) -> any ImageDiscriminator
}

/// The architecture of a `LatentWidthFamily`, configured for a theme.
public struct LatentWidthArchitecture<Family: LatentWidthFamily>: Architecture, Hashable {
    public static var declaration: PluginDeclaration { Family.declaration }

    public let latent: Int
    /// The family's one channel setting.
    public let width: Int
    /// Square side in pixels.
    public let resolution: Int

    public init(latent: Int, width: Int, resolution: Int) {
        self.latent = latent
        self.width = width
        self.resolution = resolution
    }

    public init(parameters: [String: ParameterValue], resolution: Int) throws(ArchitectureError) {
        try Self.checkResolution(resolution)
        do throws(PluginParameterError) {
            self.init(latent: try Self.declaration.int("latent", in: parameters),
                      width: try Self.declaration.int("width", in: parameters), resolution: resolution)
        } catch {
            throw ArchitectureError(error)
        }
    }

    public func makeGenerator(rng: inout RandomGenerator) -> any ImageGenerator {
        Family.makeGenerator(self, rng: &rng)
    }

    public func makeDiscriminator(rng: inout RandomGenerator) -> any ImageDiscriminator {
        Family.makeDiscriminator(self, rng: &rng)
    }
}

extension ParameterSpec {
    /// The length of z, which every architecture here reads under the same key and range.
    public static func latent(default value: Int) -> ParameterSpec {
        ParameterSpec(key: "latent", kind: .int(16...512), defaultValue: .int(value), doc: "Length of the noise vector z.")
    }
}
