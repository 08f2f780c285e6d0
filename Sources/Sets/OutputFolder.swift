import Foundation

/// The folder a set is written into, made with its parents.
enum OutputFolder {
    /// Like `mkdir -p`, by hand because FileManager's error on Linux describes itself as "The operation
    /// could not be completed. (NSCocoaErrorDomain error 512.)", the path and the reason ("Not a
    /// directory") buried in its userInfo; this names the folder, the path that failed and why.
    static func create(_ folder: URL) throws {
        let path = folder.standardizedFileURL.path
        var missing: [String] = []
        var existing = path
        var isFolder: ObjCBool = false
        while !FileManager.default.fileExists(atPath: existing, isDirectory: &isFolder) {
            missing.append(existing)
            existing = (existing as NSString).deletingLastPathComponent
        }
        guard isFolder.boolValue else {
            throw SetError.cannotCreateFolder(folder: path, blocker: existing, reason: "a file is in the way, not a folder")
        }
        for component in missing.reversed() where mkdir(component, 0o755) != 0 && errno != EEXIST {
            throw SetError.cannotCreateFolder(folder: path, blocker: component, reason: String(cString: strerror(errno)))
        }
    }

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
