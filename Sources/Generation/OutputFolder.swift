import Foundation

/// The folder pictures are written into, made with its parents: by hand because FileManager's error on
/// Linux describes itself as "The operation could not be completed. (NSCocoaErrorDomain error 512.)",
/// the path and the reason ("Not a directory") buried in its userInfo; this names both.
public enum OutputFolder {
    /// Like `mkdir -p`; an existing folder is fine.
    public static func create(_ folder: URL) throws(OutputFolderError) {
        let path = folder.standardizedFileURL.path
        var missing: [String] = []
        var existing = path
        var isFolder: ObjCBool = false
        while !FileManager.default.fileExists(atPath: existing, isDirectory: &isFolder) {
            missing.append(existing)
            existing = (existing as NSString).deletingLastPathComponent
        }
        guard isFolder.boolValue else {
            throw OutputFolderError(folder: path, blocker: existing,
                                    reason: existing == path ? "a file of that name is in the way" : "a file is in the way, not a folder")
        }
        for component in missing.reversed() where mkdir(component, 0o755) != 0 && errno != EEXIST {
            throw OutputFolderError(folder: path, blocker: component, reason: String(cString: strerror(errno)))
        }
    }
}

/// An output folder that could not be made: which, the path that failed, and why, in one line.
public struct OutputFolderError: Error, Equatable, CustomStringConvertible {
    public let folder: String, blocker: String, reason: String

    public var description: String {
        blocker == folder ? "cannot create the output folder \(folder): \(reason)"
            : "cannot create the output folder \(folder): \(blocker): \(reason)"
    }
}
