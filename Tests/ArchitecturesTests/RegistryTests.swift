import ThemeConfig
import XCTest
@testable import Architectures

final class RegistryTests: XCTestCase {
    func testRegistryListsBothArchitecturesWithTheirDeclarations() {
        XCTAssertEqual(ArchitectureRegistry.declarations.map(\.name), ["dcgan", "fastgan-lite"])
        XCTAssertEqual(ArchitectureRegistry.named("dcgan")?.declaration.resolutions, [32, 64, 128])
        XCTAssertEqual(ArchitectureRegistry.named("fastgan-lite")?.declaration.resolutions, [64, 128, 256])
        XCTAssertNil(ArchitectureRegistry.named("stylegan9"))
        _ = ThemeCatalog(architectures: ArchitectureRegistry.declarations, datasetSources: [])
    }

    func testMissingParametersTakeTheDeclaredDefaults() throws {
        let dcgan = try XCTUnwrap(try ArchitectureRegistry.make("dcgan", parameters: [:], resolution: 64) as? DCGAN)
        XCTAssertEqual([dcgan.latent, dcgan.width, dcgan.resolution], [100, 64, 64])
        let fast = try XCTUnwrap(try ArchitectureRegistry.make("fastgan-lite", parameters: ["width": .int(8)],
                                                                resolution: 128) as? FastGANLite)
        XCTAssertEqual([fast.latent, fast.width, fast.resolution], [128, 8, 128])
    }

    func testBadSettingsThrowTypedErrors() {
        XCTAssertThrowsError(try ArchitectureRegistry.make("dcgun", parameters: [:], resolution: 64)) { error in
            XCTAssertEqual(error as? ArchitectureError, .unknownArchitecture(name: "dcgun", known: ["dcgan", "fastgan-lite"]))
        }
        XCTAssertThrowsError(try ArchitectureRegistry.make("fastgan-lite", parameters: [:], resolution: 32)) { error in
            XCTAssertEqual(error as? ArchitectureError,
                           .unsupportedResolution(architecture: "fastgan-lite", resolution: 32, supported: [64, 128, 256]))
            XCTAssertEqual("\(error)", "fastgan-lite cannot make 32×32 images; it makes 64, 128, 256")
        }
        XCTAssertThrowsError(try ArchitectureRegistry.make("dcgan", parameters: ["width": .int(2)], resolution: 64)) { error in
            XCTAssertEqual(error as? ArchitectureError,
                           .invalidParameter(architecture: "dcgan", key: "width", value: .int(2),
                                             expected: "an integer from 8 to 256"))
        }
        XCTAssertThrowsError(try ArchitectureRegistry.make("dcgan", parameters: ["latent": .string("big")], resolution: 64))
    }
}
