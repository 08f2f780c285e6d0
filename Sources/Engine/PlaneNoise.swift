/// Noise planes [N, 1, H, W] scaled by `weight`, added to one plane of a tensor [N, C, H, W] at a time
/// where an op reads it (FastGAN's noise injection, inside `batchNormGLU`): the sum lives a plane at a
/// time, in cache, and is never written whole.
struct PlaneNoise {
    let planes: Tensor
    let weight: Float
    /// H · W.
    let plane: Int

    /// `values` (a plane of image i) + weight · noise, written into `room` [H · W].
    func add(to values: UnsafePointer<Float>, image i: Int, into room: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        let noise = planes.data + i * plane
        for l in 0..<plane { room[l] = values[l] + weight * noise[l] }
        return UnsafePointer(room)
    }
}
