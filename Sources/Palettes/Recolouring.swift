import Imaging

/// Maps pictures onto a target palette while keeping their light, shadow and detail. Built once per
/// target (the per-target work done up front), then applied to any number of pictures.
public protocol Recolouring: Sendable {
    /// The picture moved fully onto the target; the same size, channels in [0, 1].
    func fullyRecoloured(_ image: Image) -> Image
}

extension Recolouring {
    /// The picture moved `strength` of the way (in [0, 1]) onto the target, mixed in sRGB:
    /// strength 0 returns `image` bit for bit, 1 the full recolouring.
    public func recoloured(_ image: Image, strength: Float = 1) -> Image {
        precondition((0...1).contains(strength), "recolouring strength must lie in [0, 1], got \(strength)")
        guard strength > 0 else { return image }
        var result = fullyRecoloured(image)
        guard strength < 1 else { return result }
        result.pixels.withUnsafeMutableBufferPointer { out in
            image.pixels.withUnsafeBufferPointer { source in
                for i in 0..<source.count { out[i] = source[i] + strength * (out[i] - source[i]) }
            }
        }
        return result
    }
}

/// The share of its lightness change a recolouring applies (a and b move fully): palettes from
/// other themes often sit much darker or lighter, and following them fully crushes the picture's
/// light and shadow (L correlation 0.75 instead of 0.9 on panel-blocks toward ornaments).
let lightnessShare: Float = 0.5

/// The two ways to recolour, chosen by name in themes and on the command line.
public enum RecolourMethod: String, Codable, CaseIterable, Sendable {
    /// Palette-based (Chang et al. 2015): the picture's own palette moves onto the target's and every
    /// colour follows its nearby palette colours. A lookup per pixel.
    case palette
    /// Sliced optimal transport (Pitié et al. 2007) of the picture's colours onto the target's
    /// distribution, its displacement smoothed along the picture's edges.
    case transport

    /// A recolourer toward `target` for pictures whose colours `source` describes (the palette
    /// method needs it; transport looks at each picture's own pixels).
    public func recolourer(from source: Palette, to target: Palette, seed: UInt64 = 0) -> any Recolouring {
        switch self {
        case .palette: return PaletteRecolourer(from: source, to: target)
        case .transport: return TransportRecolourer(to: target, seed: seed)
        }
    }

    /// `image` recoloured toward `target` on its own; the palette method first extracts the picture's
    /// palette (as many colours as the target's), which costs more than the recolouring itself.
    /// A picture of a single colour (after quantising to colour bins) is moved by transport instead.
    public func recoloured(_ image: Image, toward target: Palette, strength: Float = 1, seed: UInt64 = 0) throws(PaletteError) -> Image {
        switch self {
        case .palette:
            let source: Palette
            do {
                source = try Palette(extractingFrom: [image], count: target.count, seed: seed)
            } catch .tooFewColours {
                // A (nearly) flat picture has no palette of its own to move: its colours go by transport.
                return TransportRecolourer(to: target, seed: seed).recoloured(image, strength: strength)
            }
            return PaletteRecolourer(from: source, to: target, covering: image).recoloured(image, strength: strength)
        case .transport:
            return TransportRecolourer(to: target, seed: seed).recoloured(image, strength: strength)
        }
    }
}
