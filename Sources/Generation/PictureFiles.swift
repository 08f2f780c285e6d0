import Foundation
import Imaging

/// Where `generate` (and a seasonal set) writes the pictures of one seed: `<stem>-0000.png` …,
/// `<stem>-grid.png`, `<stem>-walk.png`, with `<stem>` = `<theme>-s<seed>`, in one folder.
public struct PictureFiles {
    public let folder: URL
    public let stem: String

    public init(folder: URL, theme: String, seed: UInt64) {
        self.folder = folder
        stem = Self.stem(theme: theme, seed: seed)
    }

    /// `<theme>-s<seed>`: how every picture file names where it came from.
    public static func stem(theme: String, seed: UInt64) -> String { "\(theme)-s\(seed)" }

    public func picture(_ index: Int) -> URL { folder.appendingPathComponent(String(format: "%@-%04d.png", stem, index)) }
    public var grid: URL { folder.appendingPathComponent("\(stem)-grid.png") }
    public var walk: URL { folder.appendingPathComponent("\(stem)-walk.png") }

    /// Columns of a near-square grid of `count` pictures.
    public static func columns(for count: Int) -> Int { Int(Double(count).squareRoot().rounded(.up)) }
}

/// What `generate` makes of a generator: pictures by seed, optionally only their grid, or a latent walk.
public struct GenerationRequest {
    public var count: Int
    public var seed: UInt64
    public var truncation: Float
    /// Frames between consecutive seeds for a latent walk, or nil for plain pictures.
    public var interpolate: Int?
    public var gridOnly: Bool
    /// Applied to every picture before it is written (recolouring toward a palette), or nil.
    public var transform: ((Image) -> Image)?

    /// Pictures per theme when none is asked for.
    public static let defaultCount = 16

    public init(count: Int = defaultCount, seed: UInt64 = 1, truncation: Float, interpolate: Int? = nil,
                gridOnly: Bool = false, transform: ((Image) -> Image)? = nil) {
        (self.count, self.seed, self.truncation) = (count, seed, truncation)
        (self.interpolate, self.gridOnly, self.transform) = (interpolate, gridOnly, transform)
    }

    /// Renders and writes into `files.folder` (which must exist); returns the pictures in order.
    @discardableResult
    public func write(_ generator: ShippedGenerator, to files: PictureFiles) throws -> [Image] {
        let network = generator.network
        if let frames = interpolate {
            let seeds = (0..<UInt64(count)).map { seed + $0 }
            let walk = network.interpolate(seeds: seeds, frames: frames, truncation: truncation).map(finish)
            try Image.grid(walk, columns: frames + 1).write(png: files.walk)
            return walk
        }
        let pictures = network.generate(count: count, seed: seed, truncation: truncation).map(finish)
        if !gridOnly {
            for (i, picture) in pictures.enumerated() { try picture.write(png: files.picture(i)) }
        }
        try Image.grid(pictures, columns: PictureFiles.columns(for: pictures.count)).write(png: files.grid)
        return pictures
    }

    private func finish(_ picture: Image) -> Image { transform?(picture) ?? picture }
}
