import Engine

/// Named tensors of a model (or an optimiser's moments) in and out of a safetensors file, under a prefix
/// ("G.", "D.", "EMA.", "adamG.") so one file holds a whole training session.
extension SafeTensorsFile {
    public mutating func store(_ tensors: [(name: String, tensor: Tensor)], prefix: String, as dtype: SafeTensorsDType = .f32) {
        for (name, tensor) in tensors { setFloats(prefix + name, tensor.scalars, shape: tensor.shape, as: dtype) }
    }

    /// Copies every `prefix` entry into the tensor of the same name. All mismatches (missing, extra,
    /// other shapes) are collected into one error, before any tensor is touched.
    public func restore(_ tensors: [(name: String, tensor: Tensor)], prefix: String, file: String) throws {
        var problems: [String] = []
        for (name, tensor) in tensors {
            guard let entry = self.tensors[prefix + name] else { problems.append("missing \(prefix + name)"); continue }
            if entry.shape != tensor.shape && !(entry.shape.reduce(1, *) == tensor.count && entry.shape.count <= 1) {
                problems.append("\(prefix + name) is \(entry.shape) in the file, \(tensor.shape) in the model")
            }
        }
        let expected = Set(tensors.map { prefix + $0.name })
        let extra = self.tensors.keys.filter { $0.hasPrefix(prefix) && !expected.contains($0) }.sorted()
        problems += extra.prefix(3).map { "unexpected \($0)" }
        guard problems.isEmpty else { throw CheckpointMismatch(file: file, problems: problems) }
        for (name, tensor) in tensors { tensor.copy(from: try floats(prefix + name)) }
    }
}

/// A checkpoint whose tensors do not fit the model the theme describes.
public struct CheckpointMismatch: Error, CustomStringConvertible {
    public let file: String
    public let problems: [String]

    public var description: String {
        "\(file) does not fit this architecture: " + problems.prefix(4).joined(separator: "; ")
            + (problems.count > 4 ? " (and \(problems.count - 4) more)" : "")
    }
}
