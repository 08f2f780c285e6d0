import Checkpoint
import Foundation
import TestSupport
import XCTest

/// `neurossia train` under `mpirun -np 2` on this machine (loopback), against the binary built beside
/// the tests. Skipped, with the reason, where Open MPI is not installed (`make test-mpi` installs it).
final class MPITrainingTests: XCTestCase {
    /// Largest difference allowed between K ranks sharing B and 1 process × B after 5 steps, relative to the
    /// tensor's largest magnitude: the ranks sum in another order, nothing else differs. Seen: 7e-6.
    static let tolerance: Float = 1e-4

    /// Also 3 ranks, whose slices of 16 (5, 5, 6) are uneven: each rank's loss counts by its share.
    func testTwoRanksWithHalfBatchesTrainAsOneProcessWithTheWholeBatch() throws {
        let (neurossia, mpirun) = try programs()
        let root = try temporaryFolder(self)
        let alone = try repository(in: root, "alone", themes: ["tiny": 0.08])
        let single = try runProcess(neurossia, ["train", "tiny", "--threads", "1"], in: alone)
        XCTAssertEqual(single.status, 0, single.output)
        let one = try SafeTensorsFile(contentsOf: alone.appendingPathComponent("Models/tiny/state.safetensors").path)
        for ranks in [2, 3] {
            let shared = try repository(in: root, "ranks\(ranks)", themes: ["tiny": 0.08])
            let split = try runProcess(mpirun, mpirunOptions(ranks) + [neurossia, "train", "tiny", "--threads", "1"], in: shared)
            XCTAssertEqual(split.status, 0, split.output)
            XCTAssertTrue(split.output.contains("over \(ranks) ranks"), split.output)

            let many = try SafeTensorsFile(contentsOf: shared.appendingPathComponent("Models/tiny/state.safetensors").path)
            XCTAssertEqual(one.metadata["counters"].map(counters), many.metadata["counters"].map(counters))
            let weights = one.tensors.keys.filter { $0.hasPrefix("G.") || $0.hasPrefix("D.") || $0.hasPrefix("EMA.") }.sorted()
            XCTAssertGreaterThan(weights.count, 20)
            var worst: (name: String, difference: Float) = ("", 0)
            for name in weights {
                let (a, b) = (try one.floats(name), try many.floats(name))
                let scale = max(a.map(abs).max() ?? 0, 1e-6)
                let difference = zip(a, b).map { abs($0 - $1) }.max()! / scale
                if difference > worst.difference { worst = (name, difference) }
            }
            print("\(ranks) ranks sharing 16 vs 1 × 16 after 5 steps: largest relative difference \(worst.difference) in \(worst.name)")
            XCTAssertLessThan(worst.difference, Self.tolerance, "\(ranks) ranks: \(worst.name)")
        }
    }

    func testThemesAreSpreadOverRanksEachOnceAndTheReportListsThemAll() throws {
        let (neurossia, mpirun) = try programs()
        let themes = ["one": 0.048, "two": 0.08, "three": 0.032]
        let folder = try repository(in: try temporaryFolder(self), "themes", themes: themes)
        let run = try runProcess(mpirun, mpirunOptions(2) + [neurossia, "train", "--all", "--hours", "1", "--threads", "1"], in: folder)
        XCTAssertEqual(run.status, 0, run.output)
        let handedOut = run.output.split(separator: "\n").filter { $0.contains(" → rank ") }
        XCTAssertEqual(handedOut.map { String($0.split(separator: " ")[0]) }.sorted(), themes.keys.sorted(), run.output)
        // Largest remaining budget first.
        XCTAssertTrue(handedOut.first?.hasPrefix("two → rank ") == true, run.output)
        XCTAssertEqual(Set(handedOut.compactMap { $0.split(separator: " ").last }), ["0", "1"], "both ranks trained")
        let report = try String(contentsOf: folder.appendingPathComponent("report/index.html"), encoding: .utf8)
        for theme in themes.keys {
            XCTAssertTrue(report.contains("\(theme)-samples.png"), "\(theme) missing from the report")
            let log = try String(contentsOf: folder.appendingPathComponent("Models/\(theme)/log.jsonl"), encoding: .utf8)
            XCTAssertEqual(log.components(separatedBy: "\"event\":\"started;").count - 1, 1, "\(theme) started once: \(log)")
            XCTAssertTrue(log.contains("budgetReached"), "\(theme) reached its budget: \(log)")
        }
    }

    func testARankWhoseThemeFileDiffersRefusesToStartNamingTheFile() throws {
        let (neurossia, mpirun) = try programs()
        let root = try temporaryFolder(self)
        let first = try repository(in: root, "first", themes: ["tiny": 0.08]), second = try repository(in: root, "second", themes: ["tiny": 0.16])
        // One rank in each folder (mpirun's "A : B" form), as two machines with their own copies would be.
        let options = ["--allow-run-as-root", "--oversubscribe"]
        let run = try runProcess(mpirun, options + ["-np", "1", "--wdir", first.path, neurossia, "train", "tiny", ":",
                                                    "-np", "1", "--wdir", second.path, neurossia, "train", "tiny"])
        XCTAssertNotEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("rank 1: Themes/tiny.yaml differs from rank 0's"), run.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: first.appendingPathComponent("Models/tiny/state.safetensors").path))
    }

    // MARK: Helpers

    /// The built neurossia and mpirun, or a skip saying what is missing.
    func programs() throws -> (neurossia: String, mpirun: String) {
        let neurossia = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("neurossia").path
        guard FileManager.default.isExecutableFile(atPath: neurossia) else { throw XCTSkip("neurossia is not built beside the tests") }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let mpirun = path.split(separator: ":").map({ "\($0)/mpirun" }).first(where: FileManager.default.isExecutableFile(atPath:)),
              dlopen("libmpi.so.40", RTLD_NOW) != nil || dlopen("libmpi.so", RTLD_NOW) != nil
        else { throw XCTSkip("Open MPI is not installed (make test-mpi installs it and runs these tests)") }
        return (neurossia, mpirun)
    }

    func mpirunOptions(_ ranks: Int) -> [String] {
        ["--allow-run-as-root", "--oversubscribe", "-np", String(ranks)]
    }

    /// A repository under `root` with one tiny theme (32 px starter cats, DCGAN of width 8, batch 16)
    /// per entry, each with the given budget in kimg.
    func repository(in root: URL, _ name: String, themes: [String: Double]) throws -> URL {
        let folder = root.appendingPathComponent(name, isDirectory: true)
        let themeFolder = folder.appendingPathComponent("Themes", isDirectory: true)
        try FileManager.default.createDirectory(at: themeFolder, withIntermediateDirectories: true)
        for (theme, kimg) in themes {
            try """
                name: \(theme)
                dataset: { source: starter, scene: cats, count: 48, resolution: 32 }
                architecture: { name: dcgan, width: 8, latent: 16 }
                training: { batch: 16, seed: 3, precision: fp32, budget: { kimg: \(kimg) }, eval_pictures: 0 }
                """.write(to: themeFolder.appendingPathComponent("\(theme).yaml"), atomically: true, encoding: .utf8)
        }
        return folder
    }

    func counters(_ json: String) -> [String: Int] {
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        return object.compactMapValues { $0 as? Int }
    }
}

extension MPITrainingTests {
    /// kill -9 of rank 1 mid-run: mpirun ends the job within seconds naming rank 1; the next launch
    /// resumes every theme that had started from its last checkpoint.
    func testKillingARankStopsTheJobAndARelaunchResumesEveryTheme() throws {
        let (neurossia, mpirun) = try programs()
        let themes = ["one": 50.0, "two": 50.0]
        let folder = try repository(in: try temporaryFolder(self), "killed", themes: themes)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun)
        process.arguments = mpirunOptions(2) + [neurossia, "train", "--all", "--threads", "1"]
        process.currentDirectoryURL = folder
        let output = folder.appendingPathComponent("mpirun.txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        (process.standardOutput, process.standardError) = (handle, handle)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // Both themes started (their first checkpoint is written before the first step) and stepped a while.
        let states = themes.keys.map { folder.appendingPathComponent("Models/\($0)/state.safetensors").path }
        let started = Date()
        while !states.allSatisfy(FileManager.default.fileExists(atPath:)) && Date().timeIntervalSince(started) < 120 {
            Thread.sleep(forTimeInterval: 0.5)
        }
        Thread.sleep(forTimeInterval: 3)
        let rank1 = try XCTUnwrap(rankProcess(1, below: process.processIdentifier), "no rank 1 among mpirun's children")
        XCTAssertEqual(kill(rank1, SIGKILL), 0)
        let killed = Date()
        while process.isRunning && Date().timeIntervalSince(killed) < 20 { Thread.sleep(forTimeInterval: 0.1) }
        let stoppedAfter = Date().timeIntervalSince(killed)
        XCTAssertFalse(process.isRunning, "the job still runs 20 s after a rank died")
        XCTAssertLessThan(stoppedAfter, 10)
        let said = try String(contentsOf: output, encoding: .utf8)
        XCTAssertTrue(said.contains("process rank 1"), said)
        print("the job stopped \(String(format: "%.1f", stoppedAfter)) s after rank 1 was killed")

        let relaunch = try runProcess(mpirun, mpirunOptions(2) + [neurossia, "train", "--all", "--minutes", "0.2", "--threads", "1"], in: folder)
        XCTAssertEqual(relaunch.status, 0, relaunch.output)
        for theme in themes.keys {
            XCTAssertTrue(relaunch.output.contains("\(theme): resumed at"), "\(theme) did not resume: \(relaunch.output)")
        }
    }

    /// The process among `parent`'s descendants that mpirun started as `rank`.
    func rankProcess(_ rank: Int, below parent: Int32) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in entries.compactMap({ Int32($0) }) {
            guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let parentID = stat.split(separator: ")").last?.split(separator: " ").dropFirst(1).first.flatMap({ Int32($0) }),
                  parentID == parent
            else { continue }
            let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if variables.contains("OMPI_COMM_WORLD_RANK=\(rank)") { return pid }
        }
        return nil
    }
}
