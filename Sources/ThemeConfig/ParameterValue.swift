import Foundation

/// A resolved setting: what a theme's YAML scalar or list means once checked against its kind.
/// Encodes as a plain JSON value, so checkpoints can record it readably.
public enum ParameterValue: Sendable, Hashable, Codable {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    case list([ParameterValue])

    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// Integers read as numbers too: `lr: 1` is a valid float setting.
    public var doubleValue: Double? {
        switch self {
        case .float(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var listValue: [ParameterValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .float(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            self = .list(try container.decode([ParameterValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .float(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        }
    }
}

extension ParameterValue: CustomStringConvertible {
    /// As it would be written in YAML: `0.0002`, `true`, `[color, cutout]`.
    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .float(let value): return formatNumber(value)
        case .bool(let value): return value ? "true" : "false"
        case .string(let value): return value
        case .list(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// Plain decimals a person would write: `1` not `1.0`, `0.00001` not `1e-05`.
func formatNumber(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
    let shortest = String(value)
    guard shortest.contains("e"), abs(value) < 1 else { return shortest }
    var fixed = String(format: "%.15f", value)
    while fixed.hasSuffix("0") { fixed.removeLast() }
    return fixed
}
