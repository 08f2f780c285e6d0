import Foundation
import Generation
import Imaging
import Palettes
import ThemeConfig

/// Makes a seasonal set's files in one folder: every picture as PNG (`00-cats-s7.png`: row, theme,
/// seed), `<set>-contact-sheet.png`, `index.html` and `manifest.json`.
///
/// Both a render and a reproduction go through the manifest: a render first writes down everything
/// the pictures depend on (generator hashes, truncation, palette colours), then makes the files from
/// that record alone, so reproducing from the manifest runs the very same code.
public struct SetRenderer {
    public let themes: [String: Theme]

    public init(themes: [String: Theme]) {
        self.themes = themes
    }

    /// Renders `set` into `folder` (made with its parents when missing); returns the manifest written.
    @discardableResult
    public func render(_ set: SeasonalSet, palettes: any SetPalettes, to folder: URL) throws -> SetManifest {
        var generators = Generators(themes: themes)
        var items: [SetManifest.Item] = []
        for (row, item) in set.items.enumerated() {
            let loaded = try generators.load(item.theme, item: row), theme = loaded.theme
            let palette = try palettes.palette(for: item.palette, in: set)
            if palette == nil && item.palette != .own {
                throw SetError.missingPalette(theme: item.theme, item: row, palette: item.palette.label)
            }
            let pictures = item.seeds.map { seed in
                SetManifest.Picture(seed: seed, file: Self.pictureFile(row: row, of: set.items.count, theme: item.theme, seed: seed),
                                    hash: "")
            }
            items.append(SetManifest.Item(
                theme: item.theme, generator: .init(file: theme.relativePath(of: theme.generatorFile), hash: loaded.hash),
                truncation: item.truncation ?? theme.generate.truncation, strength: item.strength,
                palette: .init(label: item.palette.label, palette: palette), pictures: pictures))
        }
        // A set lives in the repository of its themes: its path is recorded relative to their root.
        let anyTheme = try generators.load(set.items[0].theme, item: 0).theme
        var manifest = SetManifest(
            programVersion: Neurossia.programVersion,
            set: .init(name: set.name, title: set.title, season: set.season.rawValue,
                       file: .init(file: anyTheme.relativePath(of: set.file), hash: Fingerprint(of: try SetFiles.read(set.file)).hex)),
            recolouring: RecolourMethod.palette.rawValue, items: items,
            contactSheet: .init(file: "\(set.name)-contact-sheet.png", hash: ""), gallery: .init(file: "index.html", hash: ""))
        try OutputFolder.create(folder)
        try Self.make(&manifest, generators: &generators, in: folder)
        return manifest
    }

    /// Makes again every file `manifest` records into `folder`, after checking that each theme's
    /// generator (`Theme.generatorFile`, wherever the theme keeps it now) is the one recorded.
    /// Throws `SetError.generatorChanged` before writing anything when one is not, and
    /// `SetError.outputsDiffer` naming each file whose bytes changed (after writing them all, with a
    /// manifest of what was made now). Returns the manifest written: with nothing changed, the
    /// recorded one, byte for byte.
    @discardableResult
    public static func reproduce(manifest file: URL, themes: [String: Theme], to folder: URL) throws -> SetManifest {
        let recorded = try SetManifest(contentsOf: file)
        var generators = Generators(themes: themes)
        for (row, item) in recorded.items.enumerated() {
            let loaded = try generators.load(item.theme, item: row)
            guard loaded.hash == item.generator.hash else {
                throw SetError.generatorChanged(theme: item.theme, file: loaded.theme.relativePath(of: loaded.theme.generatorFile),
                                                recorded: item.generator.hash, current: loaded.hash)
            }
        }
        try OutputFolder.create(folder)
        var made = recorded
        try make(&made, generators: &generators, in: folder)
        let recordedFiles = recorded.outputs, madeFiles = made.outputs
        let differences = zip(recordedFiles, madeFiles).filter { $0.hash != $1.hash }
            .map { SetError.Difference(file: $0.file, recorded: $0.hash, current: $1.hash) }
        if !differences.isEmpty {
            throw SetError.outputsDiffer(differences, recordedVersion: recorded.programVersion, currentVersion: Neurossia.programVersion)
        }
        return made
    }

    /// `<row>-<theme>-s<seed>.png`, the row zero-padded so the files list in row order.
    static func pictureFile(row: Int, of rows: Int, theme: String, seed: UInt64) -> String {
        let digits = max(2, String(rows - 1).count)
        let index = String(repeating: "0", count: max(0, digits - String(row).count)) + String(row)
        return index + "-" + PictureFiles.stem(theme: theme, seed: seed) + ".png"
    }

    /// Renders, recolours and writes every picture `manifest` lists, then the contact sheet, the gallery
    /// and the manifest itself, filling in each file's hash as it goes.
    private static func make(_ manifest: inout SetManifest, generators: inout Generators, in folder: URL) throws {
        let method = RecolourMethod(rawValue: manifest.recolouring) ?? .palette
        var pictures: [[Image]] = [], pngs: [[[UInt8]]] = []
        for (row, item) in manifest.items.enumerated() {
            let network = try generators.load(item.theme, item: row).generator.network
            let palette = try item.palette.palette()
            let made = network.render(item.pictures.map { network.latentVector(seed: $0.seed, index: 0) },
                                      truncation: Float(item.truncation))
            let finished = try zip(made, item.pictures).map { picture, record in
                try palette.map { try recoloured(picture, toward: $0, method: method, item: item, seed: record.seed) } ?? picture
            }
            let encoded = try Image.pngData(of: finished)
            for (index, (bytes, record)) in zip(encoded, item.pictures).enumerated() {
                try SetFiles.write(bytes, named: record.file, in: folder)
                manifest.items[row].pictures[index].hash = Fingerprint(of: bytes).hex
            }
            pictures.append(finished)
            pngs.append(encoded)
        }
        let sheet = try ContactSheet(manifest: manifest, pictures: pictures).image.pngData()
        try SetFiles.write(sheet, named: manifest.contactSheet.file, in: folder)
        manifest.contactSheet.hash = Fingerprint(of: sheet).hex
        let page = Array(SetGallery(manifest: manifest, pictures: pngs).html.utf8)
        try SetFiles.write(page, named: manifest.gallery.file, in: folder)
        manifest.gallery.hash = Fingerprint(of: page).hex
        try SetFiles.write(try manifest.encoded(), named: SetManifest.fileName, in: folder)
    }

    /// The recolouring seed is the picture's own seed, so a picture recolours the same wherever it appears.
    private static func recoloured(_ picture: Image, toward palette: Palette, method: RecolourMethod,
                                   item: SetManifest.Item, seed: UInt64) throws -> Image {
        do {
            return try method.recoloured(picture, toward: palette, strength: Float(item.strength), seed: seed)
        } catch {
            throw SetError.recolouringFailed(theme: item.theme, seed: seed, reason: error.description)
        }
    }
}

extension SetManifest {
    /// Every file made, in order: pictures row by row, the contact sheet, the gallery.
    var outputs: [FileRecord] {
        items.flatMap { $0.pictures.map { FileRecord(file: $0.file, hash: $0.hash) } } + [contactSheet, gallery]
    }
}

/// Each theme's generator loaded once per render, with its file's fingerprint.
struct Generators {
    struct Loaded {
        let theme: Theme
        let generator: ShippedGenerator
        /// `Fingerprint` of the generator file's bytes.
        let hash: String
    }

    let themes: [String: Theme]
    private var loaded: [String: Loaded] = [:]

    init(themes: [String: Theme]) {
        self.themes = themes
    }

    /// Throws `SetError.unknownTheme` for item `item`, or `MissingGenerator` naming the theme and the file.
    mutating func load(_ name: String, item: Int) throws -> Loaded {
        if let cached = loaded[name] { return cached }
        guard let theme = themes[name] else { throw SetError.unknownTheme(theme: name, item: item) }
        let generator = try ShippedGenerator(theme: theme)
        let entry = Loaded(theme: theme, generator: generator, hash: Fingerprint(of: try SetFiles.read(theme.generatorFile)).hex)
        loaded[name] = entry
        return entry
    }
}

extension Theme {
    /// `file` relative to the repository root when inside it, else its absolute path: manifests
    /// stay the same wherever the repository is checked out.
    func relativePath(of file: URL) -> String {
        let path = file.standardizedFileURL.path, root = repositoryRoot.standardizedFileURL.path + "/"
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }
}
