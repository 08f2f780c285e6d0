import Engine
import XCTest
@testable import Evaluation

final class RadixSortTests: XCTestCase {
    /// Sorted by RadixSort, as bit patterns so -0 and +0 are told apart.
    private func radixSorted(_ values: [Float]) -> [UInt32] {
        var values = values
        let scratch = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: values.count)
        defer { scratch.deallocate() }
        values.withUnsafeMutableBufferPointer { RadixSort.sort($0, scratch: scratch) }
        return values.map(\.bitPattern)
    }

    func testAgreesWithTheStandardSortOnRandomRowsOfEverySize() {
        var rng = RandomGenerator(seed: 11)
        for count in [0, 1, 2, 3, 100, 2049, 32_768] {
            // Normals at scales from 1e-30 to 1e30, with repeats: every digit of the keys varies.
            let values = (0..<count).map { i -> Float in
                i % 7 == 0 ? Float(i % 5) : rng.normal() * Float(pow(10, Double(Int(rng.next() % 61) - 30)))
            }
            XCTAssertEqual(radixSorted(values), values.sorted().map(\.bitPattern), "\(count) values")
        }
    }

    func testSignedZerosInfinitiesAndExtremes() {
        let values: [Float] = [0, -0.0, .infinity, -.infinity, 1, -1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 3.5, -3.5]
        let expected: [Float] = [-.infinity, -.greatestFiniteMagnitude, -3.5, -1, -.leastNonzeroMagnitude, -0.0, 0,
                                 .leastNonzeroMagnitude, 1, 3.5, .greatestFiniteMagnitude, .infinity]
        XCTAssertEqual(radixSorted(values), expected.map(\.bitPattern))
    }
}
