/// The type and valid range of one setting; the validator turns it into the "must be …" of an error.
public indirect enum ParameterKind: Sendable, Hashable {
    case int(ClosedRange<Int>)
    case float(ClosedRange<Double>)
    case bool
    case string
    case choice([String])
    /// "#rrggbb": palettes written in YAML.
    case colour
    /// A YAML list whose length lies in `count`, each item of the inner kind.
    case list(ParameterKind, count: ClosedRange<Int>)

    /// The rule as a noun phrase: "an integer from 1 to 1024".
    public var requirement: String {
        switch self {
        case .int(let range): return "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .float(let range):
            return "a number from \(formatNumber(range.lowerBound)) to \(formatNumber(range.upperBound))"
        case .bool: return "true or false"
        case .string: return "a string"
        case .choice(let names): return "one of: " + names.joined(separator: ", ")
        case .colour: return "a colour written #rrggbb"
        case .list(let item, let count):
            let size: String
            if count.lowerBound == count.upperBound {
                size = "exactly \(count.lowerBound) items"
            } else if count.lowerBound == 0 {
                size = "at most \(count.upperBound) items"
            } else {
                size = "\(count.lowerBound) to \(count.upperBound) items"
            }
            return "a list of \(size), each \(item.requirement)"
        }
    }

    /// A short type name for the reference table: `int 1…1024`, `list of choice`.
    public var typeName: String {
        switch self {
        case .int(let range): return "int \(range.lowerBound)…\(range.upperBound)"
        case .float(let range): return "float \(formatNumber(range.lowerBound))…\(formatNumber(range.upperBound))"
        case .bool: return "bool"
        case .string: return "string"
        case .choice(let names): return names.joined(separator: " \\| ")
        case .colour: return "colour"
        case .list(let item, _): return "list of " + item.typeName
        }
    }

    /// Whether a value satisfies this kind; used to check declared defaults, not user input.
    public func accepts(_ value: ParameterValue) -> Bool {
        switch (self, value) {
        case (.int(let range), .int(let number)): return range.contains(number)
        case (.float(let range), _):
            guard let number = value.doubleValue else { return false }
            return range.contains(number)
        case (.bool, .bool), (.string, .string): return true
        case (.choice(let names), .string(let name)): return names.contains(name)
        case (.colour, .string(let text)): return isHexColour(text)
        case (.list(let item, let count), .list(let items)):
            return count.contains(items.count) && items.allSatisfy(item.accepts)
        default: return false
        }
    }
}
