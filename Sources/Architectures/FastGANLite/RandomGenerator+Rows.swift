import Engine

extension RandomGenerator {
    /// One generator per row of `tensor` (its first dimension), seeded by the bits of that row and by
    /// `salt`: randomness that belongs to a sample whichever batch or data-parallel slice holds it, and
    /// that a given sample (a latent from `generate --seed`) replays exactly.
    static func seededByRows(of tensor: Tensor, salt: UInt64 = 0) -> [RandomGenerator] {
        let rows = tensor.shape[0], length = tensor.count / max(rows, 1)
        return (0..<rows).map { row in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for i in 0..<length {
                hash = (hash ^ UInt64(tensor.data[row * length + i].bitPattern)) &* 0x0000_0100_0000_01B3
            }
            return RandomGenerator(seed: hash ^ salt)
        }
    }
}
