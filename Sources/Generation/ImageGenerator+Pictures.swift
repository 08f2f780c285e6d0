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

    /// Pictures per forward pass: at most 2¹⁹ output pixels (32 at 128 px, 8 at 256) and at most 64.
    /// At 128 px a pass of 64 made a 64 MB layer output that the holes left by training did not hold
    /// (`bench train --size 128 --batch 32 --precision fp32`: peak RSS 591 → 528 MB in passes of 32, at
    /// a generation speed within the rounds' spread); smaller passes run slower at 32 and 64 px, where
    /// Winograd's GEMMs take full runs of tiles whatever the batch (DCGAN-32 in passes of 32: 10.7–13.9k
    /// → 8.0–8.3k pictures/s).
    public var renderBatch: Int { min(64, max(1, (1 << 19) / (resolution * resolution))) }

    /// The pictures of each forward pass when `count` are made: runs of `renderBatch`, the last shorter.
    public func renderPasses(_ count: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: renderBatch).map { $0..<min($0 + renderBatch, count) }
    }

    /// Pictures from latents [N, latent] scaled toward the mean (0) by `truncation`, in batches (the
    /// layers' transformed weights kept from one to the next). With more than one batch, one picture
    /// goes through first and is dropped: the transforms are made then, while little else is live, so
    /// they sit low in the tensor pool rather than between the first batch's buffers, whose holes the
    /// next batch's larger ones would not fit (`bench train` at 128 px: 584 → 570 MB in float32).
    public func render(_ latents: [[Float]], truncation: Float) -> [Image] {
        let passes = renderPasses(latents.count)
        return Winograd.keepingTransformedWeights {
            withoutGradients {
                if passes.count > 1 { _ = self(truncated(Tensor(latents[0], shape: [1, latent]), psi: truncation)) }
                return passes.flatMap { pass -> [Image] in
                    let z = Tensor(latents[pass].flatMap { $0 }, shape: [pass.count, latent])
                    return Image.batch(self(truncated(z, psi: truncation)))
                }
            }
        }
    }

    /// `count` pictures of `seed`.
    public func generate(count: Int, seed: UInt64, truncation: Float) -> [Image] {
        render((0..<count).map { latentVector(seed: seed, index: $0) }, truncation: truncation)
    }

    /// Frame `index` of a walk through latent space: `frames` steps between each consecutive pair of
    /// seeds' first latents (spherical interpolation, which keeps the latents' typical length), then the
    /// last seed's; `walkLength` frames in all. Made one at a time, so a long walk needs no memory.
    public func walkLatent(seeds: [UInt64], frames: Int, index: Int) -> [Float] {
        let pair = min(index / frames, seeds.count - 1)
        guard pair < seeds.count - 1 else { return latentVector(seed: seeds[pair], index: 0) }
        let (a, b) = (latentVector(seed: seeds[pair], index: 0), latentVector(seed: seeds[pair + 1], index: 0))
        return slerp(a, b, Float(index % frames) / Float(frames))
    }
}

/// Frames in a walk through `seeds` with `frames` steps between each pair.
public func walkLength(seeds: Int, frames: Int) -> Int { (seeds - 1) * frames + 1 }

/// Spherical interpolation between two latents at t ∈ [0, 1].
func slerp(_ a: [Float], _ b: [Float], _ t: Float) -> [Float] {
    let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot(), nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let omega = acos(min(max(dot / (na * nb), -1), 1))
    guard omega > 1e-4 else { return zip(a, b).map { $0 + t * ($1 - $0) } }
    let (wa, wb) = (sin((1 - t) * omega) / sin(omega), sin(t * omega) / sin(omega))
    return zip(a, b).map { wa * $0 + wb * $1 }
}
