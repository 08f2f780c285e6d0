import Synchronization

/// How a tensor was made: its inputs, and how to send its gradient back to them.
/// `backward` receives the output (whose gradient is set) rather than capturing it, so a node never
/// keeps its own output alive.
final class Node {
    let inputs: [Tensor]
    let backward: (_ output: Tensor) -> Void
    /// The kind of op being timed when this node was recorded, so its backward counts to the same.
    let kind: OpClock.Kind?
    /// The layer multiply-adds per multiply-add run when it was recorded (`OpClock.counting`), for its backward's GEMMs.
    let definedPerRun: Double
    /// When it was recorded: backward runs nodes from the latest back.
    let sequence: Int
    /// Whether `backward` reads the output's values (an activation's derivative from its output), or
    /// only its gradient: then backward lets go of them before it runs, where nothing else holds the output.
    let readsOutput: Bool

    private static let recorded = Atomic<Int>(0)

    init(inputs: [Tensor], readsOutput: Bool, backward: @escaping (_ output: Tensor) -> Void) {
        self.inputs = inputs
        self.backward = backward
        self.readsOutput = readsOutput
        kind = OpClock.current
        definedPerRun = OpClock.definedPerRun
        sequence = Self.recorded.add(1, ordering: .relaxed).newValue
    }
}

/// Whether ops record their backward pass. Off inside `withoutGradients` (generation, EMA, metrics).
nonisolated(unsafe) var isRecordingGradients = true

/// Whether ops record now: layers that fold several ops into one for inference check this.
public var gradientsAreRecorded: Bool { isRecordingGradients }

/// Runs `body` without recording a graph: nothing it computes can be differentiated.
public func withoutGradients<T>(_ body: () throws -> T) rethrows -> T {
    let was = isRecordingGradients
    isRecordingGradients = false
    defer { isRecordingGradients = was }
    return try body()
}

extension Tensor {
    /// Attaches the op that made `self` from `inputs`, when any of them needs a gradient.
    @discardableResult
    func recorded(from inputs: [Tensor], readsOutput: Bool = true, backward: @escaping (_ output: Tensor) -> Void) -> Tensor {
        if isRecordingGradients && inputs.contains(where: \.requiresGrad) {
            requiresGrad = true
            node = Node(inputs: inputs, readsOutput: readsOutput, backward: backward)
        }
        return self
    }

    /// The gradient buffer, created as zeros on first use; backward rules add into it.
    var gradBuffer: UnsafeMutablePointer<Float> {
        if let g = gradStorage { return g.base }
        let g = Storage(count: count)
        Parallel.zero(g.base, count: count)
        gradStorage = g
        return g.base
    }

    /// The gradient buffer and whether a backward rule must add into it. A rule that writes every
    /// element (`writesAll`) gets a buffer nothing has flowed into yet unzeroed, and writes instead of
    /// adding: no zeroing pass and no read of zeros over the largest buffers of a step.
    func gradBuffer(writesAll: Bool) -> (pointer: UnsafeMutablePointer<Float>, adding: Bool) {
        guard writesAll && gradStorage == nil else { return (gradBuffer, true) }
        let g = Storage(count: count)
        gradStorage = g
        return (g.base, false)
    }

    /// For an op whose output has this tensor's shape and passes it its gradient unchanged (x + y,
    /// x + noise): when nothing has flowed into this tensor yet, takes the output's gradient buffer as
    /// its own and returns true; no zeroed buffer, no pass over it, no copy. The output's gradient is
    /// final once its rule runs and dropped after, but only one tensor may take it: the rule adds the
    /// gradient to any other operand, and to this one when this returns false.
    func tookGradient(of output: Tensor) -> Bool {
        guard gradStorage == nil, output.count == count, let whole = output.gradStorage else { return false }
        gradStorage = whole
        return true
    }

    /// Back-propagates from this scalar: every tensor it was computed from that requires a gradient
    /// receives ∂self/∂tensor added into its `grad`. The graph is consumed (intermediates are freed);
    /// parts not reached, e.g. behind a `detached()`, stay recorded.
    public func backward() {
        precondition(count == 1, "backward() starts from a scalar loss, not shape \(shape)")
        backward { self.gradBuffer[0] += 1 }
    }

    /// Back-propagates a given gradient of this tensor (same shape), as if it came from a later loss.
    public func backward(gradient: Tensor) {
        precondition(gradient.shape == shape, "gradient \(gradient.shape) for a tensor of shape \(shape)")
        backward {
            // Overwritten whole, so not zeroed first.
            if self.gradStorage == nil { self.gradStorage = Storage(count: self.count) }
            Parallel.copy(gradient.data, to: self.gradStorage!.base, count: self.count)
        }
    }

    /// Back-propagates this tensor's own values as its gradient, in its own buffer, which the pass may
    /// overwrite: for a timing (`ConvolutionTuning.trial`), where what flows does not matter and a
    /// gradient buffer the output's size would sit on top of everything live.
    func backwardFromOwnValues() {
        backward { self.gradStorage = self.storage }
    }

    /// `backward()` that also hands the index in `watched` of each of its tensors (leaves: parameters)
    /// to `final` as soon as every op that reads it has sent its gradient back: its gradient will not
    /// change again in this pass, and nothing later in the pass reads the tensor. Watched tensors the
    /// pass never reaches are not handed over.
    public func backward(watching watched: [Tensor], final: (_ index: Int) -> Void) {
        precondition(count == 1, "backward() starts from a scalar loss, not shape \(shape)")
        backward(watching: watched, final: final) { self.gradBuffer[0] += 1 }
    }

    private func backward(watching watched: [Tensor] = [], final: (_ index: Int) -> Void = { _ in },
                          seed: () -> Void) {
        // Every op this tensor was made from, run from the last recorded back: forward's order reversed,
        // as PyTorch's engine runs it. An op is recorded after its inputs, so each runs after all its
        // readers; and a weight's view (a reshape made just before the op that reads it) runs right after
        // that op, which finishes the weight's gradient there rather than at the end of the pass.
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [Tensor] = [self]
        while let tensor = stack.popLast() {
            guard tensor.node != nil, visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            order.append(tensor)
            stack += tensor.node!.inputs.filter { $0.node != nil }
        }
        order.sort { $0.node!.sequence < $1.node!.sequence }
        // Per watched tensor, its index and the readers left: the ops of this pass that take it as an input.
        var readers = Dictionary(uniqueKeysWithValues: watched.enumerated().map { (ObjectIdentifier($1), (index: $0, left: 0)) })
        if !readers.isEmpty {
            for tensor in order { for input in tensor.node!.inputs { readers[ObjectIdentifier(input)]?.left += 1 } }
        }
        seed()
        // Popped as they are done, so each intermediate (and what its node captured) is freed as soon
        // as its gradient has gone on: memory falls as backward runs instead of peaking at its end.
        while var tensor = order.popLast() {
            let node = tensor.node!
            tensor.node = nil
            // An intermediate whose values only its readers' backward read (they have run) goes before its
            // own backward makes the input gradients: D's pre-norm outputs beside their layers' dx.
            if !node.readsOutput && isKnownUniquelyReferenced(&tensor) { tensor.letGoOfValues() }
            if tensor.gradStorage != nil {
                OpClock.measure(node.kind) { OpClock.within(node.definedPerRun) { node.backward(tensor) } }
            }
            tensor.gradStorage = nil
            guard !readers.isEmpty else { continue }
            for input in node.inputs {
                guard let watched = readers[ObjectIdentifier(input)] else { continue }
                readers[ObjectIdentifier(input)]!.left -= 1
                if watched.left == 1 { final(watched.index) }
            }
        }
    }
}

/// Runs `body` with `parameters` held constant: ops record only what their other inputs need, so a
/// backward inside `body` sends gradients through the parameters' layers without computing any for
/// the parameters themselves (a generator step through the discriminator skips D's weight-gradient
/// GEMMs and buffers, which the next D step would have zeroed anyway). Backward must run inside.
public func withFrozen<T>(_ parameters: [Tensor], _ body: () throws -> T) rethrows -> T {
    let frozen = parameters.filter(\.requiresGrad)
    for parameter in frozen {
        precondition(parameter.node == nil, "only leaves are frozen")
        parameter.requiresGrad = false
    }
    defer { for parameter in frozen { parameter.requiresGrad = true } }
    return try body()
}
