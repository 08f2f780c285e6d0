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
        // exp-based activations and batch norm's sums, vectorised at the CPU's width (chosen at load time).
        .target(name: "CVectorMath"),
        // Open MPI through dlopen, so machines without it build and run unchanged (see the README).
        .target(name: "CMPI", linkerSettings: [.linkedLibrary("dl")]),

        // The engine under everything: tensors, kernels and autograd; layers on it; pictures in and out.
        .target(name: "Engine", dependencies: ["CBLAS", "CBLASCoreType", "CDNNL", "CGEMM", "CVectorMath"], swiftSettings: hot),
        .target(name: "Layers", dependencies: ["Engine"], swiftSettings: hot),
        .target(name: "Imaging", dependencies: ["CPNG", "CJPEG"], swiftSettings: hot),

        // The data flow, a target per stage: theme config → dataset → architecture → trainer →
        // checkpoint → generator → palette → seasonal set → output (the CLI). Evaluation measures pictures.
        .target(name: "ThemeConfig", dependencies: ["Yams"]),
        .target(name: "Datasets", dependencies: ["Engine", "Imaging", "ThemeConfig"], swiftSettings: hot),
        .target(name: "Architectures", dependencies: ["Layers", "ThemeConfig"], swiftSettings: hot),
        .target(name: "Training", dependencies: ["Architectures", "Checkpoint", "Cluster", "Datasets", "Evaluation", "Generation", "ThemeConfig", "Imaging"]),
        .target(name: "Checkpoint", dependencies: ["Engine"]),
        .target(name: "Generation", dependencies: ["Architectures", "Checkpoint", "Imaging", "ThemeConfig"]),
        .target(name: "Palettes", dependencies: ["Datasets", "Evaluation", "Generation", "Imaging", "Engine"], swiftSettings: hot),
        .target(name: "Sets", dependencies: ["Generation", "Palettes", "ThemeConfig", "Imaging"]),
        .target(name: "Evaluation", dependencies: ["Engine", "Imaging"], swiftSettings: hot),
        // Several processes under mpirun: ranks, collectives, messages.
        .target(name: "Cluster", dependencies: ["CMPI"]),
        .executableTarget(
            name: "neurossia",
            dependencies: [
                "Training", "Generation", "Evaluation", "Palettes", "Sets", "Cluster", "Engine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "CVectorMath"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"]),
        .testTarget(name: "ThemeConfigTests", dependencies: ["ThemeConfig", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Checkpoint", "Generation", "TestSupport"]),
        .testTarget(name: "ArchitecturesTests", dependencies: ["Architectures"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"]),
        .testTarget(name: "CommandLineTests", dependencies: ["TestSupport"]),
        .testTarget(name: "PalettesTests", dependencies: ["Palettes", "TestSupport"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation"]),
        .testTarget(name: "SetsTests", dependencies: ["Sets", "TestSupport"]),
        .testTarget(name: "ClusterTests", dependencies: ["Checkpoint", "TestSupport"]),

    ],
    swiftLanguageModes: [.v5]
)

/// libFuzzer targets (Fuzz/<Name>/main.swift), declared only when `NEUROSSIA_FUZZ` is set, as `make fuzz`
/// does: they call libFuzzer's driver, which only `-sanitize=fuzzer` links in (Fuzz/Support/Fuzz.swift).
if Context.environment["NEUROSSIA_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("PNG", ["Imaging"]), ("JPEG", ["Imaging"]), ("SafeTensors", ["Checkpoint"]),
        ("Theme", ["ThemeConfig", "Architectures", "Datasets"]), ("SeasonalSet", ["ThemeConfig"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Support"))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: "Fuzz\(name)", dependencies: dependencies + ["FuzzSupport"],
                                                 path: "Fuzz/\(name)"))
        package.products.append(.executable(name: "fuzz-\(name.lowercased())", targets: ["Fuzz\(name)"]))
    }
}
