import XCTest
@testable import ThemeConfig

/// The schema and the typed `Theme` must not drift apart: every key the schema documents changes the
/// theme when its value changes (so something reads it), and every read names a schema key (the
/// resolver traps otherwise, so building any theme checks that).
final class SchemaCoverageTests: XCTestCase {
    func resolvedMinimalTheme() throws -> ResolvedValues {
        let file = fixture("minimal", "minimal.yaml")
        let root = try XCTUnwrap(try SourceNode.parse(yaml: String(contentsOf: file, encoding: .utf8), file: file).get())
        let (values, diagnostics) = SchemaValidator(schema: .theme, catalog: fakeCatalog).validate(root)
        XCTAssertEqual(diagnostics.map(\.description), [])
        return try XCTUnwrap(values)
    }

    func testEverySchemaKeyReachesTheTheme() throws {
        let values = try resolvedMinimalTheme()
        let base = values.theme()
        for keyPath in Schema.theme.leafKeyPaths {
            let entry = try XCTUnwrap(Schema.theme.entry(keyPath))
            var changed = values
            changed.leaves[keyPath] = try XCTUnwrap(alternative(to: values.value(keyPath), of: entry.kind), keyPath)
            XCTAssertNotEqual(changed.theme(), base, "\(keyPath) is in the schema, but changing it leaves the theme as it was")
        }
    }

    func testReadingAKeyOutsideTheSchemaIsCaughtByItsName() throws {
        XCTAssertNil(Schema.theme.entry("palette.colours"), "the misspelling this guards against")
        XCTAssertEqual(Schema.theme.leafKeyPaths.filter { Schema.theme.entry($0) == nil }, [])
    }

    /// A valid value of `kind` other than `current`.
    func alternative(to current: ParameterValue?, of kind: SchemaKind) -> ParameterValue? {
        switch kind {
        case .value(let kind): return alternative(to: current, of: kind)
        case .identifier, .themeReference: return current == .string("other") ? .string("another") : .string("other")
        case .path: return .string("elsewhere")
        case .pluginName(.architecture): return current == .string("dcgan") ? .string("fastgan-lite") : .string("dcgan")
        case .pluginName(.datasetSource): return current == .string("folder") ? .string("starter") : .string("folder")
        case .section, .records: return nil
        }
    }

    func alternative(to current: ParameterValue?, of kind: ParameterKind) -> ParameterValue? {
        switch kind {
        case .int(let range): return .int(current == .int(range.lowerBound) ? range.upperBound : range.lowerBound)
        case .float(let range):
            return .float(current?.doubleValue == range.lowerBound ? range.upperBound : range.lowerBound)
        case .bool: return .bool(!(current?.boolValue ?? false))
        case .string: return .string((current?.stringValue ?? "") + " changed")
        case .colour: return .string(current == .string("#000000") ? "#ffffff" : "#000000")
        case .choice(let names): return names.first { .string($0) != current }.map { .string($0) }
        case .list(let item, let count):
            let items = current?.listValue ?? []
            if items.count > count.lowerBound { return .list(Array(items.dropLast())) }
            guard let first = items.first ?? alternative(to: nil, of: item) else { return nil }
            let swapped = alternative(to: first, of: item) ?? first
            return .list(Array(repeating: swapped, count: max(count.lowerBound, 1)))
        }
    }
}
