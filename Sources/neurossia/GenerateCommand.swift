import ArgumentParser
import Foundation
import Engine
import Generation
import Imaging
import Palettes
import ThemeConfig

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Make pictures of a theme from its trained generator (Models/<theme>/generator.safetensors).",
        discussion: """
            Writes one PNG per picture and a grid into --out (default out/<theme>/). The same arguments and \
            checkpoint give the same bytes (in --precision fp32, the default, on every CPU). The architecture comes from the checkpoint, so no other flags are needed.

            Examples:
              neurossia generate cats --count 16 --seed 7
              neurossia generate --all --grid
              neurossia generate panel-blocks --interpolate 8 --count 4 --seed 3
              neurossia generate panel-blocks --palette new-year-ornaments --palette-strength 0.8
              neurossia generate --all --count 1000 --precision auto   (faster where the CPU has AVX-512 BF16)
            """)

    @OptionGroup var themes: ThemeOptions
    @OptionGroup var paletteOptions: PaletteOptions
    @Argument(help: "Themes to generate.") var names: [String] = []
    @Flag(help: "Generate every theme that has a trained generator.") var all = false
    @Option(help: "Pictures per theme (with --interpolate: seeds to walk through).") var count = GenerationRequest.defaultCount
    @Option(help: "Seed of the first latent; picture i uses its own stream, so counts nest.") var seed: UInt64 = 1
    @Option(help: "Pull latents toward the mean: 1 keeps variety, lower is more typical (default: the theme's).")
    var truncation: Double?
    @Option(help: "Output folder (default: out/<theme>).") var out: String?
    @Option(help: "Frames between consecutive seeds for a latent walk (at most 240), written one by one and, up to 1024 frames, as a grid.")
    var interpolate: Int?
    @Flag(help: "Write only the grid, not the single pictures.") var grid = false
    @Option(help: ArgumentHelp("Number format of the matrix products: fp32 gives the same picture for a seed on every CPU; bf16 (or auto: bf16 where the CPU has AVX-512 BF16) is faster and differs from it by a level or two of some pixels.", valueName: "fp32|bf16|auto"))
    var precision = Precision.fp32

    func validate() throws {
        guard all != !names.isEmpty else { throw ValidationError("name one or more themes, or pass --all") }
        guard count >= 1 && count <= 10_000 else { throw ValidationError("--count must be from 1 to 10000, got \(count)") }
        if let truncation, !(0...1).contains(truncation) { throw ValidationError("--truncation must be from 0 to 1, got \(truncation)") }
        if let interpolate {
            guard interpolate >= 2 && count >= 2 else {
                throw ValidationError("--interpolate needs at least 2 frames and --count of at least 2 seeds")
            }
            guard interpolate <= GenerationRequest.maxInterpolate else {
                throw ValidationError("--interpolate must be at most \(GenerationRequest.maxInterpolate) frames between seeds, got \(interpolate)")
            }
            let frames = walkLength(seeds: count, frames: interpolate)
            guard frames <= GenerationRequest.maxWalkFrames else {
                throw ValidationError("a walk through \(count) seeds with \(interpolate) frames each is \(frames) frames; "
                                      + "at most \(GenerationRequest.maxWalkFrames) are written: lower --count or --interpolate")
            }
            guard !grid || frames <= GenerationRequest.walkGridLimit else {
                throw ValidationError("--grid holds a walk of at most \(GenerationRequest.walkGridLimit) frames, this one has \(frames); "
                                      + "leave out --grid to write the frames one by one")
            }
        }
    }

    func run() throws {
        try GEMMBackend.use(precision)
        let result = try themes.load(needing: names)
        var selected = all ? result.themes : names.compactMap { result.theme(named: $0) }
        if all {
            selected = selected.filter { FileManager.default.fileExists(atPath: $0.generatorFile.path) }
            guard !selected.isEmpty else { throw CommandFailure("no theme has a trained generator yet; run neurossia train first") }
        }
        let recolour = try paletteOptions.recolouring(try themes.palettes(result))
        for theme in selected {
            let generator = try ShippedGenerator(theme: theme)
            let request = GenerationRequest(count: count, seed: seed, truncation: Float(truncation ?? theme.generate.truncation),
                                            interpolate: interpolate, gridOnly: grid, transform: recolour)
            let folder = URL(fileURLWithPath: out ?? "out/\(theme.name)", isDirectory: true)
            try OutputFolder.create(folder)
            let files = PictureFiles(folder: folder, theme: theme.name, seed: seed)
            let pictures = try request.write(generator, to: files)
            if let interpolate {
                let frames = walkLength(seeds: count, frames: interpolate)
                let written = (grid ? [] : ["\(folder.relativePath)/\(files.stem)-walk-*.png"])
                    + (frames <= GenerationRequest.walkGridLimit ? [files.walk.relativePath] : [])
                print("\(theme.name): latent walk through \(count) seeds, \(frames) frames → " + written.joined(separator: " and "))
            } else {
                print(String(format: "%@: %d pictures (%.1f kimg generator, truncation %.2f) → %@", theme.name, pictures.count,
                             Double(generator.imagesSeen) / 1000, request.truncation,
                             grid ? files.grid.relativePath : folder.relativePath + "/"))
            }
        }
    }
}
