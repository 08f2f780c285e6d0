import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds (or last held) a training lock, as written into the lock file.
public struct LockHolder: Equatable, Sendable {
    public var pid: Int32
    public var host: String
    public var started: Date

    public init(pid: Int32, host: String, started: Date) {
        self.pid = pid
        self.host = host
        self.started = started
    }

    /// `pid=4242`, `host=box`, `started=2026-11-25T16:10:00Z`, one per line.
    var fileText: String {
        "pid=\(pid)\nhost=\(host)\nstarted=\(ISO8601DateFormatter().string(from: started))\n"
    }

    /// Nil for an empty or garbled file (e.g. read between another holder's lock and its write).
    init?(fileText: String) {
        var fields: [Substring: Substring] = [:]
        for line in fileText.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[line[..<equals]] = line[line.index(after: equals)...]
        }
        guard let pid = fields["pid"].flatMap({ Int32($0) }),
              let started = fields["started"].flatMap({ ISO8601DateFormatter().date(from: String($0)) })
        else { return nil }
        self.init(pid: pid, host: String(fields["host"] ?? ""), started: started)
    }
}

/// Another process (or another lock object in this one) is training the theme.
public struct TrainingLockError: Error, CustomStringConvertible {
    public var theme: String
    public var path: String
    /// Nil when the holder has not written its details (e.g. the lock was taken with `flock(1)`).
    public var holder: LockHolder?

    public var description: String {
        guard let holder else { return "\(theme) is being trained by another process (\(path) is locked); wait for it or stop it" }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let host = holder.host.isEmpty || holder.host == TrainingLock.hostName ? "" : " on \(holder.host)"
        return "\(theme) is being trained by process \(holder.pid)\(host) (since \(formatter.string(from: holder.started))); wait for it or stop it"
    }
}

/// Keeps two trainers off one theme folder. The lock is a `flock` on an open file held for this
/// object's life; the kernel drops it when the process dies, so a crashed trainer never leaves
/// a lock that needs clearing by hand. The file itself is left in place (unlinking would let two
/// processes lock different inodes of the same name).
public final class TrainingLock {
    public let theme: String
    public let path: String
    public let holder: LockHolder
    /// Details left in the file by a holder that died without releasing, for the caller to log.
    public let tookOverFrom: LockHolder?
    private var fd: Int32

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(cString: buffer)
    }

    /// Locks `<themeFolder>/train.lock`, creating the folder's lock file if needed.
    public convenience init(themeFolder: String, theme: String) throws {
        let folder = themeFolder.hasSuffix("/") ? themeFolder : themeFolder + "/"
        try self.init(path: folder + "train.lock", theme: theme)
    }

    /// Takes the lock at `path` without waiting, or throws `TrainingLockError` naming the holder.
    public init(path: String, theme: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", errno: errno) }
        var result: Int32
        repeat { result = flock(fd, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            let text = Self.contents(fd)
            close(fd)
            if code == EWOULDBLOCK {
                throw TrainingLockError(theme: theme, path: path, holder: text.flatMap(LockHolder.init(fileText:)))
            }
            throw FileError(path: path, operation: "flock", errno: code)
        }
        let holder = LockHolder(pid: getpid(), host: Self.hostName, started: Date())
        let previous = Self.contents(fd).flatMap(LockHolder.init(fileText:))
        do {
            guard ftruncate(fd, 0) == 0 else { throw FileError(path: path, operation: "truncate", errno: errno) }
            guard lseek(fd, 0, SEEK_SET) == 0 else { throw FileError(path: path, operation: "seek", errno: errno) }
            try POSIXFile.writeAll(fd, Array(holder.fileText.utf8), path: path)
        } catch {
            close(fd)
            throw error
        }
        self.theme = theme
        self.path = path
        self.holder = holder
        self.tookOverFrom = previous
        self.fd = fd
    }

    /// Empties the file (so the next holder does not report a take-over) and drops the lock.
    /// Calling it twice is harmless.
    public func release() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    private static func contents(_ fd: Int32) -> String? {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = pread(fd, &bytes, bytes.count, 0)
        return n > 0 ? String(decoding: bytes[..<n], as: UTF8.self) : nil
    }
}
