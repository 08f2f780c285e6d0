import Imaging

extension Palette {
    /// Which of `other`'s colours stand for each of this palette's, as (own, other) index pairs in
    /// which every colour of both palettes appears at least once: an optimal one-to-one assignment
    /// for min(k, k') pairs, then each colour left over on the larger side joins its cheapest partner.
    ///
    /// The cost of a pair is ΔE76 + 50·|weight difference|, so among similar colours the dominant
    /// ones pair up (a 10-point share difference weighs like 5 ΔE).
    public func matches(to other: Palette) -> [(own: Int, other: Int)] {
        let (mine, theirs) = (labs, other.labs)
        let costs = mine.indices.map { i in
            theirs.indices.map { j in Double(mine[i].distance(to: theirs[j])) + 50 * Double(abs(weights[i] - other.weights[j])) }
        }
        let assigned = OptimalAssignment.columns(for: costs)
        var pairs: [(own: Int, other: Int)] = []
        for (i, column) in assigned.enumerated() {
            let j = column ?? theirs.indices.min { costs[i][$0] < costs[i][$1] }!
            pairs.append((i, j))
        }
        let used = Set(assigned.compactMap { $0 })
        for j in theirs.indices where !used.contains(j) {
            pairs.append((mine.indices.min { costs[$0][j] < costs[$1][j] }!, j))
        }
        return pairs
    }

    /// This palette's colours gathered onto `reference`'s, one entry per reference colour: a colour
    /// standing for several reference colours splits its weight evenly among them; several colours
    /// standing for one become their weighted Lab mean (a single one is kept untouched).
    func gathered(onto reference: Palette) -> [(colour: RGB, lab: Lab, weight: Float)] {
        let pairs = reference.matches(to: self), labs = self.labs
        var uses = [Int](repeating: 0, count: count)
        for pair in pairs { uses[pair.other] += 1 }
        var partners = [[Int]](repeating: [], count: reference.count)
        for pair in pairs { partners[pair.own].append(pair.other) }
        return partners.map { members in
            let carried = members.map { weights[$0] / Float(uses[$0]) }
            let weight = carried.reduce(0, +)
            if members.count == 1 { return (colours[members[0]], labs[members[0]], weight) }
            let shares = weight > 0 ? carried.map { $0 / weight } : carried.map { _ in 1 / Float(members.count) }
            let mean = Lab.mix(members.map { labs[$0] }, shares: shares)
            return (mean.rgb, mean, weight)
        }
    }
}
