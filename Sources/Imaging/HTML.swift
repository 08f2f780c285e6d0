import Foundation

/// What every page that shows pictures (the training report, a seasonal set's gallery) needs to stay
/// one safe, self-contained file: text escaped once, pictures inline.
public enum HTML {
    /// A whole page: doctype, UTF-8, a viewport for phones, `title` (plain text, escaped here), the
    /// inline `stylesheet` and `body` (markup).
    public static func page(title: String, stylesheet: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(stylesheet)</style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// Text made safe for element content and quoted attributes.
    public static func escape(_ text: String) -> String {
        text.reduce(into: "") { out, character in
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
    }

    /// PNG bytes as a `data:` URI for `<img src>`, so the page needs no file beside it.
    public static func dataURI(png bytes: [UInt8]) -> String {
        "data:image/png;base64," + Data(bytes).base64EncodedString()
    }
}
