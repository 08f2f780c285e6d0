import Dispatch
import Foundation
import Synchronization

/// Persistent threads that run the parts of one loop beside the calling thread.
///
/// Why not `DispatchQueue.concurrentPerform`: its second part starts 70–130 µs after the call here
/// (p90 up to 1 ms), and a training step runs a few hundred parallel loops. These workers spin on the
/// job word for `spin` after each job (yielding the core to any other runnable thread), so the next loop
/// of a step starts within a microsecond or two; after that they sleep on a semaphore and cost nothing.
///
/// Parts are claimed from one atomic word, so the caller takes a part a late worker has not started:
/// a descheduled worker makes a loop slower, never stuck. One loop runs at a time; a loop started
/// while another runs (from inside a part, or from another thread) runs its parts serially.
@usableFromInline
final class WorkerPool: @unchecked Sendable {
    /// The job word: generation (upper 32 bits), part count (16 bits), next unclaimed part (16 bits).
    private let ticket = Atomic<UInt64>(0)
    /// Parts of the current job not yet finished.
    private let pending = Atomic<Int>(0)
    /// Held by the thread whose loop the workers are running.
    private let busy = Atomic<Bool>(false)
    private let sleepers: [Sleeper]
    /// The current job's body; written only while no part of the previous job is claimed.
    private var body: ((Int) -> Void)?
    private let spin: UInt64

    /// `helpers` threads besides the caller; each spins `spinMicroseconds` after a job before sleeping.
    /// The threads keep the pool alive for the rest of the process.
    init(helpers: Int, spinMicroseconds: Int = 1_000) {
        sleepers = (0..<helpers).map { _ in Sleeper() }
        spin = UInt64(spinMicroseconds) * 1_000
        for worker in 0..<helpers {
            let thread = Thread { self.serve(self.sleepers[worker]) }
            thread.name = "neurossia.worker.\(worker + 1)"
            thread.start()
        }
    }

    /// Runs `body(part)` for every part in 0..<parts (parts ≤ 65535), on the caller and the workers,
    /// and returns when all have finished.
    @usableFromInline
    func run(parts: Int, _ body: (Int) -> Void) {
        precondition(parts < 1 << 16, "WorkerPool.run: \(parts) parts do not fit the job word's 16 bits")
        guard parts > 1, !sleepers.isEmpty,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for part in 0..<parts { body(part) }
            return
        }
        withoutActuallyEscaping(body) { body in
            self.body = body
            pending.store(parts, ordering: .relaxed)
            let generation = ((ticket.load(ordering: .relaxed) >> 32) &+ 1) & 0xFFFF_FFFF
            ticket.store(generation << 32 | UInt64(parts) << 16, ordering: .sequentiallyConsistent)
            for sleeper in sleepers where sleeper.asleep.exchange(false, ordering: .sequentiallyConsistent) {
                sleeper.wakeUp.signal()
            }
            runParts(of: generation)
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 { politeSpin(&spins) }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Claims and runs parts of job `generation` until none is left.
    private func runParts(of generation: UInt64) {
        var word = ticket.load(ordering: .acquiring)
        while word >> 32 == generation, word & 0xFFFF < (word >> 16) & 0xFFFF {
            let (claimed, current) = ticket.compareExchange(
                expected: word, desired: word + 1, ordering: .acquiringAndReleasing)
            if claimed {
                body!(Int(word & 0xFFFF))
                pending.subtract(1, ordering: .releasing)
                word += 1
            } else {
                word = current
            }
        }
    }

    /// One turn of a wait loop: after the first few turns, yields the core, so that a waiter never
    /// keeps out the thread it waits for when the machine has more runnable threads than cores.
    @inline(__always) private func politeSpin(_ spins: inout Int) {
        spins += 1
        if spins > 64 { sched_yield() }
    }

    private func serve(_ sleeper: Sleeper) {
        var seen: UInt64 = 0
        while true {
            let generation = awaitJob(after: seen, sleeper)
            runParts(of: generation)
            seen = generation
        }
    }

    /// Spins for a new generation, then sleeps until `run` signals one.
    private func awaitJob(after seen: UInt64, _ sleeper: Sleeper) -> UInt64 {
        let deadline = DispatchTime.now().uptimeNanoseconds + spin
        var spins = 0
        while true {
            let generation = ticket.load(ordering: .acquiring) >> 32
            if generation != seen { return generation }
            politeSpin(&spins)
            if spins & 255 == 0, DispatchTime.now().uptimeNanoseconds > deadline { break }
        }
        while true {
            sleeper.asleep.store(true, ordering: .sequentiallyConsistent)
            let generation = ticket.load(ordering: .sequentiallyConsistent) >> 32
            if generation != seen {
                // A job arrived while we were lying down: take the wake-up back, or consume the signal
                // `run` has already claimed the right to send.
                if !sleeper.asleep.compareExchange(expected: true, desired: false, ordering: .sequentiallyConsistent).exchanged {
                    sleeper.wakeUp.wait()
                }
                return generation
            }
            sleeper.wakeUp.wait()
            let woken = ticket.load(ordering: .acquiring) >> 32
            if woken != seen { return woken }
        }
    }
}

/// A worker's bed: `asleep` is true while it sleeps (or is about to) and must be signalled awake.
private final class Sleeper: Sendable {
    let asleep = Atomic<Bool>(false)
    let wakeUp = DispatchSemaphore(value: 0)
}
