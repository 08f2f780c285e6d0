import Engine
import ThemeConfig

/// A GAN family set by the latent length and one width, as both shipped ones are: the family declares
/// its parameters and builds its networks, `LatentWidthArchitecture` reads the theme and keeps the settings.
public protocol LatentWidthFamily: Sendable {
    /// Declares the integer parameters `latent`, `width` and `minibatch_std`.
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
    /// Pictures per group of the discriminator's minibatch standard deviation; below 2 it is left out.
    public let minibatchGroup: Int

    public init(latent: Int, width: Int, resolution: Int, minibatchGroup: Int = 0) {
        self.latent = latent
        self.width = width
        self.resolution = resolution
        self.minibatchGroup = minibatchGroup
    }

    public init(parameters: [String: ParameterValue], resolution: Int) throws(ArchitectureError) {
        try Self.checkResolution(resolution)
        do throws(PluginParameterError) {
            self.init(latent: try Self.declaration.int("latent", in: parameters),
                      width: try Self.declaration.int("width", in: parameters), resolution: resolution,
                      minibatchGroup: try Self.declaration.int("minibatch_std", in: parameters))
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

    /// The discriminator's minibatch standard deviation, which every architecture here reads the same way.
    public static let minibatchDeviation = ParameterSpec(
        key: "minibatch_std", kind: .int(0...64), defaultValue: .int(0),
        doc: "Pictures per group whose spread across the group the discriminator sees as one more channel before its last layer (Karras et al. 2018), so a generator that draws too few kinds of picture is caught; 0 (the default) or 1 leaves it out (one picture has no spread). Changes the discriminator: a run cannot resume across a change.")
}
