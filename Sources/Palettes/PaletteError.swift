/// Why a palette, or a blend of palettes, could not be made; `description` says what to change.
public enum PaletteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than two distinct colours (the same colour twice counts once).
    case tooFewColours(count: Int)
    /// `colours` and `weights` differ in length.
    case countMismatch(colours: Int, weights: Int)
    /// Entry `index` (0-based) of a hex list is not "#rrggbb".
    case malformedHex(index: Int, text: String)
    /// Colour `index` has a channel that is NaN or infinite.
    case nonFiniteColour(index: Int)
    /// Weight `index` is NaN or infinite.
    case nonFiniteWeight(index: Int)
    /// Weight `index` is below zero.
    case negativeWeight(index: Int, value: Float)
    /// Every weight is zero, so no colour has a share.
    case zeroTotalWeight
    /// A blend was asked of no palettes, or with one weight per palette missing.
    case blendCountMismatch(palettes: Int, weights: Int)
    /// Extraction was given no pictures.
    case noImages
    /// Extraction was asked for fewer than two colours.
    case tooFewClusters(requested: Int)

    public var description: String {
        switch self {
        case .tooFewColours(let count):
            return "a palette needs at least two colours, found \(count) distinct"
        case .countMismatch(let colours, let weights):
            return "a palette needs one weight per colour, found \(colours) colours and \(weights) weights"
        case .malformedHex(let index, let text):
            return "colour \(index + 1), \"\(text)\", is not a colour like #1b3a5c"
        case .nonFiniteColour(let index):
            return "colour \(index + 1) has a channel that is not a finite number"
        case .nonFiniteWeight(let index):
            return "weight \(index + 1) is not a finite number"
        case .negativeWeight(let index, let value):
            return "weight \(index + 1) is \(value); weights must be zero or more"
        case .zeroTotalWeight:
            return "the weights sum to 0; give at least one a positive weight"
        case .blendCountMismatch(let palettes, let weights):
            return "a blend needs one weight per palette and at least one palette, found \(palettes) palettes and \(weights) weights"
        case .noImages:
            return "no pictures to take a palette from"
        case .tooFewClusters(let requested):
            return "a palette needs at least two colours, asked for \(requested)"
        }
    }
}
