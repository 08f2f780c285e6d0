import Foundation
import TestSupport
import ThemeConfig
import XCTest
@testable import Datasets

final class CacheSpeedTests: XCTestCase {
    /// 10,000 cached 64×64 pictures: the load stats every file and reads 123 MB. Prints the time
    /// (debug builds are slower); asserts only that the cache served the load, whole.
    func testTenThousandCachedPicturesLoadFromTheCache() throws {
        let folder = try temporaryFolder(self), cache = try temporaryFolder(self)
        let (count, resolution) = (10_000, 64)
        // Hard links of one file: the cache check stats every name just the same, and they are quick to make.
        let original = folder.appendingPathComponent("original.png")
        try Data([1]).write(to: original)
        for i in 1..<count {
            let shard = folder.appendingPathComponent("part\(i / 1000)")
            if i % 1000 == 0 || i == 1 { try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: true) }
            XCTAssertEqual(link(original.path, shard.appendingPathComponent("\(i).png").path), 0)
        }
        var fingerprint = Fingerprint()
        fingerprint.add("folder \(resolution) crop")
        try FolderScan(folder).add(to: &fingerprint)
        let size = 3 * resolution * resolution
        var pixels = [UInt8](repeating: 128, count: count * size)
        for i in 0..<count { (pixels[i * size], pixels[(i + 1) * size - 1]) = (UInt8(i % 256), UInt8(i / 256)) }
        let file = cache.appendingPathComponent(FolderSource.cacheName(folder: folder, resolution: resolution, fit: .crop))
        try DatasetCache(file: file).store(DatasetCache.Header(version: DatasetCache.version, fingerprint: fingerprint.hex,
                                                               resolution: resolution, count: count, skipped: []),
                                           pixels: pixels)

        let start = Date()
        let dataset = try DatasetRegistry.load(DatasetRequest(source: "folder", path: folder, resolution: resolution, fit: .crop,
                                                              parameters: [:], cacheFolder: cache))
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "cached load of %d pictures at %d px: %.3f s", count, resolution, seconds))
        XCTAssertEqual(dataset.summary.cache, .hit(file))
        XCTAssertEqual(dataset.count, count)
        XCTAssertEqual(dataset.pixels.withUnsafeBytes { a in pixels.withUnsafeBytes { memcmp(a.baseAddress!, $0.baseAddress!, a.count) } }, 0)
    }
}
