import Foundation
import Imaging

/// A set of colours with the share of a picture (or theme) each covers: what is extracted from
/// pictures, blended between themes and recoloured toward.
///
/// Kept canonical so equal palettes compare equal however they were written: colours are 8-bit
/// sRGB (as hex writes them, so a saved palette loads back equal), a colour given twice is one
/// colour with both weights, weights sum to 1 and run largest first, ties by channel values.
public struct Palette: Equatable, Sendable {
    public let colours: [RGB]
    /// One per colour, ≥ 0, summing to 1, descending.
    public let weights: [Float]

    public init(colours: [RGB], weights: [Float]) throws(PaletteError) {
        guard colours.count == weights.count else { throw .countMismatch(colours: colours.count, weights: weights.count) }
        if let bad = colours.firstIndex(where: { !($0.r.isFinite && $0.g.isFinite && $0.b.isFinite) }) {
            throw .nonFiniteColour(index: bad)
        }
        let shares = try normalised(weights)
        var merged: [RGB: Float] = [:]
        for (colour, share) in zip(colours.map(Self.quantised), shares) { merged[colour, default: 0] += share }
        guard merged.count >= 2 else { throw .tooFewColours(count: merged.count) }
        let ordered = merged.sorted { x, y in
            x.value != y.value ? x.value > y.value : (x.key.r, x.key.g, x.key.b) < (y.key.r, y.key.g, y.key.b)
        }
        self.colours = ordered.map(\.key)
        self.weights = ordered.map(\.value)
    }

    /// Equal weights from "#rrggbb" strings.
    public init(hex: [String]) throws(PaletteError) {
        var colours: [RGB] = []
        for (index, text) in hex.enumerated() {
            guard let colour = RGB(hex: text.trimmingCharacters(in: .whitespaces)) else { throw .malformedHex(index: index, text: text) }
            colours.append(colour)
        }
        try self.init(colours: colours, weights: [Float](repeating: 1, count: colours.count))
    }

    /// Equal weights from a comma-separated list, "#1b3a5c,#e8d9b0", the way a command line takes one.
    public init(hexList: String) throws(PaletteError) {
        try self.init(hex: hexList.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
    }

    public var count: Int { colours.count }

    /// The colours in CIELAB, where they are matched, clustered and mixed.
    public var labs: [Lab] { colours.map(Lab.init) }

    /// Rounded to the 8 bits per channel that hex keeps, clamped to [0, 1].
    static func quantised(_ colour: RGB) -> RGB {
        func byte(_ v: Float) -> Float { (min(max(v, 0), 1) * 255).rounded() / 255 }
        return RGB(byte(colour.r), byte(colour.g), byte(colour.b))
    }
}

/// `weights` checked (finite, ≥ 0, not all 0) and scaled to sum 1; left untouched when they already
/// sum to 1 within 1e-5, so a palette's own weights pass through bit for bit.
func normalised(_ weights: [Float]) throws(PaletteError) -> [Float] {
    if let bad = weights.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteWeight(index: bad) }
    if let bad = weights.firstIndex(where: { $0 < 0 }) { throw .negativeWeight(index: bad, value: weights[bad]) }
    let total = weights.reduce(0, +)
    guard total > 0 else { throw .zeroTotalWeight }
    return abs(total - 1) <= 1e-5 ? weights : weights.map { $0 / total }
}

extension Palette: Codable {
    private enum CodingKeys: String, CodingKey { case colours, weights }

    /// Decoded through the checks of `init(colours:weights:)`; a failure names the key path.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let colours = try container.decode([RGB].self, forKey: .colours)
        let weights = try container.decode([Float].self, forKey: .weights)
        do {
            try self.init(colours: colours, weights: weights)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .colours, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(colours, forKey: .colours)
        try container.encode(weights, forKey: .weights)
    }
}
