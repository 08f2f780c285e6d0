import Foundation
import TestSupport
import XCTest
@testable import Checkpoint

final class TrainingLockTests: XCTestCase {
    func testSecondAcquisitionFailsNamingTheHolderThenSucceedsAfterRelease() throws {
        let folder = try temporaryFolder(self).path
        let lock = try TrainingLock(themeFolder: folder, theme: "panel-blocks")
        XCTAssertEqual(lock.path, folder + "/train.lock")
        XCTAssertEqual(lock.holder.pid, getpid())
        XCTAssertNil(lock.tookOverFrom)
        let text = try String(contentsOfFile: lock.path, encoding: .utf8)
        XCTAssertEqual(LockHolder(fileText: text)?.pid, getpid())
        XCTAssertTrue(text.hasPrefix("pid=\(getpid())\nhost=\(TrainingLock.hostName)\nstarted="))

        XCTAssertThrowsError(try TrainingLock(themeFolder: folder, theme: "panel-blocks")) { error in
            let error = error as? TrainingLockError
            XCTAssertEqual(error?.holder?.pid, getpid())
            XCTAssertEqual(error?.theme, "panel-blocks")
            XCTAssertTrue(error?.description.hasPrefix("panel-blocks is being trained by process \(getpid()) (since ") == true,
                          error?.description ?? "")
            XCTAssertTrue(error?.description.hasSuffix("); wait for it or stop it") == true)
        }
        lock.release()
        lock.release()
        // By size: Foundation leaks 4 KB reading an empty file, which fails `make test-sanitizers`.
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: lock.path)[.size] as? Int, 0)
        let again = try TrainingLock(themeFolder: folder, theme: "panel-blocks")
        XCTAssertNil(again.tookOverFrom)
    }

    func testDeinitReleases() throws {
        let folder = try temporaryFolder(self).path
        do { _ = try TrainingLock(themeFolder: folder, theme: "cats") }
        XCTAssertNoThrow(try TrainingLock(themeFolder: folder, theme: "cats"))
    }

    func testMessageFormat() throws {
        let started = try XCTUnwrap(Calendar.current.date(from: DateComponents(year: 2026, month: 11, day: 25, hour: 16, minute: 10, second: 42)))
        let local = TrainingLockError(theme: "panel-blocks", path: "train.lock", holder: LockHolder(pid: 4242, host: TrainingLock.hostName, started: started))
        XCTAssertEqual(local.description, "panel-blocks is being trained by process 4242 (since 2026-11-25 16:10); wait for it or stop it")
        let remote = TrainingLockError(theme: "cats", path: "train.lock", holder: LockHolder(pid: 7, host: "render-02", started: started))
        XCTAssertEqual(remote.description, "cats is being trained by process 7 on render-02 (since 2026-11-25 16:10); wait for it or stop it")
        let unknown = TrainingLockError(theme: "cats", path: "M/cats/train.lock", holder: nil)
        XCTAssertEqual(unknown.description, "cats is being trained by another process (M/cats/train.lock is locked); wait for it or stop it")
        let parsed = LockHolder(fileText: LockHolder(pid: 4242, host: "h", started: started).fileText)
        XCTAssertEqual(parsed, LockHolder(pid: 4242, host: "h", started: started))
        XCTAssertNil(LockHolder(fileText: "garbage"))
    }

    /// A dead trainer's lock file still names it, but the kernel dropped its flock: take it over.
    func testLockFileLeftByADeadProcessIsTakenOver() throws {
        let folder = try temporaryFolder(self).path
        let dead = LockHolder(pid: try deadProcessID(), host: "old-host", started: Date(timeIntervalSince1970: 1_700_000_000))
        try dead.fileText.write(toFile: folder + "/train.lock", atomically: false, encoding: .utf8)
        let lock = try TrainingLock(themeFolder: folder, theme: "cats")
        XCTAssertEqual(lock.tookOverFrom, dead)
        XCTAssertEqual(LockHolder(fileText: try String(contentsOfFile: lock.path, encoding: .utf8))?.pid, getpid())

        lock.release()
        try "half-written".write(toFile: lock.path, atomically: false, encoding: .utf8)
        let second = try TrainingLock(themeFolder: folder, theme: "cats")
        XCTAssertNil(second.tookOverFrom)
    }

    func testLockExcludesOtherProcesses() throws {
        let folder = try temporaryFolder(self).path
        let path = folder + "/train.lock"
        let lock = try TrainingLock(themeFolder: folder, theme: "cats")
        XCTAssertEqual(try runProcess("/usr/bin/flock", ["-n", path, "true"]).status, 1)
        lock.release()
        XCTAssertEqual(try runProcess("/usr/bin/flock", ["-n", path, "true"]).status, 0)
    }

    func testLockHeldByAnotherProcessIsRefusedUntilItExits() throws {
        let folder = try temporaryFolder(self).path
        let path = folder + "/train.lock"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        child.arguments = ["-n", path, "sh", "-c", "echo locked; cat > /dev/null"]
        let input = Pipe(), output = Pipe()
        child.standardInput = input
        child.standardOutput = output
        try child.run()
        XCTAssertEqual(output.fileHandleForReading.availableData, Data("locked\n".utf8))

        XCTAssertThrowsError(try TrainingLock(themeFolder: folder, theme: "cats")) { error in
            XCTAssertEqual("\(error)", "cats is being trained by another process (\(path) is locked); wait for it or stop it")
        }
        try input.fileHandleForWriting.close()
        child.waitUntilExit()
        XCTAssertEqual(child.terminationStatus, 0)
        XCTAssertNoThrow(try TrainingLock(themeFolder: folder, theme: "cats"))
    }
}
