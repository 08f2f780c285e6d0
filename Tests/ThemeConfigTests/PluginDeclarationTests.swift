import XCTest
@testable import ThemeConfig

final class PluginDeclarationTests: XCTestCase {
    let plugin = PluginDeclaration(
        name: "toy", needsPath: false,
        parameters: [
            ParameterSpec(key: "count", kind: .int(1...10), defaultValue: .int(3), doc: "How many."),
            ParameterSpec(key: "rate", kind: .float(0...1), defaultValue: .float(0.5), doc: "How fast."),
            ParameterSpec(key: "scene", kind: .choice(["cats", "dogs"]), defaultValue: .string("cats"), doc: "What."),
            ParameterSpec(key: "label", kind: .string, defaultValue: .string("toy"), doc: "Called."),
            ParameterSpec(key: "mirror", kind: .bool, defaultValue: .bool(false), doc: "Flipped."),
        ],
        summary: "A stand-in.")

    func testEachReaderTakesTheGivenValueOrTheDeclaredDefault() throws {
        XCTAssertEqual(try plugin.int("count", in: [:]), 3)
        XCTAssertEqual(try plugin.int("count", in: ["count": .int(7)]), 7)
        XCTAssertEqual(try plugin.float("rate", in: [:]), 0.5)
        XCTAssertEqual(try plugin.float("rate", in: ["rate": .int(1)]), 1, "an integer reads as a number")
        XCTAssertEqual(try plugin.string("scene", in: ["scene": .string("dogs")]), "dogs")
        XCTAssertEqual(try plugin.string("label", in: [:]), "toy")
        XCTAssertEqual(try plugin.bool("mirror", in: ["mirror": .bool(true)]), true)
    }

    func testValuesOutsideTheDeclaredKindThrowWhatWasExpected() {
        let cases: [(String, ParameterValue, String)] = [
            ("count", .int(11), "an integer from 1 to 10"),
            ("count", .float(2.5), "an integer from 1 to 10"),
            ("rate", .float(1.5), "a number from 0 to 1"),
            ("scene", .string("owls"), "one of: cats, dogs"),
            ("mirror", .string("yes"), "true or false"),
        ]
        for (key, value, expected) in cases {
            let error = PluginParameterError(plugin: "toy", key: key, value: value, expected: expected)
            let values = [key: value]
            XCTAssertThrowsError(try {
                switch key {
                case "count": _ = try plugin.int(key, in: values)
                case "rate": _ = try plugin.float(key, in: values)
                case "scene": _ = try plugin.string(key, in: values)
                default: _ = try plugin.bool(key, in: values)
                }
            }()) { XCTAssertEqual($0 as? PluginParameterError, error) }
        }
        XCTAssertEqual("\(PluginParameterError(plugin: "toy", key: "count", value: .int(11), expected: "an integer from 1 to 10"))",
                       "toy: count is 11, expected an integer from 1 to 10")
    }

    func testTheRoleCarriesWhatOnlyOneKindDeclares() {
        let architecture = PluginDeclaration(name: "gan", resolutions: [32, 64], parameters: [], summary: "")
        XCTAssertEqual(architecture.role, .architecture(resolutions: [32, 64]))
        XCTAssertEqual(architecture.resolutions, [32, 64])
        XCTAssertFalse(architecture.needsPath)
        XCTAssertEqual(plugin.role, .datasetSource(needsPath: false))
        XCTAssertEqual(plugin.resolutions, [])
        XCTAssertTrue(PluginDeclaration(name: "folder", needsPath: true, parameters: [], summary: "").needsPath)
        let catalog = ThemeCatalog(architectures: [architecture], datasetSources: [plugin])
        XCTAssertEqual(catalog.architecture(named: "gan"), architecture)
        XCTAssertEqual(catalog.datasetSource(named: "toy"), plugin)
        XCTAssertNil(catalog.datasetSource(named: "gan"))
    }
}
