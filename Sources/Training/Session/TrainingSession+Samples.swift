import Checkpoint
import Engine
import Foundation
import Generation
import Imaging

extension TrainingSession {
    /// Pictures in a sample grid: 8×8 from the same latents every time, so grids over a run compare.
    static let sampleCount = 64

    /// The averaged generator on the theme's fixed latents, as one grid written to samples/ (a file
    /// per sample plus latest.png). Returns the grid's path.
    @discardableResult
    public func writeSample() throws -> URL {
        var latentRNG = RandomGenerator(seed: UInt64(theme.training.seed)).derived(0x5A4D_504C)
        let z = Tensor(randomNormal: [Self.sampleCount, architecture.latent], rng: &latentRNG)
        refreshAverageStatistics()
        let pictures = withoutGradients { Image.batch(average(z)) }
        let grid = Image.grid(pictures, columns: 8)
        let samples = folder.appendingPathComponent(CheckpointFiles.samples, isDirectory: true)
        try FileManager.default.createDirectory(at: samples, withIntermediateDirectories: true)
        let file = samples.appendingPathComponent(String(format: "kimg-%07.1f.png", kimg))
        try grid.write(png: file)
        try grid.write(png: samples.appendingPathComponent("latest.png"))
        counters.lastSample = .init(images: counters.imagesSeen, seconds: counters.seconds)
        return file
    }
}
