import Architectures
import Checkpoint
import Engine
import Foundation
import ThemeConfig

/// A trained generator as shipped in Models/<theme>/generator.safetensors: the architecture and its
/// parameters come from the file's metadata, so generating needs nothing else.
public struct ShippedGenerator {
    public let file: String
    public let metadata: [String: String]
    public let network: any ImageGenerator

    public init(file: String) throws {
        let contents = try SafeTensorsFile(contentsOf: file)
        metadata = contents.metadata
        guard metadata["format"] == CheckpointFiles.generatorFormat, let name = metadata["architecture"],
              let resolution = Int(metadata["resolution"] ?? "") else {
            throw NotAGenerator(file: file, format: metadata["format"], tensors: contents.tensors.keys.sorted())
        }
        let parameters = try JSONDecoder().decode([String: ParameterValue].self,
                                                  from: Data((metadata["architecture_parameters"] ?? "{}").utf8))
        let architecture = try ArchitectureRegistry.make(name, parameters: parameters, resolution: resolution)
        var rng = RandomGenerator(seed: 0)
        network = architecture.makeGenerator(rng: &rng)
        network.train(false)
        try contents.restore(network.namedState(), prefix: "", file: file)
        self.file = file
    }

    /// The generator a theme ships, with a message that says how to make one when there is none.
    public init(theme: Theme) throws {
        let file = theme.generatorFile.path
        guard FileManager.default.fileExists(atPath: file) else { throw MissingGenerator(theme: theme.name, file: file) }
        try self.init(file: file)
    }

    public var theme: String { metadata["theme"] ?? "?" }
    public var imagesSeen: Int { Int(metadata["images_seen"] ?? "") ?? 0 }
}

extension Theme {
    /// What `generate`, `eval` and sets read: Models/<theme>/generator.safetensors, or best.safetensors
    /// when the theme asks for its best generator (`generate.from: best`) and training has measured one.
    public var generatorFile: URL {
        let best = checkpoint.appendingPathComponent(CheckpointFiles.best)
        if generate.from == .best, FileManager.default.fileExists(atPath: best.path) { return best }
        return checkpoint.appendingPathComponent(CheckpointFiles.generator)
    }
}

/// A safetensors file that is not a Neurossia generator (another program's, or a training state).
public struct NotAGenerator: Error, CustomStringConvertible {
    public let file: String, format: String?, tensors: [String]
    public var description: String {
        let held = tensors.isEmpty ? "no tensors" : "\(tensors.count) tensor(s): " + tensors.prefix(4).joined(separator: ", ")
            + (tensors.count > 4 ? ", …" : "")
        return "\(file) is not a Neurossia generator (format \(format.map { "\"\($0)\"" } ?? "not given"), expected \"\(CheckpointFiles.generatorFormat)\"); "
            + "it holds \(held)"
    }
}

public struct MissingGenerator: Error, CustomStringConvertible {
    public let theme: String, file: String
    public var description: String { "\(theme) has no trained generator at \(file); train it first: neurossia train \(theme)" }
}
