import Architectures
import ArgumentParser
import Engine
import Foundation
import Generation
import Layers

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the engine on this machine.",
        discussion: "Results are ratios against a reference measured in the same run; absolute times vary between machines.",
        subcommands: [Kernels.self, BLAS.self, GEMM.self, Train.self, Trainer.self, Recolour.self, Cores.self])

    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GFLOP/s of each DCGAN conv layer, forward and backward, beside raw sgemm of the same GEMMs.",
            discussion: """
                Prints one row per layer of the standard DCGAN at 64×64 (nz=100, ngf=ndf=64), the OpenBLAS core in use, \
                the peak resident memory after --steps/2 and --steps full training steps (they should match: no growth), \
                and last a line `min ratio to sgemm: X`. Each round times the layer and then the same GEMMs as plain \
                two-thread cblas_sgemm calls; speeds are medians over rounds, and a ratio is the median of the rounds' \
                ratios, which a busy neighbour disturbs far less than either speed.

                Examples:
                  neurossia bench kernels --batch 64
                  neurossia bench kernels --layers D1,D5   (just those layers, e.g. while profiling)
                """)

        @Option(help: "Images per batch.") var batch = 64
        @Option(help: "Full DCGAN training steps for the memory check (RSS is printed at half and at the end).") var steps = 100
        @Option(help: "Only these layers, by the name's first word (G1…G5, D1…D5), comma-separated.")
        var layers: String?

        /// The layers asked for: all, or those whose first word is listed.
        func selectedLayers() throws -> [KernelBenchmark.Layer] {
            let all = KernelBenchmark.dcgan(size: 64)
            guard let layers else { return all }
            let names = Set(layers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() })
            let known = all.map { String($0.name.prefix { $0 != " " }) }
            let unknown = names.subtracting(known).sorted()
            guard unknown.isEmpty else {
                throw ValidationError("--layers: no layer \(unknown.joined(separator: ", ")); the layers are \(known.joined(separator: ", "))")
            }
            return zip(all, known).filter { names.contains($0.1) }.map(\.0)
        }

        func validate() throws {
            guard batch > 0 else { throw ValidationError("--batch must be positive, got \(batch)") }
            guard steps >= 2 else { throw ValidationError("--steps must be at least 2 (RSS is read half way and at the end), got \(steps)") }
            _ = try selectedLayers()
        }

        func run() throws {
            print(BLASInfo.summary)
            let header = "layer".padding(toLength: 24, withPad: " ", startingAt: 0)
                + "   fwd GF/s  sgemm  ratio   bwd GF/s  sgemm  ratio"
            print(header)
            var minRatio = Double.infinity
            for layer in try selectedLayers() {
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

extension Bench {
    struct GEMM: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GFLOP/s of each GEMM backend on DCGAN-64's GEMMs: whole layers over all cores, and one core's tiles.",
            discussion: "Backends take turns within each round; figures are medians of the rounds.\nExample:\n  neurossia bench gemm")

        @Option(help: "Rounds.") var rounds = 5

        func run() {
            print(BLASInfo.summary)
            let backends = GEMMBackend.allCases.filter { $0 != .oneDNNBF16 || GEMMBackend.cpuHasBF16 }
            print("GEMM (M×N×K)".padding(toLength: 34, withPad: " ", startingAt: 0) + " cores"
                  + backends.map { $0.rawValue.leftPadded(13) }.joined())
            for shape in KernelBenchmark.dcganGEMMs {
                let rates = KernelBenchmark.backendGEMM(transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n, k: shape.k, split: shape.split,
                                                        backends: backends, rounds: rounds)
                let label = "\(shape.name) \(shape.transA ? "T" : "N")\(shape.transB ? "T" : "N") \(shape.m)×\(shape.n)×\(shape.k)"
                print(label.padding(toLength: 34, withPad: " ", startingAt: 0) + "\(shape.split ? Parallel.workers : 1)".leftPadded(6)
                      + rates.map { String(format: "%.1f", $0).leftPadded(13) }.joined())
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// The training step of ../shared/bench/dcgan_torch.py: the standard DCGAN (nz = 100, ngf = ndf = 64),
/// Adam 2e-4 β = (0.5, 0.999), BCE with logits; D on a real batch (label 1) and on a detached fake
/// batch (label 0), then G through D reusing the same fake. Real images are fixed noise pictures.
final class ReferenceDCGANStep: BenchStep {
    let generator: DCGAN.Generator
    let discriminator: DCGAN.Discriminator
    let optimizerG: Adam, optimizerD: Adam
    let real: Tensor
    var rng = RandomGenerator(seed: 0)
    let batch: Int

    init(batch: Int, resolution: Int = 64) {
        self.batch = batch
        generator = DCGAN.Generator(latent: 100, width: 64, resolution: resolution, rng: &rng)
        discriminator = DCGAN.Discriminator(width: 64, resolution: resolution, rng: &rng)
        optimizerG = Adam(parameters: generator.namedParameters(), learningRate: 2e-4, beta1: 0.5)
        optimizerD = Adam(parameters: discriminator.namedParameters(), learningRate: 2e-4, beta1: 0.5)
        real = Tensor(randomNormal: [batch, 3, resolution, resolution], std: 0.5, rng: &rng)
    }

    /// One step; returns D's loss (real + fake) and G's.
    @discardableResult
    func step() -> (d: Float, g: Float) {
        BufferPool.shared.step(of: self) {
            optimizerD.zeroGrad()
            let real = discriminator(self.real).bceWithLogits(target: 1)
            real.backward()
            let fake = generator(Tensor(randomNormal: [batch, 100], rng: &rng))
            let faked = discriminator(fake.detached()).bceWithLogits(target: 0)
            optimizerD.update(backPropagating: faked)
            optimizerG.zeroGrad()
            let fooled = discriminator.frozen {
                let fooled = discriminator(fake).bceWithLogits(target: 1)
                fooled.backward()
                return fooled
            }
            optimizerG.update()
            return (real.item + faked.item, fooled.item)
        }
    }

    func generate(pictures: Int) { generator.benchPictures(pictures, rng: &rng) }
}

/// Where the time of a timed stretch went, by kind of op (OpClock), as shares of its wall time.
struct OpShares: CustomStringConvertible {
    /// GEMM's share: its thread-seconds over the cores.
    let gemm: Double
    /// The GEMMs' floating-point operations per second of the whole stretch.
    let gemmRate: Double
    /// The same counted from the layers' shapes (`OpClock.layerFLOPs`): what the network achieved.
    let layerRate: Double
    /// (label, share) for the rest of convolutions (im2col/col2im, packing) and each other kind.
    let parts: [(String, Double)]

    /// Runs `body`, which returns the seconds it timed, with the clock on.
    static func timing(_ body: () -> [Double]) -> ([Double], OpShares) {
        OpClock.reset()
        OpClock.isOn = true
        let seconds = body()
        OpClock.isOn = false
        let wall = seconds.reduce(0, +)
        let gemm = OpClock.gemmSeconds / Double(Parallel.workers) / wall
        var parts = OpClock.Kind.allCases.map { kind in
            let share = OpClock.seconds(kind) / wall
            return (kind.label, kind == .convolution ? max(0, share - gemm) : share)
        }
        parts.append(("other", max(0, 1 - gemm - parts.reduce(0) { $0 + $1.1 })))
        return (seconds, OpShares(gemm: gemm, gemmRate: OpClock.gemmFLOPs / wall, layerRate: OpClock.layerFLOPs / wall,
                                  parts: parts))
    }

    var description: String {
        ([("GEMM", gemm)] + parts).map { String(format: "%@ %.0f%%", $0.0, 100 * $0.1) }.joined(separator: ", ")
            + String(format: "; GEMM work %.1f GFLOP/s, layer work %.1f", gemmRate / 1e9, layerRate / 1e9)
    }
}

/// Pictures per timed generation in `bench train`, whatever the training batch: as the PyTorch script
/// asks its generator for (ours makes them in passes of `renderBatch`, as `generate` does).
let generationBatch = 64

/// A training step `bench train` can time.
protocol BenchStep {
    @discardableResult func step() -> (d: Float, g: Float)
    /// A batch of pictures in evaluation mode, which the generator keeps from then on.
    func generate(pictures: Int)
}

/// The step a theme runs for any registered architecture at its default parameters: the
/// architecture's own losses, Adam 2e-4 β = (0.5, 0.999), fixed noise pictures as the real batch, the
/// fake batch reused for G's step as in the reference. No augmentation or EMA (the trainer adds those).
final class ArchitectureStep: BenchStep {
    let generator: any ImageGenerator
    let discriminator: any ImageDiscriminator
    let optimizerG: Adam, optimizerD: Adam
    let real: Tensor
    let latent: Int, batch: Int
    var rng = RandomGenerator(seed: 0)

    init(_ architecture: any Architecture, batch: Int, resolution: Int) {
        self.batch = batch
        latent = architecture.latent
        generator = architecture.makeGenerator(rng: &rng)
        discriminator = architecture.makeDiscriminator(rng: &rng)
        optimizerG = Adam(parameters: generator.namedParameters(), learningRate: 2e-4, beta1: 0.5)
        optimizerD = Adam(parameters: discriminator.namedParameters(), learningRate: 2e-4, beta1: 0.5)
        real = Tensor(randomNormal: [batch, 3, resolution, resolution], std: 0.5, rng: &rng)
    }

    @discardableResult
    func step() -> (d: Float, g: Float) {
        BufferPool.shared.step(of: self) {
            optimizerD.zeroGrad()
            let latents = Tensor(randomNormal: [batch, latent], rng: &rng)
            var fake: Tensor!
            let lossD = discriminator.discriminatorBackward(real: real, fake: {
                fake = generator(latents)
                return fake
            }, rng: &rng, updating: optimizerD)
            optimizerG.zeroGrad()
            let lossG = discriminator.frozen {
                let lossG = discriminator.generatorLoss(fake: fake)
                lossG.total.backward()
                return lossG
            }
            optimizerG.update()
            return (lossD.total, lossG.total.item)
        }
    }

    func generate(pictures: Int) { generator.benchPictures(pictures, rng: &rng) }
}

extension ImageGenerator {
    /// `count` pictures of fresh latents in evaluation mode (running batch-norm statistics) without a
    /// graph, in forward passes of `renderBatch` as `generate` makes them. The generator stays in
    /// evaluation mode from the first call on: generation is timed after training.
    func benchPictures(_ count: Int, rng: inout RandomGenerator) {
        if training { train(false) }
        withoutGradients {
            for pass in renderPasses(count) { _ = self(Tensor(randomNormal: [pass.count, latent], rng: &rng)) }
        }
    }
}

/// Trains the reference DCGAN and reads the process's peak resident set size half way and at the end.
enum MemoryCheck {
    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kb / 1024
    }

    /// Megabytes the tensor pool's range has ever handed out: the memory its buffers hold.
    static func poolMegabytes() -> Double { Double(BufferPool.shared.allocatedBytes) / 1_048_576 }

    /// Megabytes of the pool's buffers ever on loan at once: the pool's size had it no holes.
    static func peakLiveMegabytes() -> Double { Double(BufferPool.shared.peakLiveBytes) / 1_048_576 }

    static func run(steps: Int, batch: Int) -> (half: Double, full: Double, pool: Double) {
        let reference = ReferenceDCGANStep(batch: batch)
        var half = 0.0
        for step in 1...steps {
            reference.step()
            if step == steps / 2 { half = peakRSSMegabytes() }
        }
        return (half, peakRSSMegabytes(), poolMegabytes())
    }
}

extension Bench {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Training and generation speed of the standard DCGAN, as ../shared/bench/dcgan_torch.py measures PyTorch.",
            discussion: """
                Prints the GEMM precision that ran, the same figures as the PyTorch script, where the time of a \
                training step and of generation goes (GEMM, the im2col/col2im around it, batch norm, activations, \
                losses, Adam, DiffAugment, EMA, other), the tensor pool's size after training and after generation \
                (the memory its buffers hold; peak RSS adds code, libraries and malloc'd buffers), and a last line \
                `CSV,size,threads,batch,channels_last,train_img_s,train_gflops,gen_img_s,gen_gflops,rss_mb,precision,arch,gemm_share` \
                whose first ten fields match the PyTorch script's, so scripts/bench-vs-torch.sh can run both \
                alternately and report the ratio. --arch dcgan is the PyTorch script's network and step (nz=100, \
                width 64, BCE), its GFLOP/s counted from the layer shapes as the script counts them; fastgan-lite runs at \
                its theme defaults with its own losses, its GFLOP/s its layers' multiply-adds counted from their shapes \
                (an up-block's nearest upsampling and 3×3 conv count 36 per input pixel and channel pair, though they run \
                as a transposed 4×4 conv of 16, and in generation by Winograd's fewer products still). In the breakdown \
                "GEMM work" is the multiply-adds the GEMMs ran per second and "layer work" that count from the layers' \
                shapes, for either architecture: layer work compares the two architectures' efficiency.

                Examples:
                  neurossia bench train --size 64 --batch 64 --iters 20
                  neurossia bench train --precision bf16 --losses 10   (compare the first losses with --precision fp32)
                  neurossia bench train --backend onednn              (an fp32 library other than the default)
                """)

        @Option(help: "Architecture: dcgan or fastgan-lite.") var arch = "dcgan"
        @Option(help: "Image size: 32, 64 or 128.") var size = 64
        @Option(help: "Images per batch.") var batch = 64
        @Option(help: "Timed training steps.") var iters = 20
        @Option(help: "Timed generation batches of 64 pictures (the PyTorch script's --gen-iters, whose default this is).")
        var genIters = 20
        @Option(help: "Untimed steps first, at least one (the first step times its convolutions' ways, and until two steps ask for the same buffers their memory comes from the system, slower: see BufferPool.step).") var warmup = 3
        @Option(help: "GEMM precision: fp32, bf16 or auto (bf16 where the CPU has AVX-512 BF16).") var precision = Precision.auto
        @Option(help: "GEMM library, overriding --precision: openblas, onednn or onednn-bf16.") var backend: GEMMBackend?
        @Option(help: "Convolutions: auto (the faster way per layer, timed on its first call), direct (oneDNN's kernels), im2col (+ GEMM) or narrow (the kernels to a few channels where they apply: 3×3, and 4×4 transposed in generation; im2col elsewhere).")
        var convolution = ConvolutionAlgorithm.current
        @Option(help: "Print D's and G's loss for this many first steps (warm-up steps count), for comparing precisions.")
        var losses = 0

        func validate() throws {
            guard ["dcgan", "fastgan-lite"].contains(arch) else { throw ValidationError("--arch must be dcgan or fastgan-lite, got \(arch)") }
            guard [32, 64, 128].contains(size) else { throw ValidationError("--size must be 32, 64 or 128, got \(size)") }
            if arch == "fastgan-lite" && size == 32 { throw ValidationError("fastgan-lite makes 64 px and larger, not 32") }
            guard batch > 0 && iters > 0 && genIters > 0 && losses >= 0 else {
                throw ValidationError("--batch, --iters and --gen-iters must be positive, --losses not negative")
            }
            guard warmup >= 1 else { throw ValidationError("--warmup must be at least 1 (the first step times the convolutions), got \(warmup)") }
        }

        func makeStep() throws -> any BenchStep {
            if arch == "dcgan" { return ReferenceDCGANStep(batch: batch, resolution: size) }
            return ArchitectureStep(try ArchitectureRegistry.make(arch, parameters: [:], resolution: size), batch: batch, resolution: size)
        }

        func run() throws {
            let running: GEMMBackend
            if let backend { try GEMMBackend.use(backend); running = backend } else { running = try GEMMBackend.use(precision) }
            ConvolutionAlgorithm.current = convolution
            print(BLASInfo.summary)
            print("precision: \(running.description); convolutions: \(convolution.rawValue)")
            let reference = try makeStep()
            var step = 0
            func timedStep() -> Double {
                var loss = (d: Float(0), g: Float(0))
                let seconds = KernelBenchmark.seconds { loss = reference.step() }
                step += 1
                if step <= losses { print(String(format: "step %d  loss D %.5f  G %.5f", step, loss.d, loss.g)) }
                return seconds
            }
            _ = timedStep()
            let firstStepLive = MemoryCheck.peakLiveMegabytes()
            BufferPool.shared.restartPeakLive()
            for _ in 1..<warmup { _ = timedStep() }
            let (train, trainShares) = OpShares.timing { (0..<iters).map { _ in timedStep() } }
            let (trainingPool, trainingLive) = (MemoryCheck.poolMegabytes(), MemoryCheck.peakLiveMegabytes())
            BufferPool.shared.restartPeakLive()
            // Batch after batch with the same weights, as `generate` makes them: one picture first (see `render`).
            let (generate, generateShares) = Winograd.keepingTransformedWeights {
                for pictures in [1, generationBatch, generationBatch] { reference.generate(pictures: pictures) }
                return OpShares.timing { (0..<genIters).map { _ in KernelBenchmark.seconds { reference.generate(pictures: generationBatch) } } }
            }
            // Multiply-adds per image, as the PyTorch script counts them: D step 2·3·D + G, G step 3·D + 2·G.
            let layers = KernelBenchmark.dcgan(size: size)
            let gMACs = layers.filter(\.transposed).reduce(0) { $0 + $1.multiplyAdds }
            let dMACs = layers.filter { !$0.transposed }.reduce(0) { $0 + $1.multiplyAdds }
            let trainRate = Double(batch * iters) / train.reduce(0, +)
            let generateRate = Double(generationBatch * genIters) / generate.reduce(0, +)
            // Other architectures have no PyTorch script to count like: their layers' shapes, as OpClock counts them.
            let (trainGFLOPs, generateGFLOPs) = arch == "dcgan"
                ? (trainRate * 2 * (9 * dMACs + 3 * gMACs) / 1e9, generateRate * 2 * gMACs / 1e9)
                : (trainShares.layerRate / 1e9, generateShares.layerRate / 1e9)
            let rss = MemoryCheck.peakRSSMegabytes()
            print(String(format: "TRAIN  img/s mean=%.1f  achieved GFLOP/s=%.1f", trainRate, trainGFLOPs))
            print(String(format: "GEN    img/s mean=%.1f  achieved GFLOP/s=%.1f", generateRate, generateGFLOPs))
            print(String(format: "peak RSS = %.0f MB", rss))
            print(String(format: "tensor pool = %.1f MB after training, %.1f MB after generation", trainingPool,
                         MemoryCheck.poolMegabytes()))
            print(String(format: "live tensors at most = %.1f MB in the first step, %.1f MB in later steps, %.1f MB generating",
                          firstStepLive, trainingLive, MemoryCheck.peakLiveMegabytes()))
            print("train step time: \(trainShares)")
            print("generate time:   \(generateShares)")
            ConvolutionAlgorithm.choices.forEach { print("convolution \($0)") }
            print(String(format: "CSV,%d,%d,%d,False,%.2f,%.2f,%.2f,%.2f,%.0f,%@,%@,%.3f", size, Parallel.workers, batch, trainRate,
                         trainGFLOPs, generateRate, generateGFLOPs, rss,
                         running.precision.rawValue, arch, trainShares.gemm))
        }
    }
}

extension Precision: ExpressibleByArgument {}
extension GEMMBackend: ExpressibleByArgument {}
extension ConvolutionAlgorithm: ExpressibleByArgument {}
