import Engine
import Layers

extension FastGANLite {
    /// The paper's noise injection: x + w · noise, with one learned scalar w (0 at first, so a fresh
    /// network ignores it) and Gaussian noise [N, 1, H, W] shared by the channels, drawn afresh at each
    /// call, in training and generation alike: detail that need not come from z.
    /// x [N, C, H, W]; sample i's noise comes from `noise[i]`.
    final class NoiseInjection: Module {
        /// w, [1].
        let weight = Tensor(zeros: [1], requiresGrad: true)

        func callAsFunction(_ x: Tensor, noise streams: [RandomGenerator]) -> Tensor {
            x.addingNoise(planes(for: x, streams: streams), scaledBy: weight)
        }

        /// The noise planes [N, 1, H, W] for x.
        func planes(for x: Tensor, streams: [RandomGenerator]) -> Tensor {
            let (n, plane) = (x.shape[0], x.shape[2] * x.shape[3])
            precondition(streams.count == n, "noise streams for \(streams.count) samples, a batch of \(n)")
            let noise = Tensor(zeros: [n, 1, x.shape[2], x.shape[3]])
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
