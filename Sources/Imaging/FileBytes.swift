import Foundation

/// Whole files as bytes, with failures as `ImageError` naming the path.
enum FileBytes {
    /// Refuses anything but a regular file before opening it, so a directory gives a clear error
    /// and a FIFO cannot block the read forever.
    static func read(_ url: URL) throws -> [UInt8] {
        let path = url.path
        var status = stat()
        guard stat(path, &status) == 0 else { throw ImageError(file: path, reason: .unreadable(systemError())) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ImageError(file: path, reason: .unreadable("it is a directory, not a file"))
        default: throw ImageError(file: path, reason: .unreadable("not a regular file"))
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ImageError(file: path, reason: .unreadable(systemError())) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw ImageError(file: path, reason: .unreadable(systemError()))
            }
            bytes += chunk.prefix(count)
        }
    }

    /// Writes to a hidden temporary file in the same folder, then renames it over `url`,
    /// so an interrupted write never leaves a partial file under the real name.
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + "." + UUID().uuidString.prefix(8) + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw ImageError(file: path, reason: .unwritable(systemError())) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let detail = systemError()
                close(descriptor)
                unlink(temporary)
                throw ImageError(file: path, reason: .unwritable(detail))
            }
            written += count
        }
        guard close(descriptor) == 0, rename(temporary, path) == 0 else {
            let detail = systemError()
            unlink(temporary)
            throw ImageError(file: path, reason: .unwritable(detail))
        }
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}
