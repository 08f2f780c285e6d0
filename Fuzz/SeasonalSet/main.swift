import Foundation
import FuzzSupport
import ThemeConfig

/// A seasonal set file in, read and validated as `set` does, against the shipped themes' names so
/// items naming a theme get past the did-you-mean check.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-set-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let file = folder.appendingPathComponent("set.yaml")
let loader = SeasonalSetLoader(catalog: ThemeCatalog(architectures: [], datasetSources: []),
                               themes: ["cats", "new-year-ornaments", "panel-blocks", "window-frames"])
fuzz { bytes in
    guard FileManager.default.createFile(atPath: file.path, contents: Data(buffer: bytes)) else { return 0 }
    _ = loader.load(file: file).diagnostics.map(\.description)
    return 0
}
