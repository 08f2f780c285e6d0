import Foundation

/// What every page that shows pictures (the training report, a seasonal set's gallery) needs to stay
/// one safe, self-contained file: text escaped once, pictures inline.
public enum HTML {
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
