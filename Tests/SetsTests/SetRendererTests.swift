import Foundation
import Generation
import Imaging
import Palettes
import Sets
import TestSupport
import ThemeConfig
import XCTest

final class SetRendererTests: XCTestCase {
    static let expectedFiles = ["00-tiny-s7.png", "00-tiny-s8.png", "00-tiny-s9.png", "01-other-s11.png", "01-other-s5.png",
                                "02-tiny-s2.png", "03-other-s4.png", "index.html", "manifest.json", "winter-test-contact-sheet.png"]

    func testRenderWritesEveryFileAndTheManifestRecordsThem() throws {
        let fixture = try SetFixture(self)
        let manifest = try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        XCTAssertEqual(try directoryListing(fixture.out.path), Self.expectedFiles)

        XCTAssertEqual(manifest.programVersion, "0.9.0")
        XCTAssertEqual(manifest.set.file.file, "Themes/sets/winter-test.yaml")
        XCTAssertEqual(manifest.set.file.hash, Fingerprint(of: try bytes(fixture.set.file)).hex)
        XCTAssertEqual(manifest.items.map(\.theme), ["tiny", "other", "tiny", "other"])
        XCTAssertEqual(manifest.items.map(\.generator.file), ["Models/tiny/generator.safetensors", "Models/other/generator.safetensors",
                                                              "Models/tiny/generator.safetensors", "Models/other/generator.safetensors"])
        XCTAssertEqual(manifest.items[0].generator.hash, Fingerprint(of: try bytes(fixture.themes["tiny"]!.generatorFile)).hex)
        XCTAssertNotEqual(manifest.items[0].generator.hash, manifest.items[1].generator.hash)
        XCTAssertEqual(manifest.items.map(\.truncation), [0.9, 0.5, 0.9, 0.9], "the item's, else the theme's generate.truncation")
        XCTAssertEqual(manifest.items.map(\.strength), [1, 0.8, 1, 1])
        XCTAssertEqual(manifest.items.map(\.pictures).map { $0.map(\.seed) }, [[7, 8, 9], [11, 5], [2], [4]])
        XCTAssertEqual(manifest.items.map(\.palette.label), ["own", "frost", "blend tiny 25% + other 75%", "from tiny"])
        XCTAssertNil(manifest.items[0].palette.colours)
        XCTAssertEqual(manifest.items[1].palette.colours, ["#2b4a66", "#8fb3cc", "#dfe8f0"], "equal weights: ordered by channels")
        XCTAssertEqual(manifest.items[1].palette.weights?.reduce(0, +) ?? 0, 1, accuracy: 1e-6)
        for picture in manifest.items.flatMap(\.pictures) {
            XCTAssertEqual(picture.hash, Fingerprint(of: try bytes(fixture.out.appendingPathComponent(picture.file))).hex, picture.file)
        }
        XCTAssertEqual(manifest.contactSheet.hash, Fingerprint(of: try bytes(fixture.out.appendingPathComponent("winter-test-contact-sheet.png"))).hex)
        XCTAssertEqual(manifest.gallery.hash, Fingerprint(of: try bytes(fixture.out.appendingPathComponent("index.html"))).hex)

        let file = fixture.out.appendingPathComponent("manifest.json")
        let reread = try SetManifest(contentsOf: file)
        XCTAssertEqual(reread, manifest)
        XCTAssertEqual(try reread.encoded(), try bytes(file), "decode then encode gives the same bytes")
    }

    /// Picture i of an item is its seed's first latent, so a seed gives the same picture in any row or count;
    /// a palette row is that picture recoloured with the picture's seed.
    func testPicturesAreEachSeedsFirstLatentRecolouredTowardTheRowPalette() throws {
        let fixture = try SetFixture(self)
        try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        let tiny = try ShippedGenerator(theme: fixture.themes["tiny"]!).network
        let other = try ShippedGenerator(theme: fixture.themes["other"]!).network
        for seed: UInt64 in [7, 8, 9] {
            let alone = tiny.render([tiny.latentVector(seed: seed, index: 0)], truncation: 0.9)[0]
            XCTAssertEqual(try alone.pngData(), try bytes(fixture.out.appendingPathComponent("00-tiny-s\(seed).png")), "seed \(seed)")
        }
        let raw = other.render([other.latentVector(seed: 11, index: 0)], truncation: 0.5)[0]
        let frost = try Palette(hex: ["#dfe8f0", "#8fb3cc", "#2b4a66"])
        let expected = try RecolourMethod.palette.recoloured(raw, toward: frost, strength: 0.8, seed: 11)
        let written = try Image(contentsOf: fixture.out.appendingPathComponent("01-other-s11.png"))
        XCTAssertEqual(try expected.pngData(), try bytes(fixture.out.appendingPathComponent("01-other-s11.png")))

        func meanDistanceToFrost(_ image: Image) -> Float {
            let labs = frost.labs
            var total: Float = 0
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let lab = Lab(RGB(image[0, y, x], image[1, y, x], image[2, y, x]))
                    total += labs.map { $0.distance(to: lab) }.min()!
                }
            }
            return total / Float(image.width * image.height)
        }
        let before = meanDistanceToFrost(raw), after = meanDistanceToFrost(written)
        XCTAssertLessThan(after, 0.8 * before, "recolouring moves the row toward its palette: ΔE \(before) → \(after)")
    }

    func testReproductionGivesTheSameBytes() throws {
        let fixture = try SetFixture(self)
        try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        let again = fixture.root.appendingPathComponent("again", isDirectory: true)
        let made = try SetRenderer.reproduce(manifest: fixture.out.appendingPathComponent("manifest.json"), themes: fixture.themes, to: again)
        XCTAssertEqual(try directoryListing(again.path), Self.expectedFiles)
        for name in Self.expectedFiles {
            XCTAssertEqual(try bytes(again.appendingPathComponent(name)), try bytes(fixture.out.appendingPathComponent(name)), name)
        }
        XCTAssertEqual(made, try SetManifest(contentsOf: fixture.out.appendingPathComponent("manifest.json")))
    }

    func testAChangedGeneratorIsNamedBeforeAnythingIsWritten() throws {
        let fixture = try SetFixture(self)
        let manifest = try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        try SetFixture.writeGenerator(for: fixture.themes["other"]!, seed: 99)
        let current = Fingerprint(of: try bytes(fixture.themes["other"]!.generatorFile)).hex
        let again = fixture.root.appendingPathComponent("again", isDirectory: true)
        XCTAssertThrowsError(try SetRenderer.reproduce(manifest: fixture.out.appendingPathComponent("manifest.json"),
                                                       themes: fixture.themes, to: again)) { error in
            XCTAssertEqual(error as? SetError, .generatorChanged(theme: "other", file: "Models/other/generator.safetensors",
                                                                 recorded: manifest.items[1].generator.hash, current: current))
            let text = "\(error)"
            for part in ["other", "Models/other/generator.safetensors", manifest.items[1].generator.hash, current] {
                XCTAssertTrue(text.contains(part), "\(text) lacks \(part)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: again.path))
    }

    func testAFileWhoseBytesDifferIsNamed() throws {
        let fixture = try SetFixture(self)
        let manifestFile = fixture.out.appendingPathComponent("manifest.json")
        var manifest = try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        let real = manifest.items[1].pictures[1].hash
        manifest.items[1].pictures[1].hash = "0123456789abcdef"
        try Data(try manifest.encoded()).write(to: manifestFile)
        XCTAssertThrowsError(try SetRenderer.reproduce(manifest: manifestFile, themes: fixture.themes, to: fixture.out)) { error in
            XCTAssertEqual(error as? SetError, .outputsDiffer([.init(file: "01-other-s5.png", recorded: "0123456789abcdef", current: real)],
                                                              recordedVersion: Neurossia.programVersion,
                                                              currentVersion: Neurossia.programVersion))
            XCTAssertEqual("\(error)", "1 file differs from the manifest: 01-other-s5.png (recorded 0123456789abcdef, now \(real))")
        }
    }

    /// A manifest from another version: the files that differ, and why they may.
    func testAnOlderVersionsManifestSaysSo() throws {
        let fixture = try SetFixture(self)
        let manifestFile = fixture.out.appendingPathComponent("manifest.json")
        var manifest = try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        manifest.programVersion = "0.1.0"
        manifest.items[0].pictures[0].hash = "0123456789abcdef"
        try Data(try manifest.encoded()).write(to: manifestFile)
        XCTAssertThrowsError(try SetRenderer.reproduce(manifest: manifestFile, themes: fixture.themes, to: fixture.out)) { error in
            let text = "\(error)"
            // The gallery names the version that made it, so it differs too.
            for part in ["2 files differ", manifest.items[0].pictures[0].file, "index.html", "made by Neurossia 0.1.0",
                         "this is \(Neurossia.programVersion)", "neurossia set NAME"] {
                XCTAssertTrue(text.contains(part), "\(text) lacks \(part)")
            }
        }
    }

    func testMissingGeneratorUnknownThemeAndBlockedFolderSayWhatAndWhere() throws {
        let fixture = try SetFixture(self)
        let renderer = SetRenderer(themes: fixture.themes)

        let blocker = fixture.root.appendingPathComponent("blocker")
        try Data("x".utf8).write(to: blocker)
        let blocked = blocker.appendingPathComponent("sets/winter")
        XCTAssertThrowsError(try renderer.render(fixture.set, palettes: FixedPalettes(), to: blocked)) { error in
            XCTAssertEqual("\(error)", "cannot create the output folder \(blocked.path): \(blocker.path): a file is in the way, not a folder")
        }

        XCTAssertThrowsError(try SetRenderer(themes: ["tiny": fixture.themes["tiny"]!]).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)) {
            XCTAssertEqual($0 as? SetError, .unknownTheme(theme: "other", item: 1))
        }

        try FileManager.default.removeItem(at: fixture.themes["tiny"]!.generatorFile)
        XCTAssertThrowsError(try renderer.render(fixture.set, palettes: FixedPalettes(), to: fixture.out)) { error in
            XCTAssertEqual("\(error)", "tiny has no trained generator at \(fixture.themes["tiny"]!.generatorFile.path); train it first: neurossia train tiny")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.out.path), "nothing made before every generator loaded")
    }

    func testABadManifestIsRefusedWithTheKey() throws {
        let fixture = try SetFixture(self)
        let manifestFile = fixture.out.appendingPathComponent("manifest.json")
        var manifest = try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        manifest.items[2].strength = 1.5
        try Data(try manifest.encoded()).write(to: manifestFile)
        XCTAssertThrowsError(try SetManifest(contentsOf: manifestFile)) {
            XCTAssertEqual($0 as? SetError, .badManifest(file: manifestFile.path, reason: "items[2].strength is 1.5, outside 0…1"))
        }
        try Data("{\"items\": []}".utf8).write(to: manifestFile)
        XCTAssertThrowsError(try SetManifest(contentsOf: manifestFile)) {
            XCTAssertEqual("\($0)", "\(manifestFile.path) is not a set manifest this program can read: missing key program_version")
        }
    }
}
