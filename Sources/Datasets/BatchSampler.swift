import Engine

/// Training batches drawn without replacement: each epoch is a fresh shuffle of the dataset (and,
/// with `flip`, a fresh coin per picture for mirroring). Batch k is a pure function of (seed, k),
/// so a resumed run only needs `nextBatch` back.
public struct BatchSampler {
    public let dataset: Dataset
    public let batchSize: Int
    public let seed: UInt64
    public let flip: Bool
    /// The number of the batch `next()` returns; save it with a checkpoint to resume exactly.
    public var nextBatch = 0

    /// One picture of a batch: which, and whether mirrored.
    public struct Pick: Equatable, Sendable {
        public let index: Int
        public let flipped: Bool
    }

    public init(dataset: Dataset, batchSize: Int, seed: UInt64, flip: Bool) {
        precondition(batchSize > 0 && dataset.count > 0, "a batch of \(batchSize) from \(dataset.count) pictures")
        self.dataset = dataset
        self.batchSize = batchSize
        self.seed = seed
        self.flip = flip
    }

    /// Passes over the dataset completed before `nextBatch`.
    public var epoch: Int { nextBatch * batchSize / dataset.count }

    /// [B, 3, R, R] in [-1, 1] (or the pictures at `slice` of it); advances `nextBatch`.
    public mutating func next(slice: Range<Int>? = nil) -> Tensor {
        defer { nextBatch += 1 }
        return batch(nextBatch, slice: slice)
    }

    /// Batch `number` as [B, 3, R, R] in [-1, 1], or only its pictures at `slice` (one rank's share of a
    /// batch split over processes) as [slice.count, 3, R, R].
    public func batch(_ number: Int, slice: Range<Int>? = nil) -> Tensor {
        let picks = Array(self.picks(ofBatch: number)[slice ?? 0..<batchSize])
        let r = dataset.resolution
        let size = 3 * r * r
        let out = Tensor(zeros: [picks.count, 3, r, r])
        let y = out.data
        dataset.pixels.withUnsafeBufferPointer { bytes in
            Parallel.chunks(picks.count, grain: max(1, 32_768 / size)) { range in
                for b in range {
                    let source = bytes.baseAddress! + picks[b].index * size, target = y + b * size
                    for row in 0..<(3 * r) {
                        let from = source + row * r, to = target + row * r
                        if picks[b].flipped {
                            for x in 0..<r { to[x] = Float(from[r - 1 - x]) * (2 / 255) - 1 }
                        } else {
                            for x in 0..<r { to[x] = Float(from[x]) * (2 / 255) - 1 }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The pictures of batch `number`: positions number·B ..< (number+1)·B of the endless sequence of epochs.
    public func picks(ofBatch number: Int) -> [Pick] {
        precondition(number >= 0, "batch \(number)")
        let n = dataset.count
        let first = number * batchSize
        var plan = (epoch: -1, order: [Int](), flips: [Bool]())
        return (first..<(first + batchSize)).map { position in
            let (epoch, offset) = position.quotientAndRemainder(dividingBy: n)
            if epoch != plan.epoch { plan = (epoch, order(epoch: epoch), flips(epoch: epoch)) }
            return Pick(index: plan.order[offset], flipped: plan.flips[offset])
        }
    }

    /// Fisher–Yates over 0..<N from the epoch's own stream.
    private func order(epoch: Int) -> [Int] {
        var rng = RandomGenerator(seed: seed).derived(UInt64(2 * epoch))
        return rng.permutation(dataset.count)
    }

    /// Per position of the epoch, whether that picture is mirrored.
    private func flips(epoch: Int) -> [Bool] {
        guard flip else { return Array(repeating: false, count: dataset.count) }
        var rng = RandomGenerator(seed: seed).derived(UInt64(2 * epoch + 1))
        return (0..<dataset.count).map { _ in rng.next() >> 63 == 1 }
    }
}
