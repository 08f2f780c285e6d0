import Foundation
import Imaging
import TestSupport
import ThemeConfig
import XCTest
@testable import Datasets

final class FolderSourceTests: XCTestCase {
    private var folder: URL!
    private var cache: URL!

    /// Four good pictures (two nested, upper-case extensions among them), three broken ones,
    /// a text file and a hidden picture that must not count.
    override func setUpWithError() throws {
        folder = try temporaryFolder(self)
        cache = try temporaryFolder(self)
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
        try halves.write(png: folder.appendingPathComponent("halves.png"))
        try Image(width: 10, height: 10, fill: RGB(0, 1, 0)).write(jpeg: folder.appendingPathComponent("green.jpg"), quality: 95)
        try Image(width: 6, height: 9, fill: RGB(1, 1, 1)).write(jpeg: folder.appendingPathComponent("sub/photo.JPEG"), quality: 95)
        try Image(width: 4, height: 4, fill: RGB(0, 0, 1)).write(png: folder.appendingPathComponent("sub/deeper/inside.PNG"))
        try Image(width: 4, height: 4).write(png: folder.appendingPathComponent(".hidden.png"))
        let png = try halves.pngData()
        try Data(png.prefix(png.count / 2)).write(to: folder.appendingPathComponent("sub/truncated.png"))
        try Data().write(to: folder.appendingPathComponent("empty.png"))
        try Data("not a picture\n".utf8).write(to: folder.appendingPathComponent("notes.jpg"))
        try Data("read me\n".utf8).write(to: folder.appendingPathComponent("readme.txt"))
    }

    /// 12×8: red on the left half, blue on the right.
    private let halves: Image = {
        var image = Image(width: 12, height: 8, fill: RGB(0, 0, 1))
        image.paste(Image(width: 6, height: 8, fill: RGB(1, 0, 0)), x: 0, y: 0)
        return image
    }()

    private func load(fit: ImageFit = .crop, resolution: Int = 4) throws -> Dataset {
        try DatasetRegistry.load(DatasetRequest(source: "folder", path: folder, resolution: resolution, fit: fit,
                                                parameters: [:], cacheFolder: cache))
    }

    private var cacheFile: URL {
        cache.appendingPathComponent(FolderSource.cacheName(folder: folder, resolution: 4, fit: .crop))
    }

    func testDecodesGoodFilesAndSkipsBrokenOnesWithReasons() throws {
        let dataset = try load()
        XCTAssertEqual(dataset.count, 4)
        XCTAssertEqual(dataset.summary.count, 4)
        XCTAssertEqual(dataset.summary.ignored, 1, "readme.txt")
        XCTAssertEqual(dataset.summary.skipped.map(\.path), ["empty.png", "notes.jpg", "sub/truncated.png"])
        let path = { (name: String) in self.folder.standardizedFileURL.appendingPathComponent(name).path }
        XCTAssertEqual(dataset.summary.skipped[0].message, ImageError(file: path("empty.png"), reason: .empty).description)
        XCTAssertEqual(dataset.summary.skipped[1].message, ImageError(file: path("notes.jpg"), reason: .notAnImage).description)
        XCTAssertTrue(dataset.summary.skipped[2].message.hasPrefix(path("sub/truncated.png") + ": truncated PNG data"),
                      dataset.summary.skipped[2].message)
    }

    /// Pictures come in path order: green.jpg, halves.png, sub/deeper/inside.PNG, sub/photo.JPEG.
    /// The 12×8 halves crop to their middle 8×8 (columns 2–9): two red columns then two blue at 4×4.
    func testCropKeepsTheCentreAndPadAddsBlackBars() throws {
        let cropped = try load().image(at: 1)
        for y in 0..<4 {
            XCTAssertEqual((0..<4).map { cropped[0, y, $0] }, [1, 1, 0, 0])
            XCTAssertEqual((0..<4).map { cropped[2, y, $0] }, [0, 0, 1, 1])
        }
        // Padded to 12×12 with two black rows above and below; each output pixel averages 3×3, so the
        // top and bottom rows hold one image row in three: 85 of 255.
        let padded = try load(fit: .pad).image(at: 1)
        XCTAssertEqual((0..<4).map { padded[0, $0, 0] }, [85 / 255, 1, 1, 85 / 255])
        XCTAssertEqual((0..<4).map { padded[2, $0, 3] }, [85 / 255, 1, 1, 85 / 255])
        XCTAssertEqual(padded[1, 1, 1], 0)
    }

    func testMeanColourOfTheDecodedPictures() throws {
        let mean = try load().meanColour()
        // green, half red / half blue, blue, white: red ≈ (0 + .5 + 0 + 1) / 4, green ≈ (1 + 0 + 0 + 1) / 4, blue ≈ (0 + .5 + 1 + 1) / 4.
        XCTAssertEqual(mean.r, 0.375, accuracy: 0.01)
        XCTAssertEqual(mean.g, 0.5, accuracy: 0.01)
        XCTAssertEqual(mean.b, 0.625, accuracy: 0.01)
    }

    func testSecondLoadReadsTheCacheWithTheSameSkips() throws {
        let first = try load()
        XCTAssertEqual(first.summary.cache, .written(cacheFile))
        let second = try load()
        XCTAssertEqual(second.summary.cache, .hit(cacheFile))
        XCTAssertEqual(second.pixels, first.pixels)
        XCTAssertEqual(second.summary, DatasetSummary(source: first.summary.source, count: 4, skipped: first.summary.skipped,
                                                      ignored: 1, cache: .hit(cacheFile)))
        XCTAssertEqual(try load(fit: .pad).summary.cache,
                       .written(cache.appendingPathComponent(FolderSource.cacheName(folder: folder, resolution: 4, fit: .pad))))
        XCTAssertEqual(try load().summary.cache, .hit(cacheFile), "each fit keeps its own cache")
    }

    func testAddingRemovingOrTouchingAFileRebuildsTheCache() throws {
        _ = try load()
        try Image(width: 5, height: 5, fill: RGB(1, 1, 0)).write(png: folder.appendingPathComponent("sub/yellow.png"))
        let added = try load()
        XCTAssertEqual([added.count, added.summary.cache == .written(cacheFile) ? 1 : 0], [5, 1])

        try FileManager.default.removeItem(at: folder.appendingPathComponent("green.jpg"))
        let removed = try load()
        XCTAssertEqual([removed.count, removed.summary.cache == .written(cacheFile) ? 1 : 0], [4, 1])
        XCTAssertEqual(try load().summary.cache, .hit(cacheFile))

        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)],
                                              ofItemAtPath: folder.appendingPathComponent("halves.png").path)
        XCTAssertEqual(try load().summary.cache, .written(cacheFile), "a touched file")

        try Data().write(to: folder.appendingPathComponent("readme.txt"))
        XCTAssertEqual(try load().summary.cache, .hit(cacheFile), "files that are not pictures do not matter")
    }

    func testACutShortCacheIsRebuilt() throws {
        let first = try load()
        let bytes = try Data(contentsOf: cacheFile)
        try bytes.prefix(bytes.count - 1).write(to: cacheFile)
        let second = try load()
        XCTAssertEqual(second.summary.cache, .written(cacheFile))
        XCTAssertEqual(second.pixels, first.pixels)
    }

    func testFolderWithoutUsablePicturesSaysWhereAndWhatToDo() throws {
        for name in ["halves.png", "green.jpg", "sub"] { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        XCTAssertThrowsError(try load()) { error in
            guard case .noUsableImages(folder.path, let skipped)? = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertEqual(skipped.map(\.path), ["empty.png", "notes.jpg"])
            XCTAssertEqual("\(error)", "\(folder.path): holds 2 picture files but none could be read; add JPEG or PNG pictures "
                           + "to it (subfolders count) or point the dataset path elsewhere\n  \(skipped[0].message)\n  \(skipped[1].message)")
        }
        let missing = folder.appendingPathComponent("nowhere")
        XCTAssertThrowsError(try DatasetRegistry.load(DatasetRequest(source: "folder", path: missing, resolution: 4, fit: .crop,
                                                                     parameters: [:], cacheFolder: cache))) {
            XCTAssertEqual($0 as? DatasetError, .folderMissing(path: missing.path))
        }
        XCTAssertThrowsError(try DatasetRegistry.load(DatasetRequest(source: "folder", path: nil, resolution: 4, fit: .crop,
                                                                     parameters: [:], cacheFolder: cache))) {
            XCTAssertEqual($0 as? DatasetError, .pathRequired(source: "folder"))
        }
    }
}
