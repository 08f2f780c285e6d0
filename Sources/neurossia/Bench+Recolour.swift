import ArgumentParser
import Foundation
import Generation
import Imaging
import Palettes
import ThemeConfig

extension Bench {
    struct Recolour: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Both recolouring methods on generated pictures: their effect, and their time beside generating.",
            discussion: """
                Generates --count pictures of THEME, recolours them toward TARGET (a palette spec) with each method, \
                and prints per method the mean ΔE moved, the Lab-histogram distance to the target before → after \
                (and the fall), the correlation of L with the original, and the time per picture as a ratio to \
                generating it, all in this run. Writes the pictures side by side (original | palette | transport) \
                to out/bench/recolour-<theme>.png to look at.

                Examples:
                  neurossia bench recolour panel-blocks new-year-ornaments
                  neurossia bench recolour cats '#7a2e12,#c8561c,#e09a3a,#f2d27a,#5b3a1e,#9c8b4a'
                """)

        @OptionGroup var themes: ThemeOptions
        @Argument(help: "Theme whose generator makes the pictures.") var theme: String
        @Argument(help: "Palette to recolour toward (a theme, blend, seasonal palette or colours).") var target: String
        @Option(help: "Pictures to recolour.") var count = 32
        @Option(help: "Timing rounds; each times generation and both methods back to back.") var rounds = 5

        func run() throws {
            let loaded = try themes.load(needing: [theme], strict: false)
            let generator = try ShippedGenerator(theme: loaded.theme(named: theme)!)
            let palette = try themes.palettes(loaded).palette(PaletteSpec(parsing: target))
            let psi = Float(loaded.theme(named: theme)!.generate.truncation)
            let pictures = generator.network.generate(count: count, seed: 1, truncation: psi)
            func time(_ work: () throws -> Void) rethrows -> Double {
                let start = DispatchTime.now().uptimeNanoseconds
                try work()
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(count)
            }
            var seconds: [String: [Double]] = [:]
            var results: [RecolourMethod: [Image]] = [:]
            for _ in 0..<rounds {
                seconds["generate", default: []].append(time { _ = generator.network.generate(count: count, seed: 1, truncation: psi) })
                for method in RecolourMethod.allCases {
                    var out: [Image] = []
                    seconds[method.rawValue, default: []].append(try time {
                        out = try pictures.map { try method.recoloured($0, toward: palette, seed: 1) }
                    })
                    results[method] = out
                }
                // The palette method's per-pixel pass alone, its recolourer built once for all pictures.
                let shared = PaletteRecolourer(from: try Palette(extractingFrom: pictures, count: palette.count, seed: 1), to: palette)
                seconds["palette lookup", default: []].append(time { _ = pictures.map { shared.fullyRecoloured($0) } })
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let generate = median(seconds["generate"]!)
            print(String(format: "%@ → %@: %d pictures of %d px, medians of %d rounds; generating one takes %.2f ms",
                         theme, target, count, pictures[0].width, rounds, generate * 1000))
            print("method      mean ΔE  histogram distance   fall  L corr   ms/picture  × generating")
            for method in RecolourMethod.allCases {
                let m = try RecolourMeasure(originals: pictures, results: results[method]!, target: palette)
                let t = median(seconds[method.rawValue]!)
                print(method.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "  %7.2f  %7.2f → %7.2f  %5.0f%%  %6.3f  %11.3f  %12.2f", m.meanDeltaE,
                             m.originalDistance, m.resultDistance, 100 * m.distanceFall, m.lightnessCorrelation, t * 1000, t / generate))
            }
            let lookup = median(seconds["palette lookup"]!)
            print(String(format: "palette method's per-pixel pass with its recolourer built once: %.3f ms/picture (%.2f × generating)",
                         lookup * 1000, lookup / generate))
            let rows = pictures.indices.prefix(8).map { i in
                [pictures[i], results[.palette]![i], results[.transport]![i]].map { $0.magnified(by: 2) }
            }
            let file = URL(fileURLWithPath: "out/bench/recolour-\(theme).png")
            try OutputFolder.create(file.deletingLastPathComponent())
            try Image.grid(rows.flatMap { $0 }, columns: 3).write(png: file)
            print("side by side → \(file.relativePath)")
        }
    }
}
