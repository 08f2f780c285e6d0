/// A float32 array with a shape (NCHW for images) that remembers how it was made, so gradients can
/// flow back through it.
public final class Tensor: @unchecked Sendable {
    public let shape: [Int]
    public let count: Int
    /// The values; nil while a tensor that can remake them (`remake`) has let them go.
    private var values: Storage?
    /// `values`' memory, read on every access to `data` without touching the owner's reference count.
    private var base: UnsafeMutablePointer<Float>?
    /// Makes this tensor's values again from what the op that made it keeps for its backward anyway
    /// (batch norm's input and statistics, a convolution's input): set on a batch norm's output and on a
    /// convolution from a few channels to many (`conv2d`), so a convolution reading it can let its values
    /// go after forward and have them remade in backward, a cheap pass instead of a tensor the size of
    /// an activation held from forward to backward.
    var remake: (() -> Storage)?
    /// Bit i set where value i ≤ 0 (`neurossia_nonpositive_bits`), for a remakeable output of a ReLU-like
    /// activation: its derivative is a function of the sign, so the op's backward gates by these bits
    /// instead of remaking the values (a tensor of its size at that moment; 1/32 of it held instead).
    var signBits: Tensor?
    /// True for parameters and for everything computed from them while gradients are recorded.
    public internal(set) var requiresGrad: Bool
    /// ∂loss/∂self after `backward()`, same shape; nil until something flows into it.
    var gradStorage: Storage?
    /// The op that produced this tensor; nil for leaves and once backward has consumed it.
    var node: Node?

    init(shape: [Int], storage: Storage, requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        precondition(storage.count == count, "storage of \(storage.count) floats for shape \(shape)")
        (values, base) = (storage, storage.base)
        self.requiresGrad = requiresGrad
    }

    /// Uninitialised memory from the pool: every caller overwrites all of it.
    public init(uninitialized shape: [Int]) {
        let count = shape.reduce(1, *)
        self.shape = shape
        self.count = count
        let storage = Storage(count: count)
        (values, base) = (storage, storage.base)
        self.requiresGrad = false
    }

    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(uninitialized: shape)
        Parallel.zero(data, count: count)
        self.requiresGrad = requiresGrad
    }

    public convenience init(_ values: [Float], shape: [Int], requiresGrad: Bool = false) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        self.init(uninitialized: shape)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
        self.requiresGrad = requiresGrad
    }

    public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
        self.init(uninitialized: shape)
        data.initialize(repeating: value, count: count)
        self.requiresGrad = requiresGrad
    }

    /// Standard normal values scaled by `std`, drawn from `rng` in order.
    public convenience init(randomNormal shape: [Int], std: Float = 1, rng: inout RandomGenerator) {
        self.init(uninitialized: shape)
        for i in 0..<count { data[i] = std * rng.normal() }
    }

    public var data: UnsafeMutablePointer<Float> { base ?? storage.base }

    /// The values' memory, remade first if they were let go. Not for several threads at once while
    /// they may be let go: ops read it before they split work over the cores.
    var storage: Storage {
        if let values { return values }
        let remade = remake!()
        precondition(remade.count == count, "remade \(remade.count) values for a tensor of \(count)")
        (values, base) = (remade, remade.base)
        return remade
    }

    /// Lets go of the values where they can be remade (`remake`): a convolution calls this on its input
    /// after forward, when recording, since its backward is the next reader; and in backward once its
    /// weight gradient has read them, so that they are not held beside the input gradient it makes next.
    func letGoOfValuesIfRemakeable() {
        if remake != nil { letGoOfValues() }
    }

    /// Lets go of the values for good, unless they can be remade: for an output no one will read again.
    func letGoOfValues() { (values, base) = (nil, nil) }

    public var rank: Int { shape.count }
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }
    public var item: Float {
        precondition(count == 1, "item of a tensor with \(count) values")
        return data[0]
    }

    /// The accumulated gradient, or nil when nothing flowed into this tensor.
    public var grad: [Float]? { gradStorage.map { Array(UnsafeBufferPointer(start: $0.base, count: count)) } }
    public var gradData: UnsafeMutablePointer<Float>? { gradStorage?.base }

    /// Marks a leaf as a trainable parameter.
    public func requiringGrad() -> Tensor {
        precondition(node == nil, "only leaves become parameters")
        requiresGrad = true
        return self
    }

    /// The same values cut off from the graph: gradients stop here.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A new leaf with the same shape and values, which later writes to either leave the other alone.
    func copied() -> Tensor {
        let copy = Tensor(uninitialized: shape)
        copy.copy(from: self)
        return copy
    }

    /// Overwrites the values from another tensor of the same size (checkpoints, EMA).
    public func copy(from other: Tensor) {
        precondition(other.count == count, "copy of \(other.shape) into \(shape)")
        data.update(from: other.data, count: count)
    }

    public func copy(from values: [Float]) {
        precondition(values.count == count, "\(values.count) values into \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    /// Forgets the gradient (before an optimiser step's backward pass): its memory goes back to the
    /// pool, and the next backward pass starts from zeros, as PyTorch's `set_to_none`.
    public func zeroGrad() { gradStorage = nil }
}
