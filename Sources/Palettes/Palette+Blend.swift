import Imaging

extension Palette {
    /// The palette between `palettes`, mixed in proportion to `weights` (normalised; ≥ 0, not all 0).
    ///
    /// The blend keeps the first palette's colours as slots: every palette's colours are matched
    /// onto them (`matches(to:)`), a colour standing for several slots splits its weight evenly
    /// among them and several colours gathered in one slot become their weighted Lab mean. Each
    /// slot is then the weighted mean in Lab of its colours, with the weighted mean of their shares.
    /// A slot whose contributing colours are all the same colour keeps it untouched, so weights
    /// 1:0 give the first palette bit for bit, and 0:1 give the second exactly when it has as many
    /// colours as the first or fewer (weights to float rounding), else its colours merged down to
    /// the first's count.
    public static func blend(_ palettes: [Palette], weights: [Float]) throws(PaletteError) -> Palette {
        guard !palettes.isEmpty && palettes.count == weights.count else {
            throw .blendCountMismatch(palettes: palettes.count, weights: weights.count)
        }
        let shares = try normalised(weights)
        let slots = palettes[0]
        var contributions = [[(colour: RGB, lab: Lab, weight: Float, share: Float)]](repeating: [], count: slots.count)
        for (palette, share) in zip(palettes, shares) where share > 0 {
            for (slot, gathered) in palette.gathered(onto: slots).enumerated() {
                contributions[slot].append((gathered.colour, gathered.lab, gathered.weight, share))
            }
        }
        var colours: [RGB] = [], blended: [Float] = []
        for parts in contributions {
            let same = parts.allSatisfy { $0.colour == parts[0].colour }
            colours.append(same ? parts[0].colour : Lab.mix(parts.map(\.lab), shares: parts.map(\.share)).rgb)
            blended.append(parts.reduce(0) { $0 + $1.share * $1.weight })
        }
        return try Palette(colours: colours, weights: blended)
    }
}
