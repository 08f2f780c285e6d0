import Dispatch
import Foundation

/// Turns SIGINT/SIGTERM into a request the training loop checks between steps, so a step is never cut
/// in half and the run ends with a checkpoint. A second signal calls `onSecondSignal`: the program
/// exits at once there (the last checkpoint stands); the library never exits by itself.
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var requested: Int32?
    private var sources: [DispatchSourceSignal] = []
    private let onSecondSignal: @Sendable () -> Void

    public init(onSecondSignal: @escaping @Sendable () -> Void = {}) {
        self.onSecondSignal = onSecondSignal
    }

    /// Starts catching SIGINT and SIGTERM.
    public func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.receive(sig) }
            source.resume()
            sources.append(source)
        }
    }

    private func receive(_ sig: Int32) {
        lock.lock()
        let second = requested != nil
        requested = sig
        lock.unlock()
        if second {
            FileHandle.standardError.write("\nsecond signal: stopping now; the last checkpoint stands\n".data(using: .utf8)!)
            onSecondSignal()
            return
        }
        FileHandle.standardError.write("\nstopping after this step (press Ctrl-C again to stop at once)\n".data(using: .utf8)!)
    }

    /// The signal received, if any.
    public var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Asks the loop to stop, as a signal would (for tests and schedulers).
    public func request() {
        lock.lock()
        requested = requested ?? SIGTERM
        lock.unlock()
    }
}
