import Foundation

/// Makes an output folder (and its parents), or fails with one line saying what could not be made,
/// where, and why, instead of Foundation's error dump.
func makeFolder(_ url: URL) throws {
    let fm = FileManager.default
    let path = url.standardizedFileURL.path
    var isFolder: ObjCBool = false
    if fm.fileExists(atPath: path, isDirectory: &isFolder) {
        guard isFolder.boolValue else { throw CommandFailure("cannot make folder \(path): a file of that name is in the way") }
        guard fm.isWritableFile(atPath: path) else { throw CommandFailure("cannot write into folder \(path): no permission") }
        return
    }
    var ancestor = url.standardizedFileURL.deletingLastPathComponent()
    while !fm.fileExists(atPath: ancestor.path, isDirectory: &isFolder) { ancestor.deleteLastPathComponent() }
    guard isFolder.boolValue else {
        throw CommandFailure("cannot make folder \(path): \(ancestor.path) is a file, not a folder")
    }
    guard fm.isWritableFile(atPath: ancestor.path) else {
        throw CommandFailure("cannot make folder \(path): no permission to write in \(ancestor.path)")
    }
    do {
        try fm.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
        let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { ($0 as? NSError)?.localizedDescription ?? "\($0)" }
        throw CommandFailure("cannot make folder \(path): \(reason ?? error.localizedDescription)")
    }
}
