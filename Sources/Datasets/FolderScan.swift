import Foundation
import ThemeConfig

/// The picture files under a folder at any depth, in path order, with the sizes and times that tell
/// whether a cache made from them is still current. Hidden files and folders are left out.
struct FolderScan {
    struct File {
        let url: URL
        /// Relative to the scanned folder, `/`-separated.
        let path: String
        let size: Int64
        /// Nanoseconds since 1970.
        let modified: Int64
    }

    /// Lower-cased; `.JPG` and `.Png` count too.
    static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    let files: [File]
    /// Regular files with other extensions.
    let ignored: Int
    /// Entries named like pictures that are not regular files (a folder `x.jpg`, a FIFO, a device behind
    /// a symlink, a dangling link): skipped without opening them, since a FIFO would block a read and
    /// /dev/zero never ends.
    let unusable: [SkippedFile]

    /// Throws `DatasetError.folderMissing` when `folder` is not a readable folder.
    init(_ folder: URL) throws {
        let root = folder.standardizedFileURL
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue,
              let walk = FileManager.default.enumerator(atPath: root.path) else {
            throw DatasetError.folderMissing(path: folder.path)
        }
        var files: [File] = [], ignored = 0, unusable: [SkippedFile] = []
        while let path = walk.nextObject() as? String {
            let url = root.appendingPathComponent(path)
            let named = Self.extensions.contains(url.pathExtension.lowercased())
            var status = stat()
            guard stat(url.path, &status) == 0 else {
                if named { unusable.append(SkippedFile(path: path, message: "\(path): a link to nothing (\(String(cString: strerror(errno)))); skipped")) }
                continue
            }
            let isDirectory = status.st_mode & S_IFMT == S_IFDIR
            if url.lastPathComponent.hasPrefix(".") {
                if isDirectory { walk.skipDescendants() }
                continue
            }
            guard status.st_mode & S_IFMT == S_IFREG else {
                if named { unusable.append(SkippedFile(path: path, message: "\(path): \(Self.kind(of: status.st_mode)), not a picture file; skipped")) }
                continue
            }
            guard named else {
                ignored += 1
                continue
            }
            #if canImport(Darwin)
            let time = status.st_mtimespec
            #else
            let time = status.st_mtim
            #endif
            files.append(File(url: url, path: path, size: Int64(status.st_size),
                              modified: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)))
        }
        self.files = files.sorted { $0.path < $1.path }
        self.ignored = ignored
        self.unusable = unusable.sorted { $0.path < $1.path }
    }

    /// What a non-regular file is, for its skipped line.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// Adds every file's path, size and modification time: a file added, removed, renamed or
    /// rewritten changes the result.
    func add(to fingerprint: inout Fingerprint) {
        for entry in unusable { fingerprint.add(entry.path) }
        for file in files {
            fingerprint.add(file.path)
            fingerprint.add(file.size)
            fingerprint.add(file.modified)
        }
    }
}
