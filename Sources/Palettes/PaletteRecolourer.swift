import Foundation
import Imaging

/// Palette-based recolouring in the manner of Chang et al. 2015, "Palette-based Photo Recoloring":
/// the source palette's colours are matched to the target's (`matches(to:)`), lightness moves
/// `lightnessShare` of the way along a monotone piecewise-linear map through the matched palette
/// lightnesses (so light stays above shadow), and a, b move by the palette colours' displacements blended with Gaussian radial basis
/// weights in Lab (σ = mean distance between source palette colours, weights interpolating exactly
/// at the palette colours, negatives dropped). Results outside sRGB lose chroma at constant L and hue.
///
/// As in the paper the transfer is evaluated once on a 17³ grid over RGB (in Float, `Transfer.sampled`)
/// and a picture is recoloured by trilinear lookup, so a picture costs one pass over its pixels.
public struct PaletteRecolourer: Recolouring {
    static let gridSize = 17
    /// [G, G, G, 3]: the recoloured sRGB of grid colour (r, g, b), red slowest.
    let table: [Float]

    public init(from source: Palette, to target: Palette) {
        table = Transfer(from: source, to: target).sampled(Self.gridLabs, at: 0..<Self.gridLabs.count / 3)
    }

    /// A recolourer for `image` alone: only the corners of grid cells its pixels fall in are
    /// evaluated (a few hundred of 4913 for a 64×64 picture), the rest of the table stays 0, so
    /// other pictures must not go through it. What recolouring one picture on its own costs.
    init(from source: Palette, to target: Palette, covering image: Image) {
        let g = Self.gridSize, plane = image.width * image.height
        var cells = [Bool](repeating: false, count: g * g * g)
        image.pixels.withUnsafeBufferPointer { source in
            for i in 0..<plane {
                let cell = Self.cell(source[i], source[plane + i], source[2 * plane + i])
                cells[(cell.r0 * g + cell.g0) * g + cell.b0] = true
            }
        }
        var corners = [Bool](repeating: false, count: g * g * g)
        for index in cells.indices where cells[index] {
            for corner in [0, 1, g, g + 1, g * g, g * g + 1, g * g + g, g * g + g + 1] { corners[index + corner] = true }
        }
        table = Transfer(from: source, to: target).sampled(Self.gridLabs, at: corners.indices.filter { corners[$0] })
    }

    /// [3, G³] planar Lab of the grid colours, red slowest: the same for every recolourer.
    static let gridLabs: [Float] = {
        let g = gridSize, n = g * g * g
        var rgb = [Float](repeating: 0, count: 3 * n), labs = rgb
        for i in 0..<n {
            (rgb[i], rgb[n + i], rgb[2 * n + i]) = (Float(i / (g * g)) / Float(g - 1), Float(i / g % g) / Float(g - 1), Float(i % g) / Float(g - 1))
        }
        rgb.withUnsafeBufferPointer { source in labs.withUnsafeMutableBufferPointer { Lab.convert(planarRGB: source, into: $0) } }
        return labs
    }()

    /// The grid cell holding an sRGB colour (channels clamped to [0, 1]): its lowest corner and the
    /// colour's position inside it, each in [0, 1].
    @inline(__always) static func cell(_ r: Float, _ g: Float, _ b: Float) -> (r0: Int, g0: Int, b0: Int, tr: Float, tg: Float, tb: Float) {
        let top = Float(gridSize - 1)
        let (fr, fg, fb) = (min(max(r, 0), 1) * top, min(max(g, 0), 1) * top, min(max(b, 0), 1) * top)
        let (r0, g0, b0) = (min(Int(fr), gridSize - 2), min(Int(fg), gridSize - 2), min(Int(fb), gridSize - 2))
        return (r0, g0, b0, fr - Float(r0), fg - Float(g0), fb - Float(b0))
    }

    public func fullyRecoloured(_ image: Image) -> Image {
        let plane = image.width * image.height, g = Self.gridSize
        var result = image
        result.pixels.withUnsafeMutableBufferPointer { out in
            image.pixels.withUnsafeBufferPointer { source in
                table.withUnsafeBufferPointer { lut in
                    for i in 0..<plane {
                        let (r0, g0, b0, tr, tg, tb) = Self.cell(source[i], source[plane + i], source[2 * plane + i])
                        let base = ((r0 * g + g0) * g + b0) * 3
                        let (dr, dg, db) = (g * g * 3, g * 3, 3)
                        for c in 0..<3 {
                            let p = base + c
                            let c00 = lut[p] + tb * (lut[p + db] - lut[p])
                            let c01 = lut[p + dg] + tb * (lut[p + dg + db] - lut[p + dg])
                            let c10 = lut[p + dr] + tb * (lut[p + dr + db] - lut[p + dr])
                            let c11 = lut[p + dr + dg] + tb * (lut[p + dr + dg + db] - lut[p + dr + dg])
                            let c0 = c00 + tg * (c01 - c00), c1 = c10 + tg * (c11 - c10)
                            out[c * plane + i] = c0 + tr * (c1 - c0)
                        }
                    }
                }
            }
        }
        return result
    }
}
