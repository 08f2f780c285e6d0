#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file replacement that never leaves a reader a half-written file: a crash at any point
/// leaves either the old file or the new one under the target name (and, when asked, the one
/// before it under `<name>.prev.<ext>`).
public enum AtomicFile {
    /// `Models/x/state.safetensors` → `Models/x/state.prev.safetensors`; with no extension, `name.prev`.
    public static func previousPath(for path: String) -> String {
        let (directory, name) = split(path)
        let dot = name.lastIndex(of: ".").flatMap { $0 == name.startIndex ? nil : $0 }
        let previousName = dot.map { String(name[..<$0]) + ".prev" + String(name[$0...]) } ?? name + ".prev"
        return directory + previousName
    }

    /// Temp files are `.<name>.tmp-<pid>` (or `-<pid>-<n>` if taken), hidden and named after
    /// the writer so that a later write can tell a crashed writer's leftovers from a live one's.
    static func temporaryPrefix(for path: String) -> String {
        let (directory, name) = split(path)
        return directory + "." + name + ".tmp-"
    }

    /// Writes `bytes` to a temp file beside `path`, fsyncs it, optionally hard-links the current
    /// file to `previousPath(for:)`, renames the temp file over `path`, then fsyncs the folder.
    /// Afterwards it deletes temp files for `path` left by processes that no longer exist.
    public static func write(_ bytes: [UInt8], to path: String, keepPrevious: Bool = false) throws {
        let (fd, temporary) = try createTemporary(for: path)
        do {
            defer { close(fd) }
            try POSIXFile.writeAll(fd, bytes, path: temporary)
            guard fsync(fd) == 0 else { throw FileError(path: temporary, operation: "fsync", errno: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        do {
            if keepPrevious && POSIXFile.exists(path) { try preserve(path, as: previousPath(for: path)) }
            guard rename(temporary, path) == 0 else { throw FileError(path: path, operation: "rename", errno: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        let directory = split(path).directory
        try POSIXFile.syncDirectory(directory.isEmpty ? "." : directory)
        removeStaleTemporaries(for: path)
        if keepPrevious { removeStaleTemporaries(for: previousPath(for: path)) }
    }

    private static func createTemporary(for path: String) throws -> (Int32, String) {
        let base = temporaryPrefix(for: path) + String(getpid())
        for attempt in 0..<1000 {
            let candidate = attempt == 0 ? base : base + "-\(attempt)"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return (fd, candidate) }
            if errno != EEXIST { throw FileError(path: candidate, operation: "create", errno: errno) }
        }
        throw FileError(path: base, operation: "create", errno: EEXIST)
    }

    /// Points `previous` at the current file's data. A hard link keeps `path` in place throughout;
    /// where links are unsupported the file is renamed, and a crash before the final rename leaves
    /// only `previous`, which loading falls back to.
    private static func preserve(_ path: String, as previous: String) throws {
        let staging = temporaryPrefix(for: previous) + String(getpid())
        unlink(staging)
        if link(path, staging) == 0 {
            guard rename(staging, previous) == 0 else {
                let code = errno
                unlink(staging)
                throw FileError(path: previous, operation: "rename", errno: code)
            }
        } else {
            guard rename(path, previous) == 0 else { throw FileError(path: previous, operation: "rename", errno: errno) }
        }
    }

    /// Best effort: a temp file that cannot be removed does no harm, as loading never reads one.
    private static func removeStaleTemporaries(for path: String) {
        let prefix = temporaryPrefix(for: path)
        let (directory, namePrefix) = split(prefix)
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            guard name.hasPrefix(namePrefix) else { continue }
            let pidText = name.dropFirst(namePrefix.count).prefix(while: { $0.isNumber })
            guard let pid = Int32(pidText), !POSIXFile.processExists(pid) else { continue }
            unlink(directory + name)
        }
    }

    /// ("dir/", "name") for "dir/name"; ("", "name") for a bare name.
    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }
}
