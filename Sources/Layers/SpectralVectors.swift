import Engine

/// The power-iteration vectors of a spectrally normalised layer (buffers: saved, not trained).
public final class SpectralVectors: Module {
    public let u: Tensor
    public let v: Tensor

    public init(rows: Int, columns: Int, rng: inout RandomGenerator) {
        u = Tensor(randomNormal: [rows], rng: &rng)
        v = Tensor(randomNormal: [columns], rng: &rng)
    }

    /// weight / σ(weight); one power iteration per call while training, none in evaluation.
    func normalize(_ weight: Tensor, training: Bool) -> Tensor {
        spectralNormalized(weight, u: u, v: v, powerIterations: training ? 1 : 0)
    }
}
