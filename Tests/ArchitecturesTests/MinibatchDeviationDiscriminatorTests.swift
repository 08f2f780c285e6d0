import Engine
import XCTest
@testable import Architectures

/// `minibatch_std: G` lets each discriminator see its picture's group of G: with batch norm in
/// evaluation mode (so nothing else couples the pictures) a picture's logit moves when another picture
/// of its group changes and stays when a picture of another group does; without it, neither moves it.
final class MinibatchDeviationDiscriminatorTests: XCTestCase {
    func check(_ make: (Int) -> any Architecture, resolution: Int, file: StaticString = #filePath, line: UInt = #line) {
        for group in [0, 4] {
            var rng = RandomGenerator(seed: 3)
            let d = make(group).makeDiscriminator(rng: &rng)
            d.train(false)
            let images = gradientImages(8, size: resolution, rng: &rng)
            let logits = withoutGradients { d(images).scalars }
            func logitsAfterChanging(_ picture: Int) -> [Float] {
                let changed = Tensor(images.scalars, shape: images.shape)
                let plane = 3 * resolution * resolution
                for i in 0..<plane { changed.data[picture * plane + i] *= -1 }
                return withoutGradients { d(changed).scalars }
            }
            let perPicture = logits.count / 8
            let first = { (values: [Float]) in Array(values[0..<perPicture]) }
            XCTAssertEqual(first(logitsAfterChanging(5)), first(logits), "another group never reaches picture 0",
                           file: file, line: line)
            if group == 0 {
                XCTAssertEqual(first(logitsAfterChanging(1)), first(logits), "no deviation: pictures are judged alone",
                               file: file, line: line)
            } else {
                XCTAssertNotEqual(first(logitsAfterChanging(1)), first(logits), "picture 1 is in picture 0's group",
                                  file: file, line: line)
            }
        }
    }

    func testDCGAN() {
        check({ LatentWidthArchitecture<DCGAN>(latent: 16, width: 8, resolution: 32, minibatchGroup: $0) }, resolution: 32)
    }

    func testFastGANLite() {
        check({ LatentWidthArchitecture<FastGANLite>(latent: 16, width: 4, resolution: 64, minibatchGroup: $0) }, resolution: 64)
    }
}
