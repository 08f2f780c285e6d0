import Imaging

/// Why two image sets could not be compared.
public enum EvaluationError: Error, Equatable, CustomStringConvertible {
    /// `set` is "first" or "second".
    case emptySet(set: String)
    /// Every image of both sets must have the first image's size.
    case sizeMismatch(set: String, index: Int, width: Int, height: Int, expectedWidth: Int, expectedHeight: Int)
    case tooSmall(width: Int, height: Int, minimum: Int)
    /// `set` is "real" or "measured".
    case tooFew(set: String, count: Int, minimum: Int)

    public var description: String {
        switch self {
        case .emptySet(let set): return "the \(set) image set is empty"
        case .sizeMismatch(let set, let index, let width, let height, let expectedWidth, let expectedHeight):
            return "image \(index) of the \(set) set is \(width)×\(height); expected \(expectedWidth)×\(expectedHeight) like the rest"
        case .tooSmall(let width, let height, let minimum):
            return "images of \(width)×\(height) are too small; both sides must be at least \(minimum)"
        case .tooFew(let set, let count, let minimum):
            return "\(count) \(set) picture\(count == 1 ? " is" : "s are") too few to measure; at least \(minimum) are needed"
        }
    }
}

/// Checks that both sets are non-empty and all images share one size of at least `minimum` per side.
func checkComparable(_ first: [Image], _ second: [Image], minimum: Int) throws(EvaluationError) -> (width: Int, height: Int) {
    guard let reference = first.first else { throw .emptySet(set: "first") }
    guard !second.isEmpty else { throw .emptySet(set: "second") }
    for (set, images) in [("first", first), ("second", second)] {
        for (index, image) in images.enumerated() where image.width != reference.width || image.height != reference.height {
            throw .sizeMismatch(set: set, index: index, width: image.width, height: image.height,
                                expectedWidth: reference.width, expectedHeight: reference.height)
        }
    }
    guard min(reference.width, reference.height) >= minimum else {
        throw .tooSmall(width: reference.width, height: reference.height, minimum: minimum)
    }
    return (reference.width, reference.height)
}
