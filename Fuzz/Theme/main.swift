import Architectures
import Datasets
import Foundation
import FuzzSupport
import ThemeConfig

/// A theme file in, read, inherited and validated as `themes list` does. It sits in a folder of its
/// own, so `extends` and duplicate names are looked up among this one file only.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-theme-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let file = folder.appendingPathComponent("theme.yaml")
let loader = ThemeLoader(catalog: ThemeCatalog(architectures: ArchitectureRegistry.declarations,
                                               datasetSources: DatasetRegistry.declarations))
fuzz { bytes in
    guard FileManager.default.createFile(atPath: file.path, contents: Data(buffer: bytes)) else { return 0 }
    _ = loader.check(files: [file]).diagnostics.map(\.description)
    return 0
}
