import Foundation

/// A set's files read and written whole, failures said as `SetError`s naming the file.
enum SetFiles {
    /// Writes `bytes` to `name` in `folder`, replacing it whole.
    static func write(_ bytes: [UInt8], named name: String, in folder: URL) throws {
        let file = folder.appendingPathComponent(name)
        do {
            try Data(bytes).write(to: file, options: .atomic)
        } catch {
            throw SetError.fileFailed(file: file.path, action: "write", reason: reason(error))
        }
    }

    static func read(_ file: URL) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: file))
        } catch {
            throw SetError.fileFailed(file: file.path, action: "read", reason: reason(error))
        }
    }

    /// The POSIX words under a Foundation file error ("No such file or directory"), else its description.
    static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let posix = underlying, posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
        return (error as NSError).localizedDescription
    }
}
