#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call on a file, with the path and the errno it returned.
public struct FileError: Error, Equatable, CustomStringConvertible {
    public var path: String
    /// The call that failed: "open", "read", "fsync", "rename", ...
    public var operation: String
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    public var isNotFound: Bool { errno == ENOENT }

    public var description: String {
        "\(path): \(operation) failed: \(String(cString: strerror(errno)))"
    }
}

/// The few POSIX file operations the checkpoint layer needs, retrying on EINTR and short transfers.
public enum POSIXFile {
    /// The whole file in one allocation, filled by as few `read` calls as the kernel allows.
    public static func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(path: path, operation: "stat", errno: errno) }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let n = read(fd, buffer.baseAddress! + count, size - count)
                if n > 0 {
                    count += n
                } else if n == 0 {
                    break  // the file shrank under us; parsing will report what is missing
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 { throw FileError(path: path, operation: "read", errno: failure) }
        return bytes
    }

    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n >= 0 {
                    done += n
                } else if errno != EINTR {
                    throw FileError(path: path, operation: "write", errno: errno)
                }
            }
        }
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Makes a rename or unlink in `directory` durable; some filesystems refuse fsync on a
    /// directory (EINVAL), which is not a failure of the write itself.
    public static func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: directory, operation: "open directory", errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL {
            throw FileError(path: directory, operation: "fsync directory", errno: errno)
        }
    }

    /// Whether a process with this id exists (a zombie or another user's process counts as alive).
    public static func processExists(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }
}
