import Engine
import ThemeConfig

/// Differentiable augmentation (Zhao et al. 2020): the discriminator sees real and generated batches
/// through the same random transforms, and gradients flow back through them into the generator,
/// so a small dataset is not memorised. Each call draws new randomness.
public struct DiffAugment {
    /// Applied in this order, as the theme lists it.
    public let policy: [Augmentation]

    public init(policy: [Augmentation]) {
        self.policy = policy
    }

    /// [N, C, H, W] in [-1, 1] → same shape, on the tape; image i's transforms drawn from `images[i]`,
    /// so an image is transformed the same whichever slice of a batch it arrives in.
    public func callAsFunction(_ x: Tensor, images: inout [RandomGenerator]) -> Tensor {
        Self.apply(draws(height: x.shape[2], width: x.shape[3], images: &images), to: x)
    }

    /// As above with every image's stream derived from `rng`, which moves on, so each call draws afresh.
    public func callAsFunction(_ x: Tensor, rng: inout RandomGenerator) -> Tensor {
        Self.apply(draws(batch: x.shape[0], height: x.shape[2], width: x.shape[3], rng: &rng), to: x)
    }

    public func draws(batch n: Int, height h: Int, width w: Int, rng: inout RandomGenerator) -> [AugmentationDraw] {
        var images = (0..<n).map { rng.derived(UInt64($0)) }
        _ = rng.next()
        return draws(height: h, width: w, images: &images)
    }

    /// The random numbers of every transform in the policy, in policy order, each image's from its own stream.
    public func draws(height h: Int, width w: Int, images: inout [RandomGenerator]) -> [AugmentationDraw] {
        policy.map { augmentation in
            switch augmentation {
            case .color:
                let brightness = images.indices.map { images[$0].uniform(-0.5, 0.5) }
                let saturation = images.indices.map { images[$0].uniform(0, 2) }
                let contrast = images.indices.map { images[$0].uniform(0.5, 1.5) }
                return .color(brightness: brightness, saturation: saturation, contrast: contrast)
            case .translation:
                let (rows, columns) = ((h + 4) / 8, (w + 4) / 8)
                return .translation(images.indices.map { (uniformInt(-rows...rows, &images[$0]), uniformInt(-columns...columns, &images[$0])) })
            case .cutout:
                let (side, across) = ((h + 1) / 2, (w + 1) / 2)
                return .cutout(height: side, width: across, corners: images.indices.map {
                    (uniformInt(0...(h - side % 2), &images[$0]) - side / 2, uniformInt(0...(w - across % 2), &images[$0]) - across / 2)
                })
            }
        }
    }

    /// `x` through each drawn transform in turn; composed of taped ops, so it is differentiable.
    public static func apply(_ draws: [AugmentationDraw], to x: Tensor) -> Tensor {
        OpClock.measure(.augmentation) {
            draws.reduce(x) { x, draw in draw.apply(to: x) }
        }
    }
}

/// One transform's random numbers for a batch, kept apart from applying them so tests can fix them.
public enum AugmentationDraw {
    /// Per image: a brightness shift, then a factor on the distance from the pixel's channel mean
    /// (saturation), then on the distance from the image's mean (contrast).
    case color(brightness: [Float], saturation: [Float], contrast: [Float])
    /// Per image, whole pixels moved down and right; zeros move in.
    case translation([(down: Int, right: Int)])
    /// Per image, the top-left corner of a `height`×`width` rectangle set to 0; it may hang over the edge.
    case cutout(height: Int, width: Int, corners: [(top: Int, left: Int)])

    /// [N, C, H, W] → same shape.
    func apply(to x: Tensor) -> Tensor {
        let (n, h, w) = (x.shape[0], x.shape[2], x.shape[3])
        switch self {
        case .color(let brightness, let saturation, let contrast):
            return x.colourJittered(brightness: brightness, saturation: saturation, contrast: contrast)
        case .translation(let offsets):
            return x.translated(offsets)
        case .cutout(let height, let width, let corners):
            let mask = Tensor(repeating: 1, shape: [n, 1, h, w])
            for (i, corner) in corners.enumerated() {
                for y in clip(corner.top, height, to: h) {
                    for x in clip(corner.left, width, to: w) { mask.data[(i * h + y) * w + x] = 0 }
                }
            }
            return x * mask
        }
    }
}

/// Uniform over the closed range, without modulo bias worth mentioning for small ranges.
private func uniformInt(_ range: ClosedRange<Int>, _ rng: inout RandomGenerator) -> Int {
    range.lowerBound + Int(rng.next() % UInt64(range.count))
}

/// The part of start..<start+length inside 0..<limit (possibly empty).
private func clip(_ start: Int, _ length: Int, to limit: Int) -> Range<Int> {
    let lower = min(max(start, 0), limit)
    return lower..<max(min(start + length, limit), lower)
}
