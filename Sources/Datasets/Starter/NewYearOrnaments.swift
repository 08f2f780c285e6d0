import Engine

enum NewYearOrnaments {
    static func draw(on canvas: inout Canvas, _ rng: inout RandomGenerator) {}
}
