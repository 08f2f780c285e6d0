import Foundation
import TestSupport
import XCTest
@testable import Checkpoint

final class AtomicFileTests: XCTestCase {
    func checkpoint(step: Int, weight: Float) -> SafeTensorsFile {
        var file = SafeTensorsFile(metadata: ["step": String(step)])
        file.setFloats("g.w", [weight, weight * 2, weight * 3], shape: [3])
        return file
    }

    func testPreviousPathInsertsPrevBeforeTheExtension() {
        XCTAssertEqual(AtomicFile.previousPath(for: "Models/cats/state.safetensors"), "Models/cats/state.prev.safetensors")
        XCTAssertEqual(AtomicFile.previousPath(for: "a.b/state"), "a.b/state.prev")
        XCTAssertEqual(AtomicFile.previousPath(for: ".hidden"), ".hidden.prev")
        XCTAssertEqual(AtomicFile.temporaryPrefix(for: "Models/cats/state.safetensors"), "Models/cats/.state.safetensors.tmp-")
    }

    func testWriteReplacesWholeFileAndLeavesNoTemporaries() throws {
        let directory = try temporaryFolder(self).path
        let path = directory + "/blob.bin"
        try AtomicFile.write(Array(repeating: 1, count: 1000), to: path)
        try AtomicFile.write([9, 8, 7], to: path)
        XCTAssertEqual(try POSIXFile.readAll(path), [9, 8, 7])
        XCTAssertEqual(try directoryListing(directory), ["blob.bin"])
    }

    func testKeepPreviousRotatesOneGeneration() throws {
        let directory = try temporaryFolder(self).path
        let path = directory + "/state.safetensors"
        try checkpoint(step: 1, weight: 1).write(to: path, keepPrevious: true)
        XCTAssertEqual(try directoryListing(directory), ["state.safetensors"])
        try checkpoint(step: 2, weight: 2).write(to: path, keepPrevious: true)
        try checkpoint(step: 3, weight: 3).write(to: path, keepPrevious: true)
        XCTAssertEqual(try directoryListing(directory), ["state.prev.safetensors", "state.safetensors"])
        XCTAssertEqual(try SafeTensorsFile(contentsOf: path), checkpoint(step: 3, weight: 3))
        XCTAssertEqual(try SafeTensorsFile(contentsOf: directory + "/state.prev.safetensors"), checkpoint(step: 2, weight: 2))
        let loaded = try SafeTensorsFile.loadWithFallback(path)
        XCTAssertFalse(loaded.usedFallback)
        XCTAssertNil(loaded.note)
        XCTAssertEqual(try loaded.value.floats("g.w"), [3, 6, 9])
    }

    /// A writer that died mid-write leaves a partial temp file: loading never looks at it, and the
    /// next successful write removes it, while a live process's temp file is left alone.
    func testCrashedWritersTemporaryIsIgnoredThenCleanedUp() throws {
        let directory = try temporaryFolder(self).path
        let path = directory + "/state.safetensors"
        try checkpoint(step: 1, weight: 1).write(to: path, keepPrevious: true)
        let partial = Array(checkpoint(step: 2, weight: 2).serialized().prefix(50))
        let crashed = directory + "/.state.safetensors.tmp-\(try deadProcessID())"
        let live = directory + "/.state.safetensors.tmp-1"
        let crashedLink = directory + "/.state.prev.safetensors.tmp-\(try deadProcessID())"
        XCTAssertTrue(FileManager.default.createFile(atPath: crashedLink, contents: Data(partial)))
        XCTAssertTrue(FileManager.default.createFile(atPath: crashed, contents: Data(partial)))
        XCTAssertTrue(FileManager.default.createFile(atPath: live, contents: Data(partial)))

        let loaded = try SafeTensorsFile.loadWithFallback(path)
        XCTAssertFalse(loaded.usedFallback)
        XCTAssertEqual(loaded.value.metadata["step"], "1")

        try checkpoint(step: 2, weight: 2).write(to: path, keepPrevious: true)
        XCTAssertEqual(try directoryListing(directory), [".state.safetensors.tmp-1", "state.prev.safetensors", "state.safetensors"])
        XCTAssertEqual(try SafeTensorsFile(contentsOf: path).metadata["step"], "2")
    }

    func testTruncatedMainFileFallsBackToPreviousWithTheReason() throws {
        let directory = try temporaryFolder(self).path
        let path = directory + "/state.safetensors"
        try checkpoint(step: 1, weight: 1).write(to: path, keepPrevious: true)
        try checkpoint(step: 2, weight: 2).write(to: path, keepPrevious: true)
        let full = try POSIXFile.readAll(path)
        try Data(full.prefix(full.count - 4)).write(to: URL(fileURLWithPath: path))

        let loaded = try SafeTensorsFile.loadWithFallback(path)
        XCTAssertTrue(loaded.usedFallback)
        XCTAssertEqual(loaded.path, directory + "/state.prev.safetensors")
        XCTAssertEqual(loaded.value, checkpoint(step: 1, weight: 1))
        let reason = try XCTUnwrap(loaded.fallbackReason as? SafeTensorsError)
        XCTAssertEqual(reason.file, path)
        XCTAssertEqual(reason.tensor, "g.w")
        // 12 data bytes were written, 4 cut off.
        XCTAssertEqual(reason.problem, .offsetsOutOfBounds(begin: 0, end: 12, dataSize: 8))
        XCTAssertEqual(loaded.note, "\(path) was corrupt (\(reason)); resumed from \(directory)/state.prev.safetensors")

        try Data(full.prefix(5)).write(to: URL(fileURLWithPath: path))
        let tiny = try SafeTensorsFile.loadWithFallback(path)
        XCTAssertEqual((tiny.fallbackReason as? SafeTensorsError)?.problem, .fileTooShort(size: 5))
    }

    func testMissingMainFileFallsBackAndMissingBothIsNothingToLoad() throws {
        let directory = try temporaryFolder(self).path
        let path = directory + "/state.safetensors"
        XCTAssertThrowsError(try SafeTensorsFile.loadWithFallback(path)) { error in
            XCTAssertEqual((error as? FallbackLoadError)?.nothingToLoad, true)
        }
        try checkpoint(step: 1, weight: 1).write(to: path)
        try checkpoint(step: 2, weight: 2).write(to: path, keepPrevious: true)
        XCTAssertEqual(unlink(path), 0)
        let loaded = try SafeTensorsFile.loadWithFallback(path)
        XCTAssertEqual(loaded.value.metadata["step"], "1")
        XCTAssertEqual(loaded.note, "\(path) was missing; resumed from \(directory)/state.prev.safetensors")

        try AtomicFile.write([1, 2, 3], to: path)
        try AtomicFile.write([0, 0, 0, 0, 0, 0, 0, 0, 0], to: directory + "/state.prev.safetensors")
        XCTAssertThrowsError(try SafeTensorsFile.loadWithFallback(path)) { error in
            let error = error as? FallbackLoadError
            XCTAssertEqual(error?.nothingToLoad, false)
            XCTAssertEqual((error?.reason as? SafeTensorsError)?.problem, .fileTooShort(size: 3))
            XCTAssertEqual((error?.previousReason as? SafeTensorsError)?.problem, .invalidJSON(offset: 0, reason: "unexpected end of header"))
        }
    }

    func testWriteIntoMissingFolderIsATypedError() throws {
        let directory = try temporaryFolder(self).path
        XCTAssertThrowsError(try AtomicFile.write([1], to: directory + "/no/such/file")) { error in
            let error = error as? FileError
            XCTAssertEqual(error?.operation, "create")
            XCTAssertEqual(error?.isNotFound, true)
        }
    }
}
