import Foundation
import Yams

/// Where a YAML node was written. Kept per node because `extends` merges nodes from several files.
struct SourceLocation: Sendable, Hashable {
    var file: URL
    var line: Int
    var column: Int
}

/// A YAML document as a tree whose every node remembers its file, line and column.
struct SourceNode: Sendable {
    enum Scalar: Sendable, Hashable {
        case int(Int)
        case float(Double)
        case bool(Bool)
        case null
        case string(String)
    }

    struct Entry: Sendable {
        var key: String
        var keyLocation: SourceLocation
        var value: SourceNode
    }

    enum Content: Sendable {
        /// `text` is the scalar as written, for "found …" in errors.
        case scalar(Scalar, text: String)
        case mapping([Entry])
        case sequence([SourceNode])
    }

    var content: Content
    var location: SourceLocation

    var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    subscript(key: String) -> SourceNode? {
        entries?.first { $0.key == key }?.value
    }

    /// The node as a user would recognise it in an error: `"big"`, `96`, `a mapping`.
    var found: String {
        switch content {
        case .scalar(.string(let text), _): return quoted(text)
        case .scalar(_, let text): return text.isEmpty ? "nothing" : text
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}

func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

extension SourceNode {
    /// Parses one theme file; a YAML syntax error becomes the file's single diagnostic,
    /// since nothing after it can be trusted.
    static func parse(yaml: String, file: URL) -> Result<SourceNode?, ConfigDiagnostic> {
        do {
            guard let root = try Yams.compose(yaml: yaml) else { return .success(nil) }
            return .success(try SourceNode(root, file: file))
        } catch let error as YamlError {
            return .failure(syntaxDiagnostic(error, file: file))
        } catch let error as ConfigDiagnostic {
            return .failure(error)
        } catch {
            return .failure(ConfigDiagnostic(file: file, line: 0, column: 0, keyPath: "",
                                            message: "invalid YAML: \(error)"))
        }
    }

    private init(_ node: Node, file: URL) throws {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        self.location = location
        switch node {
        case .scalar(let scalar):
            content = .scalar(Self.resolve(node, scalar), text: scalar.string)
        case .mapping(let mapping):
            content = .mapping(try mapping.map { key, value in
                Entry(key: key.scalar?.string ?? key.string ?? "\(key)",
                             keyLocation: key.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? location,
                             value: try SourceNode(value, file: file))
            })
        case .sequence(let sequence):
            content = .sequence(try sequence.map { try SourceNode($0, file: file) })
        case .alias:
            throw ConfigDiagnostic(file: file, line: location.line, column: location.column, keyPath: "",
                                  message: "YAML aliases are not supported in theme files; use `extends` to share settings")
        }
    }

    /// Quoted scalars are always strings; plain ones take the type YAML's resolver gives them.
    private static func resolve(_ node: Node, _ scalar: Node.Scalar) -> Scalar {
        guard scalar.style == .plain else { return .string(scalar.string) }
        switch Resolver.default.resolveTag(of: node) {
        case .int: return node.int.map(Scalar.int) ?? .string(scalar.string)
        case .float: return node.float.map(Scalar.float) ?? .string(scalar.string)
        case .bool: return node.bool.map(Scalar.bool) ?? .string(scalar.string)
        case .null: return .null
        default: return .string(scalar.string)
        }
    }

    private static func syntaxDiagnostic(_ error: YamlError, file: URL) -> ConfigDiagnostic {
        func located(_ mark: Mark?, _ message: String) -> ConfigDiagnostic {
            ConfigDiagnostic(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, keyPath: "", message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { " \($0.text) at line \($0.mark.line)" } ?? ""
            return located(mark, "invalid YAML: \(problem)" + detail)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return located(context.mark, "key \(duplicates.map(quoted).joined(separator: ", ")) appears twice in one mapping")
        case .reader(let problem, _, _, _):
            return located(nil, "unreadable text: \(problem)")
        default:
            return located(nil, "invalid YAML: \(error)")
        }
    }
}
