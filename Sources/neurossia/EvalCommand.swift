import ArgumentParser
import Checkpoint
import Datasets
import Evaluation
import Foundation
import Generation
import Imaging
import ThemeConfig

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a trained generator against real pictures, with no downloaded network.",
        discussion: """
            Prints the multi-scale sliced Wasserstein distance (SWD ×10³, Karras et al. 2018) between generated and \
            real pictures, per pyramid level and averaged, and the CIELAB colour-histogram distance; beside each, \
            the same measure between two disjoint halves of the real pictures, split by a seeded shuffle (the floor: \
            what "as good as the data" looks like). Lower is better; a generator near its floor is as close as this \
            metric can tell.

            Variety is the mean distance between two generated pictures (shrunk to 16×16 and 32×32) over the same \
            among real ones: about 1 for the data, well below 1 when the generator collapses. Copies counts \
            generated pictures nearer a real one (RMS over pixels) than half the 1st-percentile distance between \
            real pictures and their nearest neighbours: a generator that memorised its data.

            SWD is measured again at each of --seeds seeds (new latents, split and projections each time); the \
            range says how far apart two numbers must be to differ beyond noise. Each seed costs about as much as \
            the first measurement.

            Examples:
              neurossia eval cats
              neurossia eval panel-blocks --count 512 --against ~/photos/blocks
              neurossia eval cats --truncation 1   (no truncation: is the theme's setting helping?)
            """)

    @OptionGroup var themes: ThemeOptions
    @Argument(help: "Theme to evaluate.") var name: String
    @Option(help: "Generated pictures (and real ones per half for the floor).") var count = QualityMeasure.standardCount
    @Option(help: ArgumentHelp("Compare with this folder of photos instead of the theme's dataset.", valueName: "folder"))
    var against: String?
    @Option(help: "Seed of the generated latents, the real pictures' split and the metric's random projections.")
    var seed = QualityMeasure.standardSeed
    @Option(help: "Seeds to measure SWD at (seed, seed + 1, …), for its spread; 1 measures once.")
    var seeds = QualityMeasure.standardSeedCount
    @Option(help: "Pull latents toward the mean, as in generate (default: the theme's).") var truncation: Double?
    @Flag(help: "Store the results in the generator file's metadata (what ships with it).") var record = false

    func validate() throws {
        guard count >= 16 else { throw ValidationError("--count must be at least 16, got \(count)") }
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1, got \(seeds)") }
        if let truncation, !(0...1).contains(truncation) {
            throw ValidationError("--truncation must be from 0 to 1, got \(truncation)")
        }
    }

    func run() throws {
        let theme = try themes.load(needing: [name]).theme(named: name)!
        let generator = try ShippedGenerator(theme: theme)
        var request = DatasetRequest(theme: theme)
        if let against {
            request = DatasetRequest(source: "folder", path: URL(fileURLWithPath: (against as NSString).expandingTildeInPath),
                                     resolution: theme.dataset.resolution, fit: theme.dataset.fit, parameters: [:],
                                     cacheFolder: request.cacheFolder)
        }
        let dataset = try DatasetRegistry.load(request)
        guard dataset.count >= 32 else { throw CommandFailure("\(dataset.count) real pictures are too few to measure; at least 32 are needed") }
        let real = dataset.spread(2 * count)
        let psi = truncation ?? theme.generate.truncation
        let results = try (0..<UInt64(seeds)).map { k in
            let quality = try QualityMeasure(real: real, seed: seed + k)
            return try quality.measure(generator.network.generate(count: quality.reference.count, seed: seed + k, truncation: Float(psi)))
        }
        let result = results[0]
        let (n, swd, colour, copies) = (result.pictures, result.swd, result.colour, result.memorisation)
        print("\(theme.name): \(n) generated vs \(n) real (\(generator.imagesSeen / 1000) kimg generator, truncation \(psi))")
        print("level      SWD×10³   floor")
        for (m, f) in zip(swd.levels, result.swdFloor.levels) {
            print(String(format: "%4d px  %9.2f %7.2f", m.size, m.distance, f.distance))
        }
        print(String(format: "average  %9.2f %7.2f", swd.average, result.swdFloor.average))
        print(String(format: "colour   %9.2f %7.2f   (Lab histogram distance: L %.2f a %.2f b %.2f)",
                     colour.mean, result.colourFloor.mean, colour.l, colour.a, colour.b))
        for (index, (m, f)) in zip(result.variety.levels, result.varietyFloor.levels).enumerated() {
            let note = index == 0 ? "   (mean distance between pictures shrunk to this size over the real ones'; below 1 is collapse)" : ""
            print(String(format: "variety%-2d %8.2f %7.2f", m.size, m.ratio, f.ratio) + note)
        }
        print(String(format: "copies   %9d %7d   (of %d; nearer a real picture than %.3f; nearest real: median %.3f, among real %.3f)",
                     copies.copies, result.memorisationFloor.copies, n, copies.threshold, copies.medianNearest, copies.realMedianNearest))
        let swdSpread = Spread(results.map(\.swd.average)), floorSpread = Spread(results.map(\.swdFloor.average))
        if seeds > 1 {
            print(String(format: "seeds    %9.2f %7.2f   (mean of %d seeds; SWD %.2f–%.2f, floor %.2f–%.2f)",
                         swdSpread.mean, floorSpread.mean, seeds, swdSpread.min, swdSpread.max, floorSpread.min, floorSpread.max))
        }
        var line = String(format: "eval %@ swd %.2f floor %.2f colour %.2f colour-floor %.2f", theme.name, swd.average,
                          result.swdFloor.average, colour.mean, result.colourFloor.mean)
        for level in result.variety.levels { line += String(format: " variety-%d %.2f", level.size, level.ratio) }
        line += " copies \(copies.copies)"
        if seeds > 1 {
            line += String(format: " seeds %d swd-range %.2f-%.2f floor-range %.2f-%.2f", seeds, swdSpread.min, swdSpread.max,
                           floorSpread.min, floorSpread.max)
        }
        print(line)
        if record {
            let file = generator.file
            var shipped = try SafeTensorsFile(contentsOf: file)
            shipped.metadata.merge(result.metadata(truncation: psi)) { $1 }
            try shipped.write(to: file)
            print("recorded in \(file)")
        }
    }
}
