import Architectures
import Datasets
import Foundation
import ThemeConfig
import XCTest

/// The README's YAML reference is what `neurossia themes reference` prints, so it cannot drift.
final class ReadmeReferenceTests: XCTestCase {
    static let marker = "Printed by `neurossia themes reference` from the schema itself.\n\n"

    func testReadmeReferenceEqualsTheSchemas() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: Self.marker), "README.md lost its reference marker").upperBound
        let rest = readme[start...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        let catalog = ThemeCatalog(architectures: ArchitectureRegistry.declarations, datasetSources: DatasetRegistry.declarations)
        XCTAssertEqual(String(rest[..<end]).trimmingCharacters(in: .newlines),
                       Schema.referenceMarkdown(catalog: catalog).trimmingCharacters(in: .newlines),
                       "README.md's YAML reference differs from `neurossia themes reference`: paste its output in")
    }
}
