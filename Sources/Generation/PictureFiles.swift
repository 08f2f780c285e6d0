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
    public func walkFrame(_ index: Int) -> URL { folder.appendingPathComponent(String(format: "%@-walk-%05d.png", stem, index)) }

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
    public var transform: ((Image) throws -> Image)?

    /// Pictures per theme when none is asked for.
    public static let defaultCount = 16
    /// Most frames between two seeds of a walk; a walk is written frame by frame, its grid only up to
    /// `walkGridLimit` frames (a grid is one picture in memory).
    public static let maxInterpolate = 240
    public static let walkGridLimit = 1024
    /// Most frames one walk writes.
    public static let maxWalkFrames = 10_000

    public init(count: Int = defaultCount, seed: UInt64 = 1, truncation: Float, interpolate: Int? = nil,
                gridOnly: Bool = false, transform: ((Image) throws -> Image)? = nil) {
        (self.count, self.seed, self.truncation) = (count, seed, truncation)
        (self.interpolate, self.gridOnly, self.transform) = (interpolate, gridOnly, transform)
    }

    /// Pictures rendered, and then encoded, at once.
    static let batch = 32

    /// Renders and writes into `files.folder` (which must exist); returns the pictures in order (a walk's
    /// only when it is short enough for a grid).
    @discardableResult
    public func write(_ generator: ShippedGenerator, to files: PictureFiles) throws -> [Image] {
        let network = generator.network
        if let frames = interpolate {
            let seeds = (0..<UInt64(count)).map { seed + $0 }
            let total = walkLength(seeds: seeds.count, frames: frames)
            var grid: [Image] = []
            for start in stride(from: 0, to: total, by: Self.batch) {
                let latents = (start..<min(start + Self.batch, total)).map { network.walkLatent(seeds: seeds, frames: frames, index: $0) }
                let pictures = try network.render(latents, truncation: truncation).map { try transform?($0) ?? $0 }
                if !gridOnly { try Image.write(pngs: pictures, to: pictures.indices.map { files.walkFrame(start + $0) }) }
                if total <= Self.walkGridLimit { grid += pictures }
            }
            if total <= Self.walkGridLimit { try Image.grid(grid, columns: frames + 1).write(png: files.walk) }
            return grid
        }
        let pictures = try network.generate(count: count, seed: seed, truncation: truncation).map { try transform?($0) ?? $0 }
        if !gridOnly {
            // A batch at a time: at 128 px a thousand pictures' PNGs are tens of MB.
            for start in stride(from: 0, to: pictures.count, by: Self.batch) {
                let batch = start..<min(start + Self.batch, pictures.count)
                try Image.write(pngs: Array(pictures[batch]), to: batch.map(files.picture))
            }
        }
        try Image.grid(pictures, columns: PictureFiles.columns(for: pictures.count)).write(png: files.grid)
        return pictures
    }
}
