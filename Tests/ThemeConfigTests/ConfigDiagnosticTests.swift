import XCTest
@testable import ThemeConfig

/// One fixture per kind of mistake, each checked for its exact position and wording.
final class ConfigDiagnosticTests: XCTestCase {
    private func assertErrors(_ file: String, _ expected: [String], line: UInt = #line) {
        XCTAssertEqual(renderedErrors("errors", file), expected, line: line)
    }

    func testBrokenSyntax() {
        assertErrors("syntax.yaml", [
            "Themes/syntax.yaml:3:13: error: invalid YAML: did not find expected ',' or '}' while parsing a flow mapping at line 2",
        ])
    }

    func testUnknownKeySuggestsNearest() {
        assertErrors("unknown-key.yaml", [
            "Themes/unknown-key.yaml:5:3: error: training.bacth: unknown key; did you mean \"batch\"? "
                + "(expected one of: batch, lr, betas, ema, budget, checkpoint_every, sample_every, eval_every, eval_pictures, share, precision, seed, init_from)",
        ])
    }

    func testWrongType() {
        assertErrors("wrong-type.yaml", [
            "Themes/wrong-type.yaml:5:10: error: training.batch: must be an integer from 1 to 1024, found \"big\"",
        ])
    }

    func testOutOfRange() {
        assertErrors("out-of-range.yaml", [
            "Themes/out-of-range.yaml:5:7: error: training.lr: must be a number from 0.00001 to 1, found 5",
        ])
    }

    func testSectionThatIsNotAMapping() {
        assertErrors("section-type.yaml", [
            "Themes/section-type.yaml:4:11: error: training: must be a mapping of keys, found \"fast\"",
        ])
    }

    func testFileThatIsNotAMapping() {
        assertErrors("not-a-mapping.yaml", [
            "Themes/not-a-mapping.yaml:1:1: error: a theme file must be a mapping of keys, found a list",
        ])
    }

    func testDuplicateKey() {
        assertErrors("duplicate-key.yaml", [
            "Themes/duplicate-key.yaml:5:3: error: key \"batch\" appears twice in one mapping",
        ])
    }

    func testBadThemeName() {
        assertErrors("bad-name.yaml", [
            "Themes/bad-name.yaml:1:7: error: name: must be a name of lowercase letters, digits and dashes, found \"Cats!\"",
        ])
    }

    func testMissingRequiredKeys() {
        assertErrors("missing-required.yaml", [
            "Themes/missing-required.yaml:1:1: error: name: required key is missing "
                + "(expected a name of lowercase letters, digits and dashes)",
            "Themes/missing-required.yaml:2:15: error: architecture.name: required key is missing "
                + "(expected one of: dcgan, fastgan-lite)",
        ])
    }

    func testMissingDatasetFolder() {
        assertErrors("missing-folder.yaml", [
            "Themes/missing-folder.yaml:4:9: error: dataset.path: folder does not exist, found \"../photos-of-cats\" "
                + "(expected a folder path relative to the theme file)",
        ])
    }

    func testSourceThatNeedsAPath() {
        assertErrors("missing-path.yaml", [
            "Themes/missing-path.yaml:3:3: error: dataset.path: required by dataset source \"folder\" "
                + "(expected a folder path relative to the theme file)",
        ])
    }

    func testUnknownDatasetSource() {
        assertErrors("unknown-source.yaml", [
            "Themes/unknown-source.yaml:2:20: error: dataset.source: unknown dataset source, found \"startr\"; "
                + "did you mean \"starter\"? (expected one of: folder, starter)",
        ])
    }

    func testUnknownArchitectureSkipsItsParameters() {
        assertErrors("unknown-architecture.yaml", [
            "Themes/unknown-architecture.yaml:3:23: error: architecture.name: unknown architecture, found \"dcgn\"; "
                + "did you mean \"dcgan\"? (expected one of: dcgan, fastgan-lite)",
        ])
    }

    func testResolutionTheArchitectureCannotMake() {
        assertErrors("resolution.yaml", [
            "Themes/resolution.yaml:2:41: error: dataset.resolution: dcgan cannot make 96×96 images, found 96 "
                + "(expected one of: 32, 64, 128)",
        ])
    }

    func testUnknownArchitectureParameter() {
        assertErrors("parameter-unknown.yaml", [
            "Themes/parameter-unknown.yaml:5:3: error: architecture.latnet: unknown key; did you mean \"latent\"? "
                + "(expected one of: name, latent, width)",
        ])
    }

    func testArchitectureParameterOfWrongType() {
        assertErrors("parameter-type.yaml", [
            "Themes/parameter-type.yaml:5:10: error: architecture.width: must be an integer from 8 to 256, found \"wide\"",
        ])
    }

    func testArchitectureParameterOutOfRange() {
        assertErrors("parameter-range.yaml", [
            "Themes/parameter-range.yaml:5:11: error: architecture.latent: must be an integer from 16 to 512, found 4096",
        ])
    }

    func testDatasetSourceParameterSuggestsNearestChoice() {
        assertErrors("source-parameter.yaml", [
            "Themes/source-parameter.yaml:2:36: error: dataset.scene: must be one of: panel-blocks, cats, window-frames, "
                + "new-year-ornaments, found \"catz\"; did you mean \"cats\"?",
        ])
    }

    func testListItemIsReportedAtItsOwnPosition() {
        assertErrors("augment.yaml", [
            "Themes/augment.yaml:4:20: error: dataset.augment[1]: must be one of: color, translation, cutout, "
                + "found \"colour\"; did you mean \"color\"?",
        ])
    }

    func testListLength() {
        assertErrors("betas.yaml", [
            "Themes/betas.yaml:4:20: error: training.betas: must be a list of exactly 2 items, each a number from 0 to 0.9999, "
                + "found a list of 3 items",
        ])
    }

    func testEveryErrorOfAFileIsReportedAtOnce() {
        assertErrors("many.yaml", [
            "Themes/many.yaml:7:15: error: dataset.resolution: dcgan cannot make 48×48 images, found 48 (expected one of: 32, 64, 128)",
            "Themes/many.yaml:8:9: error: dataset.flip: must be true or false, found \"sometimes\"",
            "Themes/many.yaml:11:11: error: architecture.latent: must be an integer from 16 to 512, found 8",
            "Themes/many.yaml:13:10: error: training.batch: must be an integer from 1 to 1024, found \"big\"",
            "Themes/many.yaml:15:3: error: training.emma: unknown key; did you mean \"ema\"? "
                + "(expected one of: batch, lr, betas, ema, budget, checkpoint_every, sample_every, eval_every, eval_pictures, share, precision, seed, init_from)",
            "Themes/many.yaml:16:19: error: training.budget.kimg: must be a number from 0.001 to 1000000, found 0",
            "Themes/many.yaml:17:12: error: palette.colours: unknown key; did you mean \"colors\"? (expected one of: colors)",
            "Themes/many.yaml:18:25: error: generate.truncation: must be a number from 0 to 1, found 1.5",
        ])
    }

    func testDiagnosticFields() throws {
        let diagnostic = try XCTUnwrap(loader.check(files: [fixture("errors", "wrong-type.yaml")]).diagnostics.first)
        XCTAssertEqual(diagnostic.file.lastPathComponent, "wrong-type.yaml")
        XCTAssertEqual([diagnostic.line, diagnostic.column], [5, 10])
        XCTAssertEqual(diagnostic.keyPath, "training.batch")
        XCTAssertEqual(diagnostic.message, "must be an integer from 1 to 1024")
        XCTAssertEqual(diagnostic.found, "\"big\"")
        XCTAssertNil(diagnostic.suggestion)
    }

    func testLoadingTheFolderReportsEveryBrokenFileAndNoTheme() {
        let result = loader.load(folder: fixtureThemes("errors"))
        XCTAssertEqual(result.themes.map(\.name), [])
        XCTAssertEqual(Set(result.diagnostics.map(\.file.lastPathComponent)).count, 21)
        XCTAssertEqual(result.diagnostics.count, 29)
    }
}
