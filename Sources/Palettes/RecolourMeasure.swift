import Evaluation
import Imaging

/// How a recolouring did, over pictures and their recoloured versions: how far colours moved, how
/// much closer the colour distribution came to the target palette's, and whether lightness
/// structure survived.
public struct RecolourMeasure: Sendable, Equatable {
    /// Mean ΔE76 between each picture and its result, per pixel.
    public let meanDeltaE: Double
    /// `ColourHistogramDistance` (mean of L, a, b earth mover's distances) from the originals, and
    /// from the results, to the target palette's distribution (a strip of its colours by weight).
    public let originalDistance: Double, resultDistance: Double
    /// Pearson correlation of the L planes of originals and results, pooled over all pixels.
    public let lightnessCorrelation: Double

    /// The fraction by which the distance to the target fell (1 = reached it, < 0 = moved away).
    public var distanceFall: Double { 1 - resultDistance / originalDistance }

    /// `originals` and `results` pair up, same sizes.
    public init(originals: [Image], results: [Image], target: Palette) throws(EvaluationError) {
        precondition(originals.count == results.count, "a measure pairs each picture with its result")
        guard let first = originals.first else { throw .emptySet(set: "originals") }
        let strip = [target.strip(width: first.width, height: first.height)]
        originalDistance = try ColourHistogramDistance().distance(originals, strip).mean
        resultDistance = try ColourHistogramDistance().distance(results, strip).mean
        var deltaSum = 0.0, n = 0.0
        var (sumX, sumY, sumXX, sumYY, sumXY) = (0.0, 0.0, 0.0, 0.0, 0.0)
        for (original, result) in zip(originals, results) {
            precondition(original.width == result.width && original.height == result.height, "a result keeps its picture's size")
            let plane = original.width * original.height
            for i in 0..<plane {
                let (x, y) = (original.lab(at: i), result.lab(at: i))
                deltaSum += Double(x.distance(to: y))
                let (lx, ly) = (Double(x.l), Double(y.l))
                sumX += lx; sumY += ly; sumXX += lx * lx; sumYY += ly * ly; sumXY += lx * ly
            }
            n += Double(plane)
        }
        meanDeltaE = deltaSum / n
        let covariance = sumXY / n - sumX / n * sumY / n
        let deviations = ((sumXX / n - sumX * sumX / (n * n)) * (sumYY / n - sumY * sumY / (n * n))).squareRoot()
        lightnessCorrelation = deviations > 0 ? covariance / deviations : 1
    }
}
