import CMPI
import Foundation

/// This process's place in an Open MPI job, and the few collectives Neurossia uses. Open MPI is loaded
/// at run time (CMPI), so a machine without it builds and runs as before; `launched()` is nil unless
/// `mpirun` started this process.
public final class MPIJob: @unchecked Sendable {
    public let rank: Int
    public let size: Int
    /// Ranks on this machine (they share its cores).
    public let localSize: Int

    public var isLeader: Bool { rank == 0 }

    /// The job this process belongs to, when mpirun started it (OMPI_COMM_WORLD_SIZE is set); nil otherwise.
    /// Loads libmpi and calls MPI_Init; a job of one rank is still a job (it behaves as a lone process).
    public static func launched(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MPIJob? {
        guard environment["OMPI_COMM_WORLD_SIZE"] != nil else { return nil }
        var error = [CChar](repeating: 0, count: 512)
        guard neurossia_mpi_load(&error, error.count) == 0 else {
            throw MPIError(rank: nil, call: "loading libmpi", text: String(cString: error))
        }
        try check(neurossia_mpi_init(), "MPI_Init_thread", rank: nil)
        var rank: Int32 = 0, size: Int32 = 0
        try check(neurossia_mpi_rank(&rank), "MPI_Comm_rank", rank: nil)
        try check(neurossia_mpi_size(&size), "MPI_Comm_size", rank: Int(rank))
        let local = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap { Int($0) } ?? 1
        return MPIJob(rank: Int(rank), size: Int(size), localSize: local)
    }

    private init(rank: Int, size: Int, localSize: Int) {
        self.rank = rank
        self.size = size
        self.localSize = localSize
    }

    /// Adds `values` over every rank, in place.
    public func sum(_ values: UnsafeMutableBufferPointer<Float>) throws {
        try check(neurossia_mpi_sum_floats(values.baseAddress, values.count), "MPI_Allreduce")
    }

    public func sum(_ values: UnsafeMutableBufferPointer<Double>) throws {
        try check(neurossia_mpi_sum_doubles(values.baseAddress, values.count), "MPI_Allreduce")
    }

    public func sum(_ values: inout [Double]) throws {
        try values.withUnsafeMutableBufferPointer { try sum($0) }
    }

    /// Rank `root`'s bytes at `data` on every rank.
    public func broadcast(_ data: UnsafeMutableRawBufferPointer, from root: Int = 0) throws {
        try check(neurossia_mpi_broadcast(data.baseAddress, data.count, Int32(root)), "MPI_Bcast")
    }

    /// Rank `root`'s `value` on every rank (the argument is ignored elsewhere).
    public func broadcast<T: BitwiseCopyable>(_ value: T, from root: Int = 0) throws -> T {
        var value = value
        try withUnsafeMutableBytes(of: &value) { try broadcast($0, from: root) }
        return value
    }

    /// Rank `root`'s bytes on every rank, whatever their length.
    public func broadcast(_ data: Data, from root: Int = 0) throws -> Data {
        var bytes = [UInt8](data)
        let count = try broadcast(bytes.count, from: root)
        if rank != root { bytes = [UInt8](repeating: 0, count: count) }
        try bytes.withUnsafeMutableBytes { try broadcast($0, from: root) }
        return Data(bytes)
    }

    /// Rank `root`'s `count` floats at `floats` on every rank.
    public func broadcast(floats: UnsafeMutablePointer<Float>, count: Int, from root: Int = 0) throws {
        try broadcast(UnsafeMutableRawBufferPointer(start: floats, count: count * MemoryLayout<Float>.size), from: root)
    }

    public func barrier() throws {
        try check(neurossia_mpi_barrier(), "MPI_Barrier")
    }

    /// A message to rank `to`.
    public func send(_ data: Data, to: Int, tag: Int32) throws {
        try data.withUnsafeBytes { try check(neurossia_mpi_send($0.baseAddress, $0.count, Int32(to), tag), "MPI_Send") }
    }

    /// The next message with `tag` from `from` (nil: any rank), waiting for it; with its sender.
    public func receive(from: Int? = nil, tag: Int32) throws -> (source: Int, data: Data) {
        var source: Int32 = 0, bytes = 0
        try check(neurossia_mpi_probe(Int32(from ?? -1), tag, &source, &bytes), "MPI_Probe")
        return (Int(source), try receive(bytes: bytes, from: source, tag: tag))
    }

    /// A message with `tag` from any rank if one is waiting, without waiting.
    public func poll(tag: Int32) throws -> (source: Int, data: Data)? {
        var waiting: Int32 = 0, source: Int32 = 0, bytes = 0
        try check(neurossia_mpi_poll(tag, &waiting, &source, &bytes), "MPI_Iprobe")
        guard waiting != 0 else { return nil }
        return (Int(source), try receive(bytes: bytes, from: source, tag: tag))
    }

    private func receive(bytes: Int, from source: Int32, tag: Int32) throws -> Data {
        var data = Data(count: bytes)
        try data.withUnsafeMutableBytes { try check(neurossia_mpi_receive($0.baseAddress, bytes, source, tag), "MPI_Recv") }
        return data
    }

    /// Prints `message` naming this rank and ends every rank of the job (mpirun reports the abort).
    public func abort(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write("rank \(rank) of \(size): \(message); stopping the whole job\n".data(using: .utf8)!)
        neurossia_mpi_abort(code)
        exit(code)
    }

    /// Ends MPI on this rank after every rank got here.
    public func finish() {
        _ = neurossia_mpi_finalize()
    }

    private func check(_ status: Int32, _ call: String) throws {
        try Self.check(status, call, rank: rank)
    }

    private static func check(_ status: Int32, _ call: String, rank: Int?) throws {
        guard status != 0 else { return }
        throw MPIError(rank: rank, call: call, text: String(cString: neurossia_mpi_error_text(status)))
    }
}

/// An MPI call failed (a rank died, a connection broke): which rank saw it, in which call.
public struct MPIError: Error, CustomStringConvertible {
    public let rank: Int?
    public let call: String
    public let text: String

    public var description: String {
        (rank.map { "rank \($0): " } ?? "") + "\(call) failed: \(text) (another rank has probably died; see mpirun's message above)"
    }
}
