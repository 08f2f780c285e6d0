import Foundation

/// GAN and reconstruction losses, each a scalar mean.
extension Tensor {
    /// Binary cross-entropy of logits against a constant label (1 real, 0 fake), computed stably:
    /// max(x, 0) − x·y + log(1 + e^−|x|). The non-saturating GAN loss is this with y = 1 for G.
    public func bceWithLogits(target y: Float) -> Tensor {
        OpClock.measure(.loss) {
            let n = Float(count)
            var total: Double = 0
            for i in 0..<count {
                let x: Float = data[i]
                let softplus: Float = log1p(exp(-Swift.abs(x)))
                total += Double(max(x, 0) - x * y + softplus)
            }
            let out = Tensor([Float(total / Double(n))], shape: [])
            return out.recorded(from: [self]) { out in
                let (dx, g) = (self.gradBuffer, out.gradBuffer[0] / n)
                for i in 0..<self.count { dx[i] += g * (1 / (1 + exp(-self.data[i])) - y) }
            }
        }
    }

    /// Hinge loss mean(relu(m − sign·x)): sign +1 for real logits, −1 for fake (Lim & Ye 2017); the
    /// margins m (constants, same shape) are 1 in the classic loss, FastGAN draws them from [0.8, 1).
    public func hinge(sign: Float, margins: Tensor) -> Tensor {
        OpClock.measure(.loss) { (margins.detached() + affine(scale: -sign)).relu().mean() }
    }

    public func abs() -> Tensor {
        elementwise({ Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
    }

    /// Mean absolute difference.
    public func l1Loss(_ target: Tensor) -> Tensor { OpClock.measure(.loss) { (self - target).abs().mean() } }

    /// Mean squared difference.
    public func mseLoss(_ target: Tensor) -> Tensor {
        OpClock.measure(.loss) {
            let d = self - target
            return (d * d).mean()
        }
    }
}
