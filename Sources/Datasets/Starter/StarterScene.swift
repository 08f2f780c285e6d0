import Engine
import Imaging

/// The four themes' built-in datasets, drawn procedurally because no photos ship with the program.
///
/// Image `index` depends only on (seed, index), so any subset renders in any order or in parallel.
public enum StarterScene: String, CaseIterable, Sendable {
    case panelBlocks = "panel-blocks"
    case cats
    case windowFrames = "window-frames"
    case newYearOrnaments = "new-year-ornaments"

    /// A `size`×`size` picture, [3, size, size] in [0, 1].
    public func render(index: Int, seed: UInt64, size: Int) -> Image {
        precondition(index >= 0, "Starter image index must be non-negative, got \(index)")
        var rng = RandomGenerator(seed: seed).derived(UInt64(index))
        var canvas = Canvas(size: size, background: .black)
        switch self {
        case .panelBlocks: PanelBlocks.draw(on: &canvas, &rng)
        case .cats: Cats.draw(on: &canvas, &rng)
        case .windowFrames: WindowFrames.draw(on: &canvas, &rng)
        case .newYearOrnaments: NewYearOrnaments.draw(on: &canvas, &rng)
        }
        return canvas.image()
    }
}
