import Foundation
import TestSupport
import XCTest

/// Whole command lines against the `neurossia` built beside the tests, in a scratch repository with one
/// tiny trained theme: what a user types, what they read, and the exit status.
final class CommandLineTests: XCTestCase {
    static var repository: URL?

    /// A repository with Themes/tiny.yaml (32 px starter cats, DCGAN of width 8) trained for 0.2 kimg.
    override class func setUp() {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("neurossia-cli-\(UUID().uuidString.prefix(8))")
        let themes = root.appendingPathComponent("Themes", isDirectory: true)
        try? FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        try? """
            name: tiny
            dataset: { source: starter, scene: cats, count: 48, resolution: 32 }
            architecture: { name: dcgan, width: 8, latent: 16 }
            palette: { colors: 4 }
            training: { batch: 16, budget: { kimg: 0.2 }, eval_pictures: 0 }
            """.write(to: themes.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        repository = root
        guard let executable = executable, (try? runProcess(executable.path, ["train", "tiny"], in: root).status) == 0 else {
            repository = nil
            return
        }
    }

    override class func tearDown() {
        if let repository { try? FileManager.default.removeItem(at: repository) }
    }

    static var executable: URL? {
        let file = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("neurossia")
        return FileManager.default.isExecutableFile(atPath: file.path) ? file : nil
    }

    /// Runs `neurossia arguments…` in the scratch repository.
    func neurossia(_ arguments: String...) throws -> (status: Int32, output: String) {
        guard let executable = Self.executable else { throw XCTSkip("neurossia is not built beside the tests") }
        guard let repository = Self.repository else { throw XCTSkip("the scratch theme did not train") }
        return try runProcess(executable.path, arguments, in: repository)
    }

    var repository: URL { Self.repository! }

    func testAnUnboundedWalkIsRefusedBeforeAnythingRuns() throws {
        let (status, output) = try neurossia("generate", "tiny", "--count", "2", "--interpolate", "100000000")
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(output.contains("--interpolate must be at most 240 frames between seeds, got 100000000"), output)
        let many = try neurossia("generate", "tiny", "--count", "10000", "--interpolate", "240")
        XCTAssertTrue(many.output.contains("at most 10000 are written"), many.output)
    }

    func testAWalkIsWrittenFrameByFrameAndAsAGrid() throws {
        let (status, output) = try neurossia("generate", "tiny", "--count", "3", "--interpolate", "3", "--out", "walk")
        XCTAssertEqual(status, 0, output)
        let files = try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("walk").path).sorted()
        XCTAssertEqual(files, (0..<7).map { String(format: "tiny-s1-walk-%05d.png", $0) } + ["tiny-s1-walk.png"])
    }

    func testCoresAreTimedBetweenTwoCPUsAndOneIsRefusedPlainly() throws {
        guard let executable = Self.executable else { throw XCTSkip("neurossia is not built beside the tests") }
        if ProcessInfo.processInfo.activeProcessorCount >= 2 {
            let (status, output) = try runProcess(executable.path, ["bench", "cores", "--trips", "200", "--rounds", "1"])
            XCTAssertEqual(status, 0, output)
            let nanoseconds = output.split(separator: "\n").first { $0.hasPrefix("CSV-cores,") }.flatMap { Double($0.dropFirst(10)) }
            XCTAssertNotNil(nanoseconds, output)
            XCTAssertGreaterThan(nanoseconds ?? 0, 0, output)
        }
        let taskset = "/usr/bin/taskset"
        guard FileManager.default.isExecutableFile(atPath: taskset) else { throw XCTSkip("no \(taskset) to run on one CPU") }
        let (status, output) = try runProcess(taskset, ["-c", "0", executable.path, "bench", "cores"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(output.contains("this process may run on 1 CPU; a round trip needs two"), output)
    }

    func testOutputFoldersThatCannotBeMadeSayWhereAndWhy() throws {
        try Data("x".utf8).write(to: repository.appendingPathComponent("a-file"))
        let under = try neurossia("generate", "tiny", "--count", "1", "--out", "a-file/pictures")
        XCTAssertNotEqual(under.status, 0)
        XCTAssertTrue(under.output.contains("Error: cannot create the output folder \(repository.standardizedFileURL.path)/a-file/pictures: "
                                            + "\(repository.standardizedFileURL.path)/a-file: a file is in the way, not a folder"), under.output)
        let onto = try neurossia("generate", "tiny", "--count", "1", "--out", "a-file")
        XCTAssertTrue(onto.output.contains("a-file: a file of that name is in the way"), onto.output)
        XCTAssertFalse(onto.output.contains("NSCocoaErrorDomain"), onto.output)
    }

    func testADamagedGeneratorIsNamedByThemesList() throws {
        let generator = repository.appendingPathComponent("Models/tiny/generator.safetensors")
        let intact = try Data(contentsOf: generator)
        defer { try? intact.write(to: generator) }
        try intact.prefix(4000).write(to: generator)
        let (status, output) = try neurossia("themes", "list")
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(output.contains("damaged generator"), output)
        XCTAssertTrue(output.contains("error: \(generator.path):"), output)
    }

    func testADatasetPathThatIsNotAFolderSaysSo() throws {
        let file = repository.appendingPathComponent("Themes/zero.yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "name: zero\ndataset: { path: /dev/zero }\narchitecture: { name: dcgan }\n".write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try neurossia("themes", "check", "Themes/zero.yaml")
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(output.contains("Themes/zero.yaml:2:18: error: dataset.path: exists but is not a folder, found \"/dev/zero\""), output)
    }

    func testPaletteOfAThemeAndBlendsOfIt() throws {
        let (status, output) = try neurossia("palette", "tiny")
        XCTAssertEqual(status, 0, output)
        let lines = output.split(separator: "\n").filter { $0.hasPrefix("  #") }
        XCTAssertEqual(lines.count, 4, output)
        let weights = lines.map { Double($0.split(separator: " ").last!.dropLast())! }
        XCTAssertEqual(weights.reduce(0, +), 100, accuracy: 0.3)
        XCTAssertEqual(weights, weights.sorted(by: >))
        XCTAssertTrue(FileManager.default.fileExists(atPath: repository.appendingPathComponent("out/palettes/tiny.png").path))
        let blend = try neurossia("palette", "blend", "tiny:1", "tiny:0")
        XCTAssertEqual(blend.output.split(separator: "\n").filter { $0.hasPrefix("  #") }, lines, "weights 1:0 give the first palette")
    }

    func testBadPaletteSpecsFailWithPlainMessages() throws {
        let unknown = try neurossia("generate", "tiny", "--count", "1", "--palette", "tinny")
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.output.contains("no theme or seasonal palette named \"tinny\"; did you mean \"tiny\"?"), unknown.output)
        let hex = try neurossia("generate", "tiny", "--count", "1", "--palette", "#12345,#ffffff")
        XCTAssertTrue(hex.output.contains("colour 1, \"#12345\", is not a colour like #1b3a5c"), hex.output)
        let one = try neurossia("generate", "tiny", "--count", "1", "--palette", "#123456")
        XCTAssertTrue(one.output.contains("a palette needs at least two colours, found 1 distinct"), one.output)
        let negative = try neurossia("palette", "blend", "tiny:-1", "tiny:1")
        XCTAssertTrue(negative.output.contains("the weight of tiny is -1.0; weights must be zero or more"), negative.output)
        let zero = try neurossia("palette", "blend", "tiny:0", "tiny:0")
        XCTAssertTrue(zero.output.contains("the blend's weights sum to 0"), zero.output)
    }

    func testRecolouringWritesOnePictureEach() throws {
        XCTAssertEqual(try neurossia("generate", "tiny", "--count", "2", "--out", "plain").status, 0)
        let (status, output) = try neurossia("recolour", "plain/tiny-s1-0000.png", "plain/tiny-s1-0001.png",
                                             "--palette", "#1b3a5c,#e8d9b0,#8c2f2a", "--out", "recoloured")
        XCTAssertEqual(status, 0, output)
        for i in 0..<2 {
            XCTAssertTrue(FileManager.default.fileExists(atPath: repository.appendingPathComponent("recoloured/tiny-s1-000\(i)-recoloured.png").path))
        }
        let same = try neurossia("generate", "tiny", "--count", "2", "--out", "strength0", "--palette", "#1b3a5c,#e8d9b0", "--palette-strength", "0")
        XCTAssertEqual(same.status, 0, same.output)
        XCTAssertEqual(try Data(contentsOf: repository.appendingPathComponent("strength0/tiny-s1-0001.png")),
                       try Data(contentsOf: repository.appendingPathComponent("plain/tiny-s1-0001.png")), "strength 0 changes nothing")
    }
}

extension CommandLineTests {
    /// Entries named like pictures that are not picture files each get a skipped line, and nothing blocks.
    func testSpecialFilesInADatasetFolderAreSkippedByName() throws {
        let photos = repository.appendingPathComponent("hostile-photos", isDirectory: true)
        try FileManager.default.createDirectory(at: photos.appendingPathComponent("dir.jpg"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: photos.appendingPathComponent("zero.jpg").path, withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: photos.appendingPathComponent("random.png").path, withDestinationPath: "/dev/urandom")
        XCTAssertEqual(mkfifo(photos.appendingPathComponent("fifo.jpg").path, 0o644), 0)
        XCTAssertEqual(try neurossia("generate", "tiny", "--count", "1", "--out", "hostile-photos").status, 0)
        let (status, output) = try neurossia("dataset", "inspect", "--source", "folder", "--path", "hostile-photos", "--resolution", "32")
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("pictures: 2 at 32×32"), output)  // the picture and its grid
        for line in ["dir.jpg: a folder, not a picture file; skipped", "fifo.jpg: a FIFO, not a picture file; skipped",
                     "random.png: a device, not a picture file; skipped", "zero.jpg: a device, not a picture file; skipped"] {
            XCTAssertTrue(output.contains(line), "\(line) in \(output)")
        }
        try Data("x".utf8).write(to: repository.appendingPathComponent("a-file-too"))
        let preview = try neurossia("dataset", "inspect", "tiny", "--preview", "a-file-too/preview.png")
        XCTAssertNotEqual(preview.status, 0)
        XCTAssertTrue(preview.output.contains("a-file-too: a file of that name is in the way")
                      || preview.output.contains("a-file-too: a file is in the way, not a folder"), preview.output)
    }
}
