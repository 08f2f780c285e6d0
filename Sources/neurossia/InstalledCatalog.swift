import Architectures
import Datasets
import ThemeConfig

extension ThemeCatalog {
    /// The architectures and dataset sources this build knows: what theme files are checked against.
    static let installed = ThemeCatalog(architectures: ArchitectureRegistry.declarations,
                                               datasetSources: DatasetRegistry.declarations)
}
