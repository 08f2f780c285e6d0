import Dispatch
import Foundation
import Synchronization

/// Where a step's time goes, by kind of op, for `bench train`'s breakdown. Off unless a benchmark
/// turns it on; then each timed op costs two clock reads.
///
/// Two clocks and two counters: thread-seconds inside `gemm`, summed over cores (GEMMs run inside the
/// ops' parallel sections), the multiply-adds those GEMMs did and the multiply-adds of the layers they
/// ran as the network defines them (so any network's achieved rate can be compared with another's,
/// without counting its layers by hand), and wall seconds of each op on the thread that calls ops,
/// forward and backward alike (a node remembers the kind that recorded it). An op inside another timed
/// op counts to the outer one.
public enum OpClock {
    public enum Kind: Int, CaseIterable, Sendable {
        /// Convolutions and matrix products: their GEMMs plus im2col/col2im and packing around them.
        case convolution
        case batchNorm, activation, loss, optimizer, augmentation, movingAverage

        /// How a breakdown names the kind's share; convolution's is shown without its GEMMs, which have their own.
        public var label: String {
            switch self {
            case .convolution: "im2col/col2im"
            case .batchNorm: "batch norm"
            case .activation: "activations"
            case .loss: "losses"
            case .optimizer: "Adam"
            case .augmentation: "DiffAugment"
            case .movingAverage: "EMA"
            }
        }
    }

    public nonisolated(unsafe) static var isOn = false {
        didSet { if isOn { owner = pthread_self() } }
    }
    private nonisolated(unsafe) static var owner = pthread_self()
    /// The op being timed on the owning thread, so nested ops are not counted twice.
    nonisolated(unsafe) static var current: Kind?
    private nonisolated(unsafe) static var wall = [UInt64](repeating: 0, count: Kind.allCases.count)
    private static let gemmNanoseconds = Atomic<Int>(0)
    private static let gemmMultiplyAdds = Atomic<Int>(0)
    private static let layerMultiplyAdds = Atomic<Int>(0)
    /// The layer's multiply-adds each one run stands for, inside `counting(definedPerRun:)`; set on the
    /// calling thread before an op splits its work, read by the cores' GEMMs.
    nonisolated(unsafe) private(set) static var definedPerRun: Double = 1

    public static func reset() {
        gemmNanoseconds.store(0, ordering: .relaxed)
        gemmMultiplyAdds.store(0, ordering: .relaxed)
        layerMultiplyAdds.store(0, ordering: .relaxed)
        wall = [UInt64](repeating: 0, count: Kind.allCases.count)
    }

    /// Seconds of GEMM summed over threads since the last reset.
    public static var gemmSeconds: Double { Double(gemmNanoseconds.load(ordering: .relaxed)) * 1e-9 }

    /// Floating-point operations (2 per multiply-add) of every GEMM since the last reset.
    public static var gemmFLOPs: Double { 2 * Double(gemmMultiplyAdds.load(ordering: .relaxed)) }

    /// Floating-point operations of the layers those GEMMs ran, counted from the layers' shapes: more
    /// than `gemmFLOPs` where an op runs a cheaper equivalent of its layer (`counting(definedPerRun:)`).
    public static var layerFLOPs: Double { 2 * Double(layerMultiplyAdds.load(ordering: .relaxed)) }

    /// Runs `body`, an op that computes its layer with fewer multiply-adds than the layer's shapes define,
    /// `ratio` times fewer (a nearest-×2 upsampling and 3×3 conv run as one transposed 4×4 conv: 36 / 16),
    /// so its GEMMs count the layer's multiply-adds to `layerFLOPs`, forward and backward (a node
    /// remembers the ratio it was recorded under): an architecture's achieved rate is then the work its
    /// definition asks for per second, and running a layer in fewer products shows as a higher rate.
    /// Ratios compose: an op inside another that counts so multiplies the two.
    public static func counting<T>(definedPerRun ratio: Double, _ body: () throws -> T) rethrows -> T {
        try within(definedPerRun * ratio, body)
    }

    /// Runs `body` with `ratio` itself in force: a node's backward, under the ratio its forward ran under.
    static func within<T>(_ ratio: Double, _ body: () throws -> T) rethrows -> T {
        let outer = definedPerRun
        definedPerRun = ratio
        defer { definedPerRun = outer }
        return try body()
    }

    /// Counts `multiplyAdds` of a layer's shapes to `layerFLOPs`, times the ratio in force, for an op that
    /// ran its GEMMs inside `counting(definedPerRun: 0)` because no one ratio says what they stand for
    /// (Winograd's products, fewer than a direct convolution's by a factor that depends on the tiles).
    static func countLayer(multiplyAdds: Int) {
        guard isOn else { return }
        addLayer(multiplyAdds)
    }

    /// `multiplyAdds` run, times the ratio in force, to the layers' count.
    @inline(__always) private static func addLayer(_ multiplyAdds: Int) {
        layerMultiplyAdds.add(Int((Double(multiplyAdds) * definedPerRun).rounded()), ordering: .relaxed)
    }

    /// Wall seconds in ops of `kind` since the last reset (GEMMs included for `.convolution`).
    public static func seconds(_ kind: Kind) -> Double { Double(wall[kind.rawValue]) * 1e-9 }

    /// Runs `body`, counting its wall time to `kind` when the clock is on and no op is being timed.
    @inline(__always)
    public static func measure<T>(_ kind: Kind?, _ body: () throws -> T) rethrows -> T {
        guard isOn, let kind, current == nil, pthread_equal(pthread_self(), owner) != 0 else { return try body() }
        current = kind
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            wall[kind.rawValue] += DispatchTime.now().uptimeNanoseconds - started
            current = nil
        }
        return try body()
    }

    @inline(__always) static func startGEMM() -> UInt64 { isOn ? DispatchTime.now().uptimeNanoseconds : 0 }

    @inline(__always) static func stopGEMM(_ started: UInt64, multiplyAdds: Int) {
        guard started != 0 else { return }
        gemmNanoseconds.add(Int(DispatchTime.now().uptimeNanoseconds - started), ordering: .relaxed)
        gemmMultiplyAdds.add(multiplyAdds, ordering: .relaxed)
        addLayer(multiplyAdds)
    }
}
