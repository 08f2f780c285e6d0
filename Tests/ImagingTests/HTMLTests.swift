import Foundation
import Imaging
import XCTest

final class HTMLTests: XCTestCase {
    func testEscapeCoversMarkupAndBothQuotes() {
        XCTAssertEqual(HTML.escape(#"<script>alert('x') & "y"</script>"#),
                       "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;")
        XCTAssertEqual(HTML.escape("Новый год"), "Новый год")
    }

    func testDataURIIsTheBytesInBase64() {
        XCTAssertEqual(HTML.dataURI(png: [0x89, 0x50, 0x4E, 0x47]), "data:image/png;base64,iVBORw==")
    }
}
