/// A block of a convolution's output grid: rows `rows` of images `images` (several images only with
/// all their rows). Tiles keep each GEMM large while its columns still fit a core's cache, and each
/// core owns whole images, so no two threads ever add into the same pixel.
struct ConvTile {
    let images: Range<Int>
    let rows: Range<Int>
    let width: Int

    var columns: Int { images.count * rows.count * width }

    /// Where this tile's [C, T] block starts inside image-major [N, C, L] data, and its row stride,
    /// when it can be addressed in place (one image); nil when it must be packed.
    private func inPlace(channels: Int, plane: Int) -> (offset: Int, ld: Int)? {
        images.count == 1 ? (images.lowerBound * channels * plane + rows.lowerBound * width, plane) : nil
    }

    /// The tile's [C, T] block of image-major [N, C, L] data as a GEMM operand, with its row stride: in
    /// place for one image, else packed into `scratch`.
    func operand(_ data: UnsafePointer<Float>, channels: Int, plane: Int, packingInto scratch: UnsafeMutablePointer<Float>)
        -> (pointer: UnsafePointer<Float>, ld: Int) {
        if let (offset, ld) = inPlace(channels: channels, plane: plane) { return (data + offset, ld) }
        pack(data, channels: channels, plane: plane, into: scratch)
        return (UnsafePointer(scratch), columns)
    }

    /// The tile's [C, T] block of image-major [N, C, L] data as a GEMM result: `product(block, ld, beta)`
    /// writes it in place for one image (beta 1 when `adding`), else into `scratch`, which is then
    /// written or added back. The twin of `operand` on the output side.
    func result(into data: UnsafeMutablePointer<Float>, channels: Int, plane: Int, adding: Bool,
                packingInto scratch: UnsafeMutablePointer<Float>,
                _ product: (_ block: UnsafeMutablePointer<Float>, _ ld: Int, _ beta: Float) -> Void) {
        if let (offset, ld) = inPlace(channels: channels, plane: plane) { return product(data + offset, ld, adding ? 1 : 0) }
        product(scratch, columns, 0)
        unpack(scratch, channels: channels, plane: plane, into: data, adding: adding)
    }

    /// Copies the tile's columns of [N, C, L] into dst [C, T] (whole images only).
    private func pack(_ src: UnsafePointer<Float>, channels: Int, plane: Int, into dst: UnsafeMutablePointer<Float>) {
        for ch in 0..<channels {
            for (i, n) in images.enumerated() {
                (dst + ch * columns + i * plane).update(from: src + (n * channels + ch) * plane, count: plane)
            }
        }
    }

    /// Writes (or adds) src [C, T] back into the tile's columns of [N, C, L].
    private func unpack(_ src: UnsafePointer<Float>, channels: Int, plane: Int, into dst: UnsafeMutablePointer<Float>, adding: Bool) {
        for ch in 0..<channels {
            for (i, n) in images.enumerated() {
                let s = src + ch * columns + i * plane, d = dst + (n * channels + ch) * plane
                if adding { for l in 0..<plane { d[l] += s[l] } } else { d.update(from: s, count: plane) }
            }
        }
    }
}

extension ConvGeometry {
    /// Floats a tile's columns may take: about 1 MB, which stays in cache from im2col to the GEMM.
    /// Tests lower it to force tiles that split images into row bands.
    nonisolated(unsafe) static var tileFloats = 256 * 1024
    /// Fewest columns worth a GEMM call: smaller grids are batched several images to a tile.
    static let minColumns = 256

    /// The tiles covering `images`, in order.
    func tiles(images: Range<Int>) -> [ConvTile] {
        let target = max(min(Self.minColumns, Self.tileFloats), Self.tileFloats / max(columnRows, 1))
        if gridSize >= min(target, Self.minColumns) {
            let step = max(1, target / outWidth)
            return images.flatMap { n in
                Swift.stride(from: 0, to: outHeight, by: step).map {
                    ConvTile(images: n..<(n + 1), rows: $0..<min($0 + step, outHeight), width: outWidth)
                }
            }
        }
        let step = max(1, target / gridSize)
        return Swift.stride(from: images.lowerBound, to: images.upperBound, by: step).map {
            ConvTile(images: $0..<min($0 + step, images.upperBound), rows: 0..<outHeight, width: outWidth)
        }
    }

    /// Whether a layer's weight gradient goes by bands of its column rows, a band per core over the whole
    /// batch (`addWeightGradientByBands`), instead of by images into a weight-sized part per extra core:
    /// where the column rows outnumber the grid points they meet, reading the other operand on every core
    /// costs less than the part. DCGAN-128's 512 → 1024 (8192 rows against 32 · 16 points) held a 32 MB
    /// part at the step's peak.
    var weightGradientByBands: Bool { Parallel.workers > 1 && channels >= Parallel.workers && columnRows > batch * gridSize }

    /// gradient [m, C·k·k] += Σ over the batch's tiles of operand(tile) [m, T] · columns(tile)ᵀ, each core
    /// adding its band of whole channels' rows straight into the gradient, tile after tile: no part to sum.
    /// `operand` is [N, m, grid] (the output gradient of a convolution, the input of a transposed one);
    /// `source` is what `gather` reads.
    func addWeightGradientByBands(_ operand: UnsafePointer<Float>, channels m: Int, columnsOf source: UnsafePointer<Float>,
                                  into gradient: UnsafeMutablePointer<Float>) {
        let tiles = tiles(images: 0..<batch)
        let widest = tiles.map(\.columns).max() ?? 0
        let taps = kernel * kernel
        Parallel.parts(channels) { _, band in
            let bands = rowBands((band.lowerBound * taps)..<(band.upperBound * taps), columns: widest)
            let cols = Tensor(uninitialized: [(bands.first?.count ?? 0) * widest]), packed = Tensor(uninitialized: [m * widest])
            for tile in tiles {
                let (a, ld) = tile.operand(operand, channels: m, plane: gridSize, packingInto: packed.data)
                for rows in bands {
                    gather(source, tile, rows: rows, into: cols.data)
                    gemm(transB: true, m: m, n: rows.count, k: tile.columns, a, lda: ld, cols.data, ldb: tile.columns, beta: 1,
                         gradient + rows.lowerBound, ldc: columnRows)
                }
            }
        }
    }

    /// `rows` (a range of column rows) in bands of whole kernels (k·k rows each) whose columns, `columns`
    /// wide, take at most `tileFloats`: a tile's columns are gathered, multiplied and scattered a band at
    /// a time. Tiles are at least `minColumns` wide, so a layer with more rows than fit beside that many
    /// (DCGAN-128's 512 → 1024: 8192 rows, 8 MB of columns per core at 256) would otherwise hold far more
    /// than a tile's worth of scratch, at the step's peak. A band's GEMM runs as fast: OpenBLAS blocks the
    /// rows' dimension in a few hundred anyway. Every other layer is one band.
    func rowBands(_ rows: Range<Int>, columns: Int) -> [Range<Int>] {
        let taps = kernel * kernel
        let step = max(taps, Self.tileFloats / max(columns, 1) / taps * taps)
        return Swift.stride(from: rows.lowerBound, to: rows.upperBound, by: step).map { $0..<min($0 + step, rows.upperBound) }
    }

    /// Runs `body` once per core with that core's share of whole images and their tiles, the column rows
    /// in bands (`rowBands`), scratch for the largest band of the widest tile's columns and for one
    /// packed operand (`packRows` × T).
    func perCore(packRows: Int, _ body: (_ core: Int, _ tiles: [ConvTile], _ bands: [Range<Int>], _ cols: UnsafeMutablePointer<Float>,
                                         _ packed: UnsafeMutablePointer<Float>) -> Void) {
        Parallel.parts(batch) { core, images in
            let tiles = tiles(images: images)
            let widest = tiles.map(\.columns).max() ?? 0
            let bands = rowBands(0..<columnRows, columns: widest)
            let cols = Tensor(uninitialized: [(bands.first?.count ?? 0) * widest])
            let packed = Tensor(uninitialized: [packRows * widest])
            body(core, tiles, bands, cols.data, packed.data)
        }
    }
}
