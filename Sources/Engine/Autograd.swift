/// How a tensor was made: its inputs, and how to send its gradient back to them.
/// `backward` receives the output (whose gradient is set) rather than capturing it, so a node never
/// keeps its own output alive.
final class Node {
    let inputs: [Tensor]
    let backward: (_ output: Tensor) -> Void
    /// The kind of op being timed when this node was recorded, so its backward counts to the same.
    let kind: OpClock.Kind?

    init(inputs: [Tensor], backward: @escaping (_ output: Tensor) -> Void) {
        self.inputs = inputs
        self.backward = backward
        kind = OpClock.current
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
    func recorded(from inputs: [Tensor], backward: @escaping (_ output: Tensor) -> Void) -> Tensor {
        if isRecordingGradients && inputs.contains(where: \.requiresGrad) {
            requiresGrad = true
            node = Node(inputs: inputs, backward: backward)
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

    private func backward(seed: () -> Void) {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            if expanded { order.append(tensor); continue }
            guard tensor.node != nil, visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.node!.inputs where input.node != nil { stack.append((input, false)) }
        }
        seed()
        // Popped as they are done, so each intermediate (and what its node captured) is freed as soon
        // as its gradient has gone on: memory falls as backward runs instead of peaking at its end.
        while let tensor = order.popLast() {
            let node = tensor.node!
            tensor.node = nil
            if tensor.gradStorage != nil { OpClock.measure(node.kind) { node.backward(tensor) } }
            tensor.gradStorage = nil
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
