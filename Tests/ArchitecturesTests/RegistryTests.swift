import ThemeConfig
import XCTest
@testable import Architectures

final class RegistryTests: XCTestCase {
    func testEveryArchitectureIsFoundByItsDeclaredName() {
        let names = ArchitectureRegistry.declarations.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "names are unique")
        for type in ArchitectureRegistry.all {
            XCTAssertTrue(ArchitectureRegistry.named(type.declaration.name) == type, type.declaration.name)
            XCTAssertFalse(type.declaration.resolutions.isEmpty)
        }
        XCTAssertNil(ArchitectureRegistry.named(names.joined() + "-unknown"))
        _ = ThemeCatalog(architectures: ArchitectureRegistry.declarations, datasetSources: [])
    }

    /// Left-out keys build the same architecture as the declared defaults written out.
    func testMissingParametersTakeTheDeclaredDefaults() throws {
        for type in ArchitectureRegistry.all {
            let declaration = type.declaration
            let defaults = Dictionary(uniqueKeysWithValues: declaration.parameters.map { ($0.key, $0.defaultValue) })
            for resolution in declaration.resolutions {
                let implicit = try ArchitectureRegistry.make(declaration.name, parameters: [:], resolution: resolution)
                let explicit = try ArchitectureRegistry.make(declaration.name, parameters: defaults, resolution: resolution)
                XCTAssertEqual("\(implicit)", "\(explicit)", "\(declaration.name) at \(resolution)")
                if let latent = defaults["latent"] { XCTAssertEqual(.int(implicit.latent), latent, declaration.name) }
            }
        }
        XCTAssertEqual(try LatentWidthArchitecture<DCGAN>(parameters: [:], resolution: 64),
                       LatentWidthArchitecture<DCGAN>(latent: 100, width: 64, resolution: 64))
        XCTAssertEqual(try LatentWidthArchitecture<FastGANLite>(parameters: ["width": .int(8)], resolution: 128),
                       LatentWidthArchitecture<FastGANLite>(latent: 128, width: 8, resolution: 128))
    }

    /// Out-of-range integers, values of the wrong type and undeclared sizes throw typed errors.
    func testBadSettingsThrowTypedErrors() {
        let known = ArchitectureRegistry.declarations.map(\.name)
        let unknown = known.joined() + "-unknown"
        XCTAssertThrowsError(try ArchitectureRegistry.make(unknown, parameters: [:], resolution: 64)) { error in
            XCTAssertEqual(error as? ArchitectureError, .unknownArchitecture(name: unknown, known: known))
        }
        for declaration in ArchitectureRegistry.declarations {
            let (name, resolution) = (declaration.name, declaration.resolutions[0])
            let odd = declaration.resolutions.max()! + 1
            XCTAssertThrowsError(try ArchitectureRegistry.make(name, parameters: [:], resolution: odd)) { error in
                XCTAssertEqual(error as? ArchitectureError,
                               .unsupportedResolution(architecture: name, resolution: odd, supported: declaration.resolutions))
            }
            for spec in declaration.parameters {
                var tooBig: ParameterValue?
                if case .int(let range) = spec.kind { tooBig = .int(range.upperBound + 1) }
                for value in [tooBig, .list([])].compactMap({ $0 }) {
                    XCTAssertThrowsError(try ArchitectureRegistry.make(name, parameters: [spec.key: value],
                                                                       resolution: resolution)) { error in
                        XCTAssertEqual(error as? ArchitectureError, .invalidParameter(
                            architecture: name, key: spec.key, value: value, expected: spec.kind.requirement))
                    }
                }
            }
        }
        XCTAssertThrowsError(try LatentWidthArchitecture<FastGANLite>(parameters: [:], resolution: 32)) { error in
            XCTAssertEqual("\(error)", "fastgan-lite cannot make 32×32 images; it makes 64, 128, 256")
        }
        XCTAssertThrowsError(try LatentWidthArchitecture<DCGAN>(parameters: ["width": .int(2)], resolution: 64)) { error in
            XCTAssertEqual("\(error)", "dcgan: width is 2, expected an integer from 8 to 256")
        }
    }
}
