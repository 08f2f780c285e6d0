import Engine

/// The truncation trick for generators fed z ~ N(0, I): pulls z toward the prior's mean (0) by ψ,
/// trading variety for typicality. ψ = 1 leaves z alone, ψ = 0 gives every sample the mean latent.
/// z [N, latent] → [N, latent].
public func truncated(_ z: Tensor, psi: Float) -> Tensor {
    z * psi
}
