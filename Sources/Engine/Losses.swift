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

    /// Hinge loss mean(relu(1 − sign·x)): sign +1 for real logits, −1 for fake (Lim & Ye 2017).
    public func hinge(sign: Float) -> Tensor { OpClock.measure(.loss) { affine(scale: -sign, shift: 1).relu().mean() } }

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
