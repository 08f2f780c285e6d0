import XCTest
@testable import ThemeConfig

final class SchemaReferenceTests: XCTestCase {
    func testReferenceRowsComeFromTheSchema() {
        let lines = Schema.themeReferenceMarkdown(catalog: fakeCatalog).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "| key | type | default | meaning |")
        XCTAssertTrue(lines.contains("| `training.batch` | int 1…1024 | `32` | Images per optimiser step. |"))
        XCTAssertTrue(lines.contains("| `checkpoint` | path | `Models/{name}` | Checkpoint folder, relative to the folder holding Themes/. |"))
        XCTAssertTrue(lines.contains("| `dataset.augment` | list of color \\| translation \\| cutout | `[color, translation, cutout]` | "
            + "DiffAugment policy, applied to real and generated images alike; `[]` turns it off. |"))
        XCTAssertTrue(lines.contains("| `training.budget.kimg` | float 0.001…1000000 | `200` if none of its siblings is given | "
            + "Thousands of real images shown to the discriminator. |"))
        XCTAssertTrue(lines.contains("### Architecture `dcgan`"))
        XCTAssertTrue(lines.contains("| `architecture.latent` | int 16…512 | `100` | Length of the noise vector. |"))
        XCTAssertTrue(lines.contains("| `dataset.scene` | panel-blocks \\| cats \\| window-frames \\| new-year-ornaments | `panel-blocks` | "
            + "Which scene the renderer draws. |"))
        let coreTable = lines.prefix { !$0.hasPrefix("###") }.filter { $0.hasPrefix("| `") }
        XCTAssertEqual(coreTable.count, Schema.theme.entries.count)
    }
}
