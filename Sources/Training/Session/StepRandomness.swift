import Engine

/// A step's randomness, drawn per global sample index from one seed: sample i's latent and its
/// augmentations come from streams of their own, so a rank holding samples 32..<64 draws for them
/// exactly what a lone process holding 0..<64 draws; the loss's own randomness is one shared stream.
struct StepRandomness {
    let base: RandomGenerator
    /// Global sample indices this process holds.
    let slice: Range<Int>

    enum Stream: UInt64 { case latent, realAugmentation, fakeAugmentationD, fakeAugmentationG }

    init(seed: UInt64, slice: Range<Int>) {
        base = RandomGenerator(seed: seed)
        self.slice = slice
    }

    /// One generator per sample of the slice.
    func streams(_ stream: Stream) -> [RandomGenerator] {
        slice.map { base.derived(4 * UInt64($0) + stream.rawValue) }
    }

    /// z [slice.count, width], standard normal.
    func latents(width: Int) -> Tensor {
        var streams = streams(.latent)
        let z = Tensor(zeros: [slice.count, width])
        for i in streams.indices {
            for j in 0..<width { z.data[i * width + j] = streams[i].normal() }
        }
        return z
    }

    /// For randomness of the whole batch (FastGAN's reconstructed quadrant).
    var shared: RandomGenerator { base.derived(.max) }
}
