import Engine

enum WindowFrames {
    static func draw(on canvas: inout Canvas, _ rng: inout RandomGenerator) {}
}
