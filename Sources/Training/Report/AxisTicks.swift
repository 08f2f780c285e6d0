import Foundation

/// Round-numbered tick positions for a plot axis: steps of 1, 2 or 5 times a power of ten.
struct AxisTicks: Equatable {
    /// Distance between neighbouring ticks, in data units.
    let step: Double
    /// Tick positions within the range, ascending.
    let values: [Double]

    /// About `count` ticks inside [`lower`, `upper`] (`lower` < `upper`).
    init(lower: Double, upper: Double, count: Int) {
        precondition(lower < upper && count > 0, "AxisTicks needs lower < upper and count > 0")
        let raw = (upper - lower) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
        let first = Int((lower / step).rounded(.up)), last = Int((upper / step).rounded(.down))
        self.step = step
        values = first <= last ? (first...last).map { Double($0) * step } : []
    }

    /// `value` with as many decimals as the step needs: "0.25", "1.5", "200".
    func label(_ value: Double) -> String {
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        let text = String(format: "%.\(decimals)f", value)
        return Double(text) == 0 ? String(format: "%.\(decimals)f", 0.0) : text
    }
}
