import Foundation

/// One problem in a theme or seasonal-set file, located precisely enough for an editor to jump to it.
/// Rendered once, at the CLI edge, as
/// `Themes/cats.yaml:7:11: error: training.batch: must be an integer from 1 to 1024, found "big"`.
public struct ConfigDiagnostic: Error, Sendable, Hashable {
    public var file: URL
    /// 1-based; 0 when the problem is with the file or folder as a whole.
    public var line: Int
    public var column: Int
    /// Dotted path of the offending key, `dataset.augment[1]`; empty for file-level problems.
    public var keyPath: String
    /// What is wrong, phrased as the rule: "must be an integer from 1 to 1024", "unknown key".
    public var message: String
    /// The offending value as written, strings quoted.
    public var found: String?
    /// What would be valid, when the message does not already say it: "one of: dcgan, fastgan-lite".
    public var expected: String?
    /// The nearest valid name, for misspellings.
    public var suggestion: String?

    public init(file: URL, line: Int, column: Int, keyPath: String, message: String,
                found: String? = nil, expected: String? = nil, suggestion: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.found = found
        self.expected = expected
        self.suggestion = suggestion
    }

    init(at location: SourceLocation, keyPath: String, message: String,
         found: String? = nil, expected: String? = nil, suggestion: String? = nil) {
        self.init(file: location.file, line: location.line, column: location.column, keyPath: keyPath, message: message,
                  found: found, expected: expected, suggestion: suggestion)
    }

    /// The one-line form; `base` shortens the file path when the file lies inside it.
    public func rendered(relativeTo base: URL? = nil) -> String {
        var text = displayPath(of: file, relativeTo: base)
        if line > 0 { text += ":\(line):\(column)" }
        text += ": error: "
        if !keyPath.isEmpty { text += keyPath + ": " }
        text += message
        if let found { text += ", found " + found }
        if let suggestion { text += "; did you mean \"\(suggestion)\"?" }
        if let expected { text += " (expected \(expected))" }
        return text
    }
}

extension ConfigDiagnostic: CustomStringConvertible {
    public var description: String { rendered() }
}

extension ConfigDiagnostic: Comparable {
    /// File, then position: the order an editor lists them.
    public static func < (lhs: ConfigDiagnostic, rhs: ConfigDiagnostic) -> Bool {
        (lhs.file.path, lhs.line, lhs.column, lhs.keyPath, lhs.message)
            < (rhs.file.path, rhs.line, rhs.column, rhs.keyPath, rhs.message)
    }
}

/// `file`'s path below `base` when it lies inside, else its full path.
func displayPath(of file: URL, relativeTo base: URL?) -> String {
    let path = file.standardizedFileURL.path
    guard let base else { return path }
    let prefix = base.standardizedFileURL.path
    let folder = prefix.hasSuffix("/") ? prefix : prefix + "/"
    return path.hasPrefix(folder) ? String(path.dropFirst(folder.count)) : path
}
