// swift-tools-version:6.0
import PackageDescription

/// Hot loops are written over unsafe buffers; in release they build without bounds checks.
let hot: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "Neurossia",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "neurossia", targets: ["neurossia"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries and the C that must be C.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "CBLASCoreType", linkerSettings: [.linkedLibrary("openblas")]),
        // oneDNN is required like OpenBLAS (`make deps` installs both); it ships no pkg-config file.
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .target(name: "CGEMM", linkerSettings: [.linkedLibrary("dnnl"), .linkedLibrary("gomp")]),

        // The data flow: engine → layers → imaging → theme config → datasets → architectures → training → evaluation.
        .target(name: "Engine", dependencies: ["CBLAS", "CBLASCoreType", "CDNNL", "CGEMM"], swiftSettings: hot),
        .target(name: "Layers", dependencies: ["Engine"], swiftSettings: hot),
        .target(name: "Imaging", dependencies: ["CPNG", "CJPEG"], swiftSettings: hot),
        .target(name: "ThemeConfig", dependencies: ["Yams"]),
        .target(name: "Datasets", dependencies: ["Engine", "Imaging", "ThemeConfig"], swiftSettings: hot),
        .target(name: "Architectures", dependencies: ["Layers", "ThemeConfig"], swiftSettings: hot),
        .target(name: "Training", dependencies: ["Architectures", "Datasets", "Evaluation", "ThemeConfig", "Imaging"]),
        .target(name: "Evaluation", dependencies: ["Engine", "Imaging"], swiftSettings: hot),
        .executableTarget(
            name: "neurossia",
            dependencies: [
                "Training", "Evaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
        .testTarget(name: "ThemeConfigTests", dependencies: ["ThemeConfig"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TrainingTests", dependencies: ["Training"]),
        .testTarget(name: "ArchitecturesTests", dependencies: ["Architectures"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"]),
    ],
    swiftLanguageModes: [.v5]
)
