import Engine
import Foundation
import Imaging

extension Image {
    /// Each picture's `pngData()`, encoded on all cores. zlib takes about as long per 128 px picture as
    /// the network takes to render it on both cores, so encoding one by one on one core would leave the
    /// other idle for half the run. The same bytes, in order; a picture that fails throws its error
    /// (the first in order, when several do).
    public static func pngData(of pictures: [Image]) throws -> [[UInt8]] {
        var encoded = [Result<[UInt8], any Error>?](repeating: nil, count: pictures.count)
        encoded.withUnsafeMutableBufferPointer { slots in
            Parallel.chunks(pictures.count, grain: 1) { range in
                for i in range { slots[i] = Result { try pictures[i].pngData() } }
            }
        }
        return try encoded.map { try $0!.get() }
    }

    /// Writes picture i to `files[i]` as PNG (each atomically, as `write(png:)`), encoded on all cores.
    public static func write(pngs pictures: [Image], to files: [URL]) throws {
        precondition(pictures.count == files.count, "\(pictures.count) pictures for \(files.count) files")
        for (bytes, file) in zip(try pngData(of: pictures), files) { try Image.write(pngData: bytes, to: file) }
    }
}
