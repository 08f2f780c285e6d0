import Engine
import Layers

extension FastGANLite {
    /// images [N, 3, R, R] → patch logits [N, 25] (the paper's head: a 5×5 map over the 8×8 features);
    /// every conv spectrally normalised. On real images it also decodes the whole image from its 8×8
    /// features and one random quadrant from the matching quadrant of its 16×16 features.
    public final class Discriminator: Module, ImageDiscriminator {
        /// Halvings between an excitation's source and target feature sizes (32 → 8); the paper's 3
        /// would leave 64 px with none.
        static let excitationSpan = 2

        let stem: Conv2d
        /// blocks[i] makes features of size R/4 / 2^i, down to 8×8.
        let blocks: [DownBlock]
        /// excitations[j] gates blocks[j + 1]'s output with the features two sizes larger.
        let excitations: [SkipLayerExcitation]
        /// Pictures per group of the minibatch standard deviation the head sees; below 2, none.
        let minibatchGroup: Int
        /// The head: conv 1×1 to twice the 8×8 features' channels, batch norm, leaky ReLU, conv 4×4 → 1.
        let head: Conv2d, headNorm: BatchNorm2d
        let logits: Conv2d
        let decodeWhole: Decoder
        let decodePart: Decoder

        public init(channels: Channels, resolution: Int, minibatchGroup: Int = 0, rng: inout RandomGenerator) {
            precondition(resolution >= 32 && resolution & (resolution - 1) == 0, "FastGAN needs a power-of-two resolution")
            let sizes = (3..<resolution.trailingZeroBitCount).reversed().map { 1 << $0 }
            stem = Conv2d(inputChannels: 3, outputChannels: channels.discriminator(sizes[0]), kernelSize: 4, stride: 2,
                          padding: 1, bias: false, spectralNorm: true, rng: &rng)
            blocks = zip(sizes, sizes.dropFirst()).map { big, small in
                DownBlock(input: channels.discriminator(big), output: channels.discriminator(small), rng: &rng)
            }
            excitations = SkipLayerExcitation.spanning(sizes, span: Self.excitationSpan, channels: channels.discriminator,
                                                       rng: &rng)
            let hidden = 2 * channels.discriminator(8)
            self.minibatchGroup = minibatchGroup
            head = Conv2d(inputChannels: channels.discriminator(8) + (minibatchGroup >= 2 ? 1 : 0), outputChannels: hidden,
                          kernelSize: 1, bias: false, spectralNorm: true, rng: &rng)
            headNorm = BatchNorm2d(channels: hidden, gammaStd: 0.02, rng: &rng)
            logits = Conv2d(inputChannels: hidden, outputChannels: 1, kernelSize: 4, bias: false, spectralNorm: true, rng: &rng)
            decodeWhole = Decoder(input: channels.discriminator(8), channels: channels, rng: &rng)
            decodePart = Decoder(input: channels.discriminator(16), channels: channels, rng: &rng)
        }

        /// Logits [N, 25] and the features at 16×16 and 8×8.
        func features(_ images: Tensor) -> (logits: Tensor, at16: Tensor, at8: Tensor) {
            let features = excitations.features(from: stem(images, activation: .leakyReLU(0.2)), through: blocks.map { $0.callAsFunction },
                                                span: Self.excitationSpan)
            let at8 = features[features.count - 1], at16 = features[features.count - 2]
            let judged = minibatchGroup >= 2 ? at8.appendingMinibatchDeviation(group: minibatchGroup) : at8
            return (logits(headNorm(head(judged), activation: .leakyReLU(0.2))).flattened(), at16, at8)
        }

        public func callAsFunction(_ images: Tensor) -> Tensor { features(images).logits }

        /// Hinge on the logits with the paper's random margins, plus L1 between the decoders' output and
        /// the real image, whole and one quadrant, each area-averaged down to 32×32.
        public func discriminatorLoss(real: Tensor, fake: () -> Tensor, rng: inout RandomGenerator,
                                      realPass: (GANLoss) -> Void) -> GANLoss {
            let (realLogits, at16, at8) = features(real)
            let quadrant = Int(rng.next() % 4)
            let (row, column) = (quadrant / 2, quadrant % 2)
            let half = real.shape[2] / 2
            let part = real.cropped(top: row * half, left: column * half, height: half, width: half)
            let reconstruction = decodeWhole(at8).l1Loss(Self.shrunk(real))
                + decodePart(at16.cropped(top: row * 8, left: column * 8, height: 8, width: 8)).l1Loss(Self.shrunk(part))
            let (realMargins, fakeMargins) = Self.margins(like: realLogits, for: real, salt: rng.next())
            let lossReal = realLogits.hinge(sign: 1, margins: realMargins)
            realPass(GANLoss(total: lossReal + reconstruction, parts: [("real", lossReal.item), ("reconstruction", reconstruction.item)]))
            let lossFake = self(fake().detached()).hinge(sign: -1, margins: fakeMargins)
            return GANLoss(total: lossFake, parts: [("fake", lossFake.item)])
        }

        /// Hinge generator loss: −mean D(G(z)).
        public func generatorLoss(fake: Tensor) -> GANLoss {
            let loss = -self(fake).mean()
            return GANLoss(total: loss, parts: [("fake", loss.item)])
        }

        /// The paper's hinge margins, uniform in [0.8, 1) for each logit [N, K], real then fake. Image i's
        /// come from a stream seeded by real image i and `salt`, so a data-parallel slice draws what the
        /// whole batch would.
        static func margins(like logits: Tensor, for images: Tensor, salt: UInt64) -> (real: Tensor, fake: Tensor) {
            let (real, fake) = (Tensor(zeros: logits.shape), Tensor(zeros: logits.shape))
            let k = logits.count / logits.shape[0]
            for (i, stream) in RandomGenerator.seededByRows(of: images, salt: salt).enumerated() {
                var stream = stream
                for j in 0..<k { real.data[i * k + j] = stream.uniform(0.8, 1) }
                for j in 0..<k { fake.data[i * k + j] = stream.uniform(0.8, 1) }
            }
            return (real, fake)
        }

        /// [N, 3, S, S] → [N, 3, 32, 32] by averaging S/32 × S/32 blocks.
        static func shrunk(_ images: Tensor) -> Tensor {
            let factor = images.shape[2] / Decoder.outputSize
            return factor == 1 ? images : images.avgPool(factor)
        }
    }
}
