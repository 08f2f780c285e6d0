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
    /// The most bytes a theme or set file may have, and the most YAML nodes it may hold once aliases
    /// are expanded: real files have a few hundred of each; an alias bomb ("billion laughs", nine
    /// anchors each used nine times) would otherwise expand to 9⁹ nodes and exhaust memory.
    static let maxBytes = 1 << 20
    static let maxNodes = 100_000

    /// Reads a theme or set file as text, refusing one too large to be a config file before reading it.
    static func read(_ file: URL, kind: String) -> Result<String, ConfigDiagnostic> {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int
        if let size, size > maxBytes {
            return .failure(ConfigDiagnostic(file: file, line: 0, column: 0, keyPath: "",
                                             message: "\(kind) file is \(size) bytes; at most \(maxBytes) are read"))
        }
        // FoundationEssentials (Swift 6.3) leaks a 4 KB buffer per empty file read: found by `make fuzz`.
        if size == 0 { return .success("") }
        do {
            return .success(try String(contentsOf: file, encoding: .utf8))
        } catch {
            return .failure(ConfigDiagnostic(file: file, line: 0, column: 0, keyPath: "", message: "cannot read \(kind) file as UTF-8 text"))
        }
    }

    /// Parses one file; a YAML syntax error becomes the file's single diagnostic,
    /// since nothing after it can be trusted.
    static func parse(yaml: String, file: URL) -> Result<SourceNode?, ConfigDiagnostic> {
        do {
            guard let root = try Yams.compose(yaml: yaml) else { return .success(nil) }
            var budget = maxNodes
            return .success(try SourceNode(root, file: file, budget: &budget))
        } catch let error as YamlError {
            return .failure(syntaxDiagnostic(error, file: file))
        } catch let error as ConfigDiagnostic {
            return .failure(error)
        } catch {
            return .failure(ConfigDiagnostic(file: file, line: 0, column: 0, keyPath: "",
                                            message: "invalid YAML: \(error)"))
        }
    }

    /// `budget`: nodes still allowed; aliases count every time they are used.
    private init(_ node: Node, file: URL, budget: inout Int) throws {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        budget -= 1
        guard budget >= 0 else {
            throw ConfigDiagnostic(at: location, keyPath: "", message: "the file expands to more than \(Self.maxNodes) YAML nodes "
                                   + "(anchors and aliases used over and over?); share settings with `extends` instead")
        }
        self.location = location
        switch node {
        case .scalar(let scalar):
            content = .scalar(Self.resolve(node, scalar), text: scalar.string)
        case .mapping(let mapping):
            var entries: [Entry] = []
            for (key, value) in mapping {
                entries.append(Entry(key: key.scalar?.string ?? key.string ?? "\(key)",
                                     keyLocation: key.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? location,
                                     value: try SourceNode(value, file: file, budget: &budget)))
            }
            content = .mapping(entries)
        case .sequence(let sequence):
            var items: [SourceNode] = []
            for item in sequence { items.append(try SourceNode(item, file: file, budget: &budget)) }
            content = .sequence(items)
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
