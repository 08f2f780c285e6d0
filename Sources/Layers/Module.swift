import Engine

/// A layer or a network: parameters and buffers are stored properties, found by reflection and named
/// by their property path ("blocks.2.conv.weight"), so checkpoints and optimisers need no lists.
open class Module {
    /// Batch norm uses batch statistics and spectral norm iterates only while training.
    public private(set) var training = true

    public init() {}

    /// Sets training or evaluation mode on this module and every module inside it.
    public func train(_ on: Bool = true) {
        training = on
        for (_, child) in children() { child.train(on) }
    }

    /// Trainable tensors by path.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        namedState().filter { $0.tensor.requiresGrad }
    }

    /// Runs `body` with this module's parameters held constant (see `withFrozen`): a backward inside it
    /// flows through the module to its inputs only.
    public func frozen<T>(_ body: () throws -> T) rethrows -> T {
        try withFrozen(namedParameters().map(\.tensor), body)
    }

    /// Parameters and buffers (running statistics, power-iteration vectors) by path: all a checkpoint holds.
    public func namedState() -> [(name: String, tensor: Tensor)] {
        var result: [(String, Tensor)] = []
        for (label, value) in storedProperties() {
            collect(value, path: label, into: &result)
        }
        return result
    }

    /// The modules of type `T` inside this one (itself included), depth first in declaration order.
    public func modules<T>(of type: T.Type) -> [T] {
        [self as? T].compactMap { $0 } + children().flatMap { $0.1.modules(of: type) }
    }

    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.tensor.count } }

    private func collect(_ value: Any, path: String, into result: inout [(String, Tensor)]) {
        switch value {
        case let tensor as Tensor: result.append((path, tensor))
        case let module as Module: result += module.namedState().map { ("\(path).\($0.name)", $0.tensor) }
        case let modules as [Module]:
            for (i, m) in modules.enumerated() { collect(m, path: "\(path).\(i)", into: &result) }
        default:
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value {
                collect(wrapped, path: path, into: &result)
            }
        }
    }

    private func children() -> [(String, Module)] {
        storedProperties().flatMap { label, value -> [(String, Module)] in
            switch value {
            case let module as Module: return [(label, module)]
            case let modules as [Module]: return modules.enumerated().map { ("\(label).\($0.offset)", $0.element) }
            default:
                let mirror = Mirror(reflecting: value)
                if mirror.displayStyle == .optional, let module = mirror.children.first?.value as? Module {
                    return [(label, module)]
                }
                return []
            }
        }
    }

    /// Stored properties of this class and its superclasses, in declaration order.
    private func storedProperties() -> [(String, Any)] {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror {
            mirrors.append(m)
            mirror = m.superclassMirror
        }
        return mirrors.reversed().flatMap { m in m.children.compactMap { c in c.label.map { ($0, c.value) } } }
    }
}
