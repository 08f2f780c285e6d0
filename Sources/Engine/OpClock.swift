import Dispatch
import Foundation
import Synchronization

/// Where a step's time goes, by kind of op, for `bench train`'s breakdown. Off unless a benchmark
/// turns it on; then each timed op costs two clock reads.
///
/// Two clocks and a counter: thread-seconds inside `gemm`, summed over cores (GEMMs run inside the
/// ops' parallel sections), the multiply-adds those GEMMs did (so any network's achieved rate can be
/// compared with another's, without counting its layers by hand), and wall seconds of each op on the thread that calls ops, forward and backward alike
/// (a node remembers the kind that recorded it). An op inside another timed op counts to the outer one.
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

    public static func reset() {
        gemmNanoseconds.store(0, ordering: .relaxed)
        gemmMultiplyAdds.store(0, ordering: .relaxed)
        wall = [UInt64](repeating: 0, count: Kind.allCases.count)
    }

    /// Seconds of GEMM summed over threads since the last reset.
    public static var gemmSeconds: Double { Double(gemmNanoseconds.load(ordering: .relaxed)) * 1e-9 }

    /// Floating-point operations (2 per multiply-add) of every GEMM since the last reset.
    public static var gemmFLOPs: Double { 2 * Double(gemmMultiplyAdds.load(ordering: .relaxed)) }

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
    }
}
