import Foundation
import ThemeConfig

/// A palette as a person names one on the command line: a theme (`cats`), a blend of themes
/// (`cats:0.5,window-frames:0.5`), a seasonal set's palette (`frost`), or colours (`#1b3a5c,#e8d9b0`).
public enum PaletteSpec: Equatable, Sendable {
    /// A theme's own palette, or a seasonal set's named palette (themes win a clash).
    case name(String)
    case blend([PaletteChoice.BlendPart])
    case colours([String])

    /// Parses one argument; a blend may also arrive as several arguments (`cats:0.6 window-frames:0.4`),
    /// which `init(parsing: [String])` joins.
    public init(parsing text: String) throws(PaletteSpecError) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("#") {
            self = .colours(text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) })
        } else if text.contains(":") {
            var parts: [PaletteChoice.BlendPart] = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let fields = part.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard fields.count == 2, !fields[0].isEmpty, let weight = Double(fields[1]), weight.isFinite else {
                    throw .malformedBlendPart(String(part))
                }
                guard weight >= 0 else { throw .negativeWeight(theme: fields[0], weight: weight) }
                parts.append(.init(theme: fields[0], weight: weight))
            }
            guard parts.contains(where: { $0.weight > 0 }) else { throw .zeroWeights }
            self = .blend(parts)
        } else if !text.isEmpty {
            self = .name(text)
        } else {
            throw .empty
        }
    }

    public init(parsing arguments: [String]) throws(PaletteSpecError) {
        try self.init(parsing: arguments.joined(separator: ","))
    }
}

/// A palette spec that cannot be read or resolved, said so a person can fix it.
public enum PaletteSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case malformedBlendPart(String)
    case negativeWeight(theme: String, weight: Double)
    case zeroWeights
    /// Neither a theme nor a seasonal palette of that name.
    case unknownName(String, known: [String], suggestion: String?)

    public var description: String {
        switch self {
        case .empty:
            return "no palette given: name a theme (cats), a blend (cats:0.5,window-frames:0.5), a seasonal palette, or colours (#1b3a5c,#e8d9b0)"
        case .malformedBlendPart(let part):
            return "\"\(part)\" is not a blend part like cats:0.5 (a theme, a colon, a weight)"
        case .negativeWeight(let theme, let weight):
            return "the weight of \(theme) is \(weight); weights must be zero or more"
        case .zeroWeights:
            return "the blend's weights sum to 0; give at least one theme a positive weight"
        case .unknownName(let name, let known, let suggestion):
            return "no theme or seasonal palette named \"\(name)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
                + " (known: " + (known.isEmpty ? "none" : known.joined(separator: ", ")) + ")"
        }
    }
}
