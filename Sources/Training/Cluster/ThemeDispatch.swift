import Cluster
import Foundation
import ThemeConfig

/// Themes spread over the ranks of an MPI job (`mpirun -np K neurossia train --all`): rank 0 holds the
/// queue, largest remaining budget first, and hands out one theme per request, so a rank whose themes
/// finish early takes the next rather than idling. Every theme goes out at most once. Rank 0 serves
/// requests from a thread that polls every `pollInterval` (a blocking receive would spin a core) and
/// trains its own share between them; no other MPI call is made while it serves.
public final class ThemeDispatch: @unchecked Sendable {
    /// What became of a theme a rank trained, for rank 0's report.
    public struct Result: Codable, Sendable, Equatable {
        public var theme: String
        public var rank: Int
        public var finished: Bool
        public var failure: String?
        public var secondsThisRun: Double
    }

    struct Request: Codable {
        var done: Result?
        var wantsMore: Bool
    }

    static let requestTag: Int32 = 16_001
    static let replyTag: Int32 = 16_002
    static let pollInterval: useconds_t = 20_000

    let job: MPIJob
    private let lock = NSLock()
    private var queue: [String]
    private var results: [String: Result] = [:]
    /// Ranks other than 0 that were told there is nothing more.
    private var ranksDone = 0
    private var server: Thread?
    private let served = DispatchSemaphore(value: 0)
    /// Called on rank 0 for each theme handed out ("cats → rank 1").
    private let announce: @Sendable (String) -> Void

    /// `order` counts on rank 0 only; rank 0 starts serving at once.
    public init(job: MPIJob, order: [String], announce: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.job = job
        queue = job.isLeader ? order : []
        self.announce = announce
        guard job.isLeader else { return }
        if job.size == 1 {
            served.signal()
            return
        }
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "neurossia.dispatch"
        server = thread
        thread.start()
    }

    /// The themes in the order they are handed out: the most kimg left to train first (a theme whose
    /// budget is only in minutes counts as unbounded), ties by name.
    public static func largestRemainingFirst(_ themes: [(theme: Theme, imagesSeen: Int)]) -> [String] {
        func remaining(_ entry: (theme: Theme, imagesSeen: Int)) -> Double {
            entry.theme.training.budget.kimg.map { $0 - Double(entry.imagesSeen) / 1000 } ?? .infinity
        }
        return themes.sorted { a, b in
            remaining(a) != remaining(b) ? remaining(a) > remaining(b) : a.theme.name < b.theme.name
        }.map(\.theme.name)
    }

    /// Reports `done` (the theme this rank last trained, if any) and, when `wantsMore`, asks for the
    /// next theme: nil when none is left (or none was wanted).
    public func next(after done: Result?, wantsMore: Bool) throws -> String? {
        guard !job.isLeader else { return hand(Request(done: done, wantsMore: wantsMore), to: 0) }
        try job.send(try JSONEncoder().encode(Request(done: done, wantsMore: wantsMore)), to: 0, tag: Self.requestTag)
        let reply = try job.receive(from: 0, tag: Self.replyTag).data
        return reply.isEmpty ? nil : String(decoding: reply, as: UTF8.self)
    }

    /// On rank 0, after its own last theme: waits until every other rank has been told there is nothing
    /// more, then returns what every rank reported, by theme.
    public func finish() -> [String: Result] {
        served.wait()
        lock.lock()
        defer { lock.unlock() }
        return results
    }

    private func hand(_ request: Request, to rank: Int) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if let done = request.done { results[done.theme] = done }
        guard request.wantsMore, !queue.isEmpty else { return nil }
        let theme = queue.removeFirst()
        announce("\(theme) → rank \(rank)")
        return theme
    }

    private func serve() {
        do {
            while ranksDone < job.size - 1 {
                guard let (source, data) = try job.poll(tag: Self.requestTag) else {
                    usleep(Self.pollInterval)
                    continue
                }
                let request = try JSONDecoder().decode(Request.self, from: data)
                let theme = hand(request, to: source)
                if theme == nil { ranksDone += 1 }
                try job.send(Data((theme ?? "").utf8), to: source, tag: Self.replyTag)
            }
        } catch {
            job.abort("handing out themes: \(error)")
        }
        served.signal()
    }
}
