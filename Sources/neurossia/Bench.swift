import ArgumentParser
import Architectures
import Engine
import Foundation
import Layers

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the engine on this machine.",
        discussion: "Results are ratios against a reference measured in the same run; absolute times vary between machines.",
        subcommands: [Kernels.self, BLAS.self])

    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GFLOP/s of each DCGAN conv layer, forward and backward, beside raw sgemm of the same GEMMs.",
            discussion: """
                Prints one row per layer of the standard DCGAN at 64×64 (nz=100, ngf=ndf=64), the OpenBLAS core in use,
                the peak resident memory after --steps/2 and --steps full training steps (they should match: no growth),
                and last a line `min ratio to sgemm: X`.

                Example:
                  neurossia bench kernels --batch 64
                """)

        @Option(help: "Images per batch.") var batch = 64
        @Option(help: "Full DCGAN training steps for the memory check (RSS is printed at half and at the end).") var steps = 100

        func run() throws {
            print(BLASInfo.summary)
            let header = "layer".padding(toLength: 24, withPad: " ", startingAt: 0)
                + "   fwd GF/s  sgemm  ratio   bwd GF/s  sgemm  ratio"
            print(header)
            var minRatio = Double.infinity
            for layer in KernelBenchmark.dcgan64 {
                let row = KernelBenchmark.measure(layer, batch: batch)
                minRatio = min(minRatio, row.forwardRatio, row.backwardRatio)
                print(layer.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                      + String(format: " %10.1f %6.1f %6.2f %10.1f %6.1f %6.2f", row.forwardGFLOPs, row.forwardSGEMM,
                               row.forwardRatio, row.backwardGFLOPs, row.backwardSGEMM, row.backwardRatio))
            }
            let rss = MemoryCheck.run(steps: steps, batch: batch)
            print(String(format: "peak RSS after %d steps: %.1f MB; after %d: %.1f MB (pool %.1f MB)",
                         steps / 2, rss.half, steps, rss.full, rss.pool))
            print(String(format: "min ratio to sgemm: %.2f", minRatio))
        }
    }
}

extension Bench {
    struct BLAS: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Which OpenBLAS kernels run here, and a square sgemm's speed on one core and on all.",
            discussion: "Example:\n  neurossia bench blas")

        @Option(help: "Matrix side.") var size = 1024

        func run() {
            print(BLASInfo.summary)
            let (single, all) = KernelBenchmark.squareGEMM(size: size)
            print(String(format: "sgemm %d³: %.1f GFLOP/s on one core, %.1f on %d", size, single, all, Parallel.workers))
        }
    }
}

/// Trains the standard DCGAN on noise images as in ../shared/bench/dcgan_torch.py and reads the
/// process's peak resident set size half way and at the end.
enum MemoryCheck {
    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kb / 1024
    }

    static func run(steps: Int, batch: Int) -> (half: Double, full: Double, pool: Double) {
        var rng = RandomGenerator(seed: 0)
        let g = DCGAN.Generator(latent: 100, width: 64, resolution: 64, rng: &rng)
        let d = DCGAN.Discriminator(width: 64, resolution: 64, rng: &rng)
        let optG = Adam(parameters: g.namedParameters(), learningRate: 2e-4, beta1: 0.5)
        let optD = Adam(parameters: d.namedParameters(), learningRate: 2e-4, beta1: 0.5)
        let real = Tensor(randomNormal: [batch, 3, 64, 64], std: 0.5, rng: &rng)
        var half = 0.0
        for step in 1...steps {
            optD.zeroGrad()
            d(real).bceWithLogits(target: 1).backward()
            let fake = g(Tensor(randomNormal: [batch, 100], rng: &rng))
            d(fake.detached()).bceWithLogits(target: 0).backward()
            optD.update()
            optG.zeroGrad()
            d(fake).bceWithLogits(target: 1).backward()
            optG.update()
            if step == steps / 2 { half = peakRSSMegabytes() }
        }
        return (half, peakRSSMegabytes(), Double(BufferPool.shared.allocatedBytes) / 1_048_576)
    }
}
