import XCTest
@testable import Engine

final class KernelBenchmarkTests: XCTestCase {
    /// The layer table matches PyTorch's DCGAN: its conv weights are 3,574,784 (G) and 2,763,776 (D) at
    /// 64 px, the published counts less the batch-norm parameters.
    func testLayerTableIsTheStandardDCGAN() {
        let layers = KernelBenchmark.dcgan(size: 64)
        func weights(_ l: [KernelBenchmark.Layer]) -> Int { l.reduce(0) { $0 + $1.inputChannels * $1.outputChannels * 16 } }
        XCTAssertEqual(weights(layers.filter(\.transposed)), 3_574_784)
        XCTAssertEqual(weights(layers.filter { !$0.transposed }), 2_763_776)
        XCTAssertEqual(layers.map(\.name).first, "G1 convT 100→512 1→4")
        XCTAssertEqual(layers.map(\.name).last, "D5 conv 512→1 4→1")
        XCTAssertEqual(layers.map(\.outputSize), [4, 8, 16, 32, 64, 32, 16, 8, 4, 1])
        XCTAssertEqual(KernelBenchmark.dcgan(size: 32).count, 8)
    }
}
