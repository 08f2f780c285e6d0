import ArgumentParser
import Foundation
import Generation
import Imaging
import Palettes

struct RecolourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recolour",
        abstract: "Move pictures onto a palette while keeping their light, shadow and detail.",
        discussion: """
            Writes <out>/<name>-recoloured.png for each picture (PNG or JPEG).

            Examples:
              neurossia recolour out/panel-blocks/*.png --palette new-year-ornaments
              neurossia recolour photo.jpg --palette '#1b3a5c,#e8d9b0,#8c2f2a' --palette-strength 0.7
            """)

    @OptionGroup var themes: ThemeOptions
    @OptionGroup var paletteOptions: PaletteOptions
    @Argument(help: "Pictures to recolour.") var images: [String]
    @Option(help: "Output folder (default: out/recoloured).") var out = "out/recoloured"

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name one or more pictures") }
        guard paletteOptions.palette != nil else { throw ValidationError("--palette is needed: the palette to recolour toward") }
    }

    func run() throws {
        let recolour = try paletteOptions.recolouring(try themes.palettes(try themes.load(strict: false)))!
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try OutputFolder.create(folder)
        for path in images {
            let url = URL(fileURLWithPath: path)
            let result = try recolour(try Image(contentsOf: url))
            let file = folder.appendingPathComponent(url.deletingPathExtension().lastPathComponent + "-recoloured.png")
            try result.write(png: file)
            print("\(path) → \(file.relativePath)")
        }
    }
}
