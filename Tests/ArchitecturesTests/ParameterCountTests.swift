import Engine
import XCTest
@testable import Architectures

/// Counts written out from each paper's layer table, independently of the modules' code.
final class ParameterCountTests: XCTestCase {
    func testDCGAN64MatchesPyTorchCounts() {
        var rng = RandomGenerator(seed: 0)
        XCTAssertEqual(DCGAN.Generator(latent: 100, width: 64, resolution: 64, rng: &rng).parameterCount, 3_576_704)
        XCTAssertEqual(DCGAN.Discriminator(width: 64, resolution: 64, rng: &rng).parameterCount, 2_765_568)
    }

    /// 4×4 kernels without bias; batch norm (γ, β) after every hidden layer except D's first.
    func testDCGANAtEveryResolutionMatchesTheFormula() throws {
        let (z, w) = (32, 16)
        for (resolution, gChannels) in [(32, [z, 4 * w, 2 * w, w, 3]), (64, [z, 8 * w, 4 * w, 2 * w, w, 3]),
                                         (128, [z, 16 * w, 8 * w, 4 * w, 2 * w, w, 3])] {
            let convs = zip(gChannels, gChannels.dropFirst()).map { 16 * $0 * $1 }.reduce(0, +)
            let norms = gChannels.dropFirst().dropLast().map { 2 * $0 }.reduce(0, +)
            let dChannels = Array(gChannels.dropFirst().reversed()) + [1]
            let dConvs = zip(dChannels, dChannels.dropFirst()).map { 16 * $0 * $1 }.reduce(0, +)
            let dNorms = dChannels.dropFirst(2).dropLast().map { 2 * $0 }.reduce(0, +)
            let architecture = LatentWidthArchitecture<DCGAN>(latent: z, width: w, resolution: resolution)
            var rng = RandomGenerator(seed: 0)
            XCTAssertEqual(architecture.makeGenerator(rng: &rng).parameterCount, convs + norms, "G \(resolution)")
            XCTAssertEqual(architecture.makeDiscriminator(rng: &rng).parameterCount, dConvs + dNorms, "D \(resolution)")
        }
    }

    /// FastGAN-lite with the default latent 128 and width 16; channels per size from the tables:
    /// G 4:256 8:128 16:64 32:32 64:32 128:16 256:8; D 128:16 64:32 32:64 16:128 8:256 (head 512);
    /// decoder 16:32 32:16. Compound up-blocks at 8, 32, 128 add a second gated conv and two noise weights.
    func testFastGANLiteMatchesTheLayerTable() throws {
        let z = 128
        func upBlock(_ i: Int, _ o: Int) -> Int { i * 2 * o * 9 + 2 * 2 * o }
        func upBlockComp(_ i: Int, _ o: Int) -> Int { upBlock(i, o) + upBlock(o, o) + 2 }
        func downBlock(_ i: Int, _ o: Int) -> Int { i * o * 16 + o * o * 9 + i * o + 3 * 2 * o }
        func excitation(_ s: Int, _ t: Int) -> Int { s * t * 16 + t * t }
        func decoder(_ i: Int) -> Int { upBlock(i, 32) + upBlock(32, 16) + 16 * 3 * 9 }
        let expectedG: [Int: Int] = [
            64: z * 512 * 16 + 2 * 512 + upBlockComp(256, 128) + upBlock(128, 64) + upBlockComp(64, 32) + upBlock(32, 32)
                + excitation(256, 32) + 32 * 3 * 9,
            128: z * 512 * 16 + 2 * 512 + upBlockComp(256, 128) + upBlock(128, 64) + upBlockComp(64, 32) + upBlock(32, 32)
                + upBlockComp(32, 16) + excitation(256, 32) + excitation(128, 16) + 16 * 3 * 9,
            256: z * 512 * 16 + 2 * 512 + upBlockComp(256, 128) + upBlock(128, 64) + upBlockComp(64, 32) + upBlock(32, 32)
                + upBlockComp(32, 16) + upBlock(16, 8) + excitation(256, 32) + excitation(128, 16) + excitation(64, 8)
                + 8 * 3 * 9,
        ]
        let heads = 256 * 512 + 2 * 512 + 512 * 16 + decoder(256) + decoder(128)
        let expectedD: [Int: Int] = [
            64: 3 * 64 * 16 + downBlock(64, 128) + downBlock(128, 256) + excitation(64, 256) + heads,
            128: 3 * 32 * 16 + downBlock(32, 64) + downBlock(64, 128) + downBlock(128, 256)
                + excitation(32, 128) + excitation(64, 256) + heads,
            256: 3 * 16 * 16 + downBlock(16, 32) + downBlock(32, 64) + downBlock(64, 128) + downBlock(128, 256)
                + excitation(16, 64) + excitation(32, 128) + excitation(64, 256) + heads,
        ]
        for resolution in [64, 128, 256] {
            let architecture = try LatentWidthArchitecture<FastGANLite>(parameters: [:], resolution: resolution)
            var rng = RandomGenerator(seed: 0)
            let generator = architecture.makeGenerator(rng: &rng), discriminator = architecture.makeDiscriminator(rng: &rng)
            print("fastgan-lite \(resolution): G \(generator.parameterCount), D \(discriminator.parameterCount)")
            XCTAssertEqual(generator.parameterCount, expectedG[resolution], "G \(resolution)")
            XCTAssertEqual(discriminator.parameterCount, expectedD[resolution], "D \(resolution)")
        }
    }
}
