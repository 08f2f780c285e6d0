import Architectures
import Engine
import Foundation
import Imaging

/// Pictures from any generator by seed: what `generate` and `eval` show of a shipped file, and what
/// training measures its moving average with, so the numbers of both agree.
extension ImageGenerator {
    /// Latent i of `seed`: its own stream, so image i is the same whatever the count.
    public func latentVector(seed: UInt64, index: Int) -> [Float] {
        var rng = RandomGenerator(seed: seed).derived(UInt64(index))
        return (0..<latent).map { _ in rng.normal() }
    }

    /// Pictures from latents [N, latent] scaled toward the mean (0) by `truncation`, in batches.
    public func render(_ latents: [[Float]], truncation: Float, batch: Int = 32) -> [Image] {
        withoutGradients {
            stride(from: 0, to: latents.count, by: batch).flatMap { start -> [Image] in
                let rows = latents[start..<min(start + batch, latents.count)]
                let z = Tensor(rows.flatMap { $0 }, shape: [rows.count, latent])
                return Image.batch(self(truncated(z, psi: truncation)))
            }
        }
    }

    /// `count` pictures of `seed`.
    public func generate(count: Int, seed: UInt64, truncation: Float) -> [Image] {
        render((0..<count).map { latentVector(seed: seed, index: $0) }, truncation: truncation)
    }

    /// A walk through latent space: `frames` pictures between each consecutive pair of seeds' first latents
    /// (spherical interpolation, which keeps the latents' typical length).
    public func interpolate(seeds: [UInt64], frames: Int, truncation: Float) -> [Image] {
        let points = seeds.map { latentVector(seed: $0, index: 0) }
        var latents: [[Float]] = []
        for (a, b) in zip(points, points.dropFirst()) {
            for f in 0..<frames { latents.append(slerp(a, b, Float(f) / Float(frames))) }
        }
        latents.append(points.last!)
        return render(latents, truncation: truncation)
    }
}

/// Spherical interpolation between two latents at t ∈ [0, 1].
func slerp(_ a: [Float], _ b: [Float], _ t: Float) -> [Float] {
    let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot(), nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let omega = acos(min(max(dot / (na * nb), -1), 1))
    guard omega > 1e-4 else { return zip(a, b).map { $0 + t * ($1 - $0) } }
    let (wa, wb) = (sin((1 - t) * omega) / sin(omega), sin(t * omega) / sin(omega))
    return zip(a, b).map { wa * $0 + wb * $1 }
}
