import Foundation
import Imaging
import Palettes
@testable import Sets
import TestSupport
import XCTest

/// What a person looks at: the contact sheet's layout, pixel for pixel, and the gallery page.
final class SetOutputTests: XCTestCase {
    func testContactSheetPlacesEachRowsPicturesAndSwatch() throws {
        let fixture = try SetFixture(self)
        let manifest = try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        let sheet = try Image(contentsOf: fixture.out.appendingPathComponent("winter-test-contact-sheet.png"))

        // Margins 24; widest label "palette blend tiny 25% +" (24 glyphs at 6 px, less the last gap) then 16;
        // three 32 px pictures at 2× with 4 px gaps; 12, a 24 px swatch. Title 14 + 8, season 7 + 8, 12;
        // rows 20 apart, each 64 px but the blend's, whose label (theme 14, four lines of 7, gaps of 6) is 66
        // (an own-colours row has no strength line).
        let labelWidth = 24 * 6 - 1
        let rowHeights = [64, 64, 14 + 4 * 7 + 4 * 6, 64]
        XCTAssertEqual(sheet.width, 24 + labelWidth + 16 + (3 * 64 + 2 * 4) + 12 + 24 + 24)
        XCTAssertEqual(sheet.height, 24 + 14 + 8 + 7 + 8 + 12 + rowHeights.reduce(0, +) + 3 * 20 + 24)

        let picturesLeft = 24 + labelWidth + 16
        let swatchLeft = picturesLeft + 3 * 64 + 2 * 4 + 12
        var top = 24 + 14 + 8 + 7 + 8 + 12
        for (row, item) in manifest.items.enumerated() {
            defer { top += rowHeights[row] + 20 }
            for (i, picture) in item.pictures.enumerated() {
                let written = try Image(contentsOf: fixture.out.appendingPathComponent(picture.file))
                XCTAssertTrue(sheet.cropped(x: picturesLeft + i * 68, y: top, width: 64, height: 64) == written.magnified(by: 2),
                              "row \(row) picture \(i)")
            }
            let column = sheet.cropped(x: swatchLeft, y: top, width: 24, height: 64)
            if let colours = item.palette.colours, let weights = item.palette.weights {
                let strip = try Palette(colours: colours.map { RGB(hex: $0)! }, weights: weights).strip(width: 24, height: 64)
                XCTAssertTrue(column == strip, "row \(row) swatch")
                XCTAssertEqual(Set((0..<64).map { RGB(column[0, $0, 5], column[1, $0, 5], column[2, $0, 5]).hex }), Set(colours))
            } else {
                XCTAssertTrue(column == Image(width: 24, height: 64, fill: .white), "own colours: no swatch")
            }
            XCTAssertTrue(sheet.cropped(x: picturesLeft - 16, y: top, width: 16, height: 64) == Image(width: 16, height: 64, fill: .white),
                          "row \(row): white between label and pictures")
            let label = sheet.cropped(x: 24, y: top, width: labelWidth, height: rowHeights[row])
            XCTAssertGreaterThan(label.pixels.filter { $0 < 0.5 }.count, 100, "row \(row) has its label")
        }
    }

    /// A theme at twice the resolution of the others is shown at half their magnification: every
    /// picture takes the same room, and its pixels are the picture's own, magnified.
    func testContactSheetShowsPicturesOfMixedSizesAtOneSize() throws {
        let fixture = try SetFixture(self)
        let manifest = try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        XCTAssertGreaterThan(manifest.items.count, 1)
        let pictures = manifest.items.enumerated().map { row, item in
            item.pictures.map { _ in Image(width: row == 0 ? 32 : 64, height: row == 0 ? 32 : 64, fill: RGB(hex: 0x3366CC)) }
        }
        let sheet = ContactSheet(manifest: manifest, pictures: pictures)
        let frames = sheet.pictureFrames.flatMap { $0 }
        XCTAssertEqual(Set(frames.map(\.width)), [64])
        XCTAssertEqual(Set(frames.map(\.height)), [64])
        let big = sheet.image.cropped(x: frames.last!.x, y: frames.last!.y, width: 64, height: 64)
        XCTAssertTrue(big == Image(width: 64, height: 64, fill: RGB(hex: 0x3366CC)), "the larger picture at 1×")
        XCTAssertEqual(ContactSheet.displaySide([Image(width: 64, height: 64, fill: .white)]), 128, "alone: 2×")
    }

    func testContactSheetTitleFallsBackToTheNameWhenTheFontLacksACharacter() throws {
        let fixture = try SetFixture(self)
        let manifest = try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        let pictures = try manifest.items.map { try $0.pictures.map { try Image(contentsOf: fixture.out.appendingPathComponent($0.file)) } }
        for (title, heading) in [("Winter <script>", "winter-test"), ("Новый год", "winter-test"), ("Straße", "winter-test"),
                                 ("Winter 2025: frost", "Winter 2025: frost")] {
            var titled = manifest
            titled.set.title = title
            XCTAssertEqual(ContactSheet(manifest: titled, pictures: pictures).heading, heading)
        }
        var image = Image(width: 80, height: 10, fill: .white)
        BitmapFont.draw("Straße Новый", into: &image, x: 0, y: 0, colour: .black)
        XCTAssertGreaterThan(image.pixels.filter { $0 == 0 }.count, 0, "drawn as boxes, no trap")
    }

    func testGalleryIsSelfContainedAndEscapesEveryText() throws {
        let fixture = try SetFixture(self)
        var manifest = try SetRenderer(themes: fixture.themes).render(fixture.set, palettes: FixedPalettes(), to: fixture.out)
        let html = String(decoding: try bytes(fixture.out.appendingPathComponent("index.html")), as: UTF8.self)

        let sources = html.components(separatedBy: "src=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        XCTAssertEqual(sources.count, 7, "one picture per seed")
        let files = manifest.items.flatMap(\.pictures).map(\.file)
        for (source, file) in zip(sources, files) {
            XCTAssertTrue(source.hasPrefix("data:image/png;base64,"), file)
            XCTAssertEqual(Data(base64Encoded: String(source.dropFirst("data:image/png;base64,".count))).map { [UInt8]($0) },
                           try bytes(fixture.out.appendingPathComponent(file)), file)
        }
        XCTAssertEqual(html.components(separatedBy: "data:").count - 1, 7)
        XCTAssertFalse(html.contains("http://") || html.contains("https://") || html.contains("url("), "no external assets")
        XCTAssertFalse(html.contains("<script"))
        XCTAssertTrue(html.contains("<h1>Winter &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</h1>"))
        XCTAssertTrue(html.contains("<title>Winter &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>"))
        for colour in ["#2b4a66", "#8fb3cc", "#dfe8f0"] { XCTAssertTrue(html.contains("background: \(colour)"), colour) }

        manifest.items[1].palette.label = "<script>x</script>"
        manifest.items[1].theme = "a\"b"
        let pictures = try manifest.items.map { try $0.pictures.map { try bytes(fixture.out.appendingPathComponent($0.file)) } }
        let page = SetGallery(manifest: manifest, pictures: pictures).html
        XCTAssertFalse(page.contains("<script"))
        XCTAssertTrue(page.contains("&lt;script&gt;x&lt;/script&gt;"))
        XCTAssertTrue(page.contains("alt=\"a&quot;b seed 11\""))
    }
}
