import ArgumentParser
import Dispatch
import Foundation
import Synchronization

extension Bench {
    /// How far apart the two cores the engine runs on are, as the round trip of one cache line between
    /// them. On the cloud machines seen here it reads either 80–95 ns (the cores share a cache) or
    /// 320–350 ns (far apart), changing from minute to minute with where the host puts them; generation
    /// at 32 px then ran at about 8,000 or 6,000 pictures/s with the same binary (docs/speed.md, "Near and
    /// far cores"), so `scripts/bench-vs-torch.sh` prints it beside every round.
    struct Cores: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The round trip of a cache line between this process's first two cores, in nanoseconds.",
            discussion: """
                Two threads, each pinned to one of the first two CPUs this process may run on, hand a counter \
                back and forth; the median of --rounds rounds of --trips round trips is printed, then \
                `CSV-cores,<ns>`. Under about 100 ns means the cores share a cache; 300 or more, that they are \
                far apart (another chiplet or socket) and every value one core writes and the other reads crosses \
                between them.

                Example:
                  neurossia bench cores
                """)

        @Option(help: "Round trips per round.") var trips = 20_000
        @Option(help: "Rounds; the median is printed.") var rounds = 5

        func validate() throws {
            guard trips > 0 && rounds > 0 else { throw ValidationError("--trips and --rounds must be positive") }
        }

        func run() throws {
            let cpus = CoreAffinity.allowedCPUs()
            guard cpus.count >= 2 else { throw CoresError(cpus: cpus.count) }
            let times = (0..<rounds).map { _ in CoreAffinity.roundTripNanoseconds(between: cpus[0], and: cpus[1], trips: trips) }
            let median = times.sorted()[times.count / 2]
            print(String(format: "core-to-core round trip: %.0f ns (cpu %d ↔ cpu %d; rounds %@)", median, cpus[0], cpus[1],
                         times.map { String(format: "%.0f", $0) }.joined(separator: ", ")))
            print(String(format: "CSV-cores,%.1f", median))
        }
    }
}

/// Fewer than two CPUs to time between.
struct CoresError: Error, CustomStringConvertible {
    let cpus: Int
    var description: String {
        "this process may run on \(cpus) CPU; a round trip needs two (see taskset or the container's CPU limit)"
    }
}

/// Pinning threads to CPUs and timing a cache line's trip between two of them.
enum CoreAffinity {
    /// glibc's sched_getaffinity / sched_setaffinity (pid 0: the calling thread), looked up at run time:
    /// the Glibc module leaves out what needs _GNU_SOURCE.
    private typealias AffinityCall = @convention(c) (Int32, Int, UnsafeMutableRawPointer?) -> Int32
    private static func call(_ name: String) -> AffinityCall? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: AffinityCall.self) }
    }

    /// A CPU set as the kernel reads it: one bit per CPU, 1024 CPUs.
    private static let setBytes = 128

    /// The CPUs this process may run on, in order.
    static func allowedCPUs() -> [Int] {
        var set = [UInt8](repeating: 0, count: setBytes)
        guard let get = call("sched_getaffinity"), set.withUnsafeMutableBytes({ get(0, setBytes, $0.baseAddress) }) == 0 else { return [] }
        return (0..<setBytes * 8).filter { set[$0 / 8] & UInt8(1 << ($0 % 8)) != 0 }
    }

    /// Pins the calling thread to `cpu`.
    static func pinCurrentThread(to cpu: Int) {
        var set = [UInt8](repeating: 0, count: setBytes)
        set[cpu / 8] |= UInt8(1 << (cpu % 8))
        if let pin = call("sched_setaffinity") { _ = set.withUnsafeMutableBytes { pin(0, setBytes, $0.baseAddress) } }
    }

    /// Nanoseconds per round trip of a counter between a thread on `first` (which writes odd values)
    /// and one on `second` (which answers each with the next even one), over `trips` trips.
    static func roundTripNanoseconds(between first: Int, and second: Int, trips: Int) -> Double {
        let counter = SharedCounter()
        let done = DispatchSemaphore(value: 0)
        let answering = Thread {
            pinCurrentThread(to: second)
            for trip in 0..<trips {
                waitFor(counter.value, 2 * trip + 1)
                counter.value.store(2 * trip + 2, ordering: .releasing)
            }
            done.signal()
        }
        answering.start()
        let asking = Thread {
            pinCurrentThread(to: first)
            let start = DispatchTime.now().uptimeNanoseconds
            for trip in 0..<trips {
                counter.value.store(2 * trip + 1, ordering: .releasing)
                waitFor(counter.value, 2 * trip + 2)
            }
            counter.elapsed.store(Int(DispatchTime.now().uptimeNanoseconds - start), ordering: .relaxed)
            done.signal()
        }
        asking.start()
        done.wait()
        done.wait()
        return Double(counter.elapsed.load(ordering: .relaxed)) / Double(trips)
    }

    /// Spins until `value` holds `expected`, yielding the core now and then: where both threads share one
    /// core (a CPU quota), the other must get to run.
    @inline(__always) private static func waitFor(_ value: borrowing Atomic<Int>, _ expected: Int) {
        var spins = 0
        while value.load(ordering: .acquiring) != expected {
            spins += 1
            if spins % 4096 == 0 { sched_yield() }
        }
    }

    private final class SharedCounter: Sendable {
        let value = Atomic<Int>(0)
        /// Nanoseconds the asking thread took for all trips.
        let elapsed = Atomic<Int>(0)
    }
}
