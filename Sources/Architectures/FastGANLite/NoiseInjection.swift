import Engine
import Layers

extension FastGANLite {
    /// The paper's noise injection: x + w · noise, with one learned scalar w (0 at first, so a fresh
    /// network ignores it) and Gaussian noise [N, 1, H, W] shared by the channels, drawn afresh at each
    /// call, in training and generation alike: detail that need not come from z. The batch norm after it
    /// adds the planes as it reads x (`BatchNorm2d.gated(_:noise:)`); this holds w and draws the planes.
    final class NoiseInjection: Module {
        /// w, [1].
        let weight = Tensor(zeros: [1], requiresGrad: true)

        /// The noise planes [N, 1, H, W] for x.
        func planes(for x: Tensor, streams: [RandomGenerator]) -> Tensor {
            let (n, plane) = (x.shape[0], x.shape[2] * x.shape[3])
            precondition(streams.count == n, "noise streams for \(streams.count) samples, a batch of \(n)")
            let noise = Tensor(uninitialized: [n, 1, x.shape[2], x.shape[3]])
            // Each sample's plane from its own stream: the same values however the cores share them.
            Parallel.chunks(n, grain: max(1, 4_096 / max(plane, 1))) { samples in
                for i in samples {
                    var stream = streams[i]
                    stream.fillNormal(noise.data + i * plane, count: plane)
                }
            }
            return noise
        }
    }
}
