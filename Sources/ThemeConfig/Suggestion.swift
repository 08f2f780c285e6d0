/// The candidate nearest to a misspelt `name` by edit distance, if near enough to be a plausible
/// typo: at most a third of the word's letters wrong (at least one, at most three).
public func suggestion(for name: String, among candidates: [String]) -> String? {
    let allowed = min(3, max(1, name.count / 3))
    let ranked = candidates
        .map { (candidate: $0, distance: editDistance(name.lowercased(), $0.lowercased())) }
        .filter { $0.distance <= allowed }
    return ranked.min { $0.distance < $1.distance }?.candidate
}

/// Levenshtein distance with adjacent transpositions counted as one edit (`bacth` → `batch`).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], previous2[j - 2] + 1)
            }
        }
        (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
}
