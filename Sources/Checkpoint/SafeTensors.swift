/// An element type of the safetensors format, spelled as in the header ("F32", "I64", ...).
public enum SafeTensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8", i8 = "I8"
    case u16 = "U16", i16 = "I16", f16 = "F16", bf16 = "BF16"
    case u32 = "U32", i32 = "I32", f32 = "F32"
    case u64 = "U64", i64 = "I64", f64 = "F64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8: return 1
        case .u16, .i16, .f16, .bf16: return 2
        case .u32, .i32, .f32: return 4
        case .u64, .i64, .f64: return 8
        }
    }

    public var isFloatingPoint: Bool { [.f16, .bf16, .f32, .f64].contains(self) }
}

/// One tensor: element type, shape, and its bytes exactly as stored (little-endian, row-major).
/// Immutable so that `bytes.count == shape product × dtype size` always holds.
public struct TensorEntry: Equatable, Sendable {
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    public let bytes: [UInt8]

    public init(dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "tensor dimensions are non-negative, got \(shape)")
        precondition(bytes.count == shape.reduce(1, *) * dtype.size,
                     "\(dtype.rawValue) tensor of shape \(shape) needs \(shape.reduce(1, *) * dtype.size) bytes, got \(bytes.count)")
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    public var elementCount: Int { shape.reduce(1, *) }

    /// `values` stored as F32 (bit-exact) or rounded to F16 or BF16; `shape` must hold `values.count` elements.
    public init(floats values: [Float], shape: [Int], dtype: SafeTensorsDType = .f32) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        let bytes = [UInt8](unsafeUninitializedCapacity: values.count * dtype.size) { raw, initialized in
            values.withUnsafeBufferPointer { src in
                let raw = UnsafeMutableRawBufferPointer(raw)
                switch dtype {
                case .f32:
                    #if _endian(little)
                    raw.copyMemory(from: UnsafeRawBufferPointer(src))
                    #else
                    let dst = raw.bindMemory(to: UInt32.self)
                    for i in 0..<src.count { dst[i] = src[i].bitPattern.littleEndian }
                    #endif
                case .f16:
                    let dst = raw.bindMemory(to: UInt16.self)
                    for i in 0..<src.count { dst[i] = Float16(src[i]).bitPattern.littleEndian }
                case .bf16:
                    let dst = raw.bindMemory(to: UInt16.self)
                    for i in 0..<src.count { dst[i] = Self.bfloat16Bits(src[i]).littleEndian }
                case .f64:
                    let dst = raw.bindMemory(to: UInt64.self)
                    for i in 0..<src.count { dst[i] = Double(src[i]).bitPattern.littleEndian }
                default:
                    preconditionFailure("\(dtype.rawValue) is not a floating-point dtype")
                }
            }
            initialized = values.count * dtype.size
        }
        self.init(dtype: dtype, shape: shape, bytes: bytes)
    }

    /// Counters and RNG words, stored as I64.
    public init(int64s values: [Int64], shape: [Int]) {
        self.init(words: values.map { UInt64(bitPattern: $0) }, shape: shape, dtype: .i64)
    }

    /// Counters and RNG words, stored as U64.
    public init(uint64s values: [UInt64], shape: [Int]) {
        self.init(words: values, shape: shape, dtype: .u64)
    }

    private init(words: [UInt64], shape: [Int], dtype: SafeTensorsDType) {
        precondition(shape.reduce(1, *) == words.count, "shape \(shape) does not hold \(words.count) values")
        var bytes = [UInt8](repeating: 0, count: words.count * 8)
        bytes.withUnsafeMutableBytes { raw in
            let dst = raw.bindMemory(to: UInt64.self)
            for i in 0..<words.count { dst[i] = words[i].littleEndian }
        }
        self.init(dtype: dtype, shape: shape, bytes: bytes)
    }

    /// The elements widened or narrowed to Float, or nil when the dtype is not floating point.
    public func floats() -> [Float]? {
        guard dtype.isFloatingPoint else { return nil }
        let count = elementCount
        return bytes.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { dst, initialized in
                switch dtype {
                case .f32:
                    #if _endian(little)
                    UnsafeMutableRawBufferPointer(dst).copyMemory(from: raw)
                    #else
                    for i in 0..<count { dst[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                    #endif
                case .f16:
                    for i in 0..<count { dst[i] = Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))) }
                case .bf16:
                    for i in 0..<count { dst[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
                default:
                    for i in 0..<count { dst[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
                }
                initialized = count
            }
        }
    }

    /// The elements of an I64 or U64 tensor as raw 64-bit words, or nil for other dtypes.
    public func words() -> [UInt64]? {
        guard dtype == .i64 || dtype == .u64 else { return nil }
        let count = elementCount
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) }
        }
    }

    /// Round to nearest even on the upper 16 bits; NaN stays a (quiet) NaN.
    static func bfloat16Bits(_ x: Float) -> UInt16 {
        if x.isNaN { return UInt16(truncatingIfNeeded: (x.bitPattern >> 16) | 0x0040) }
        let bits = x.bitPattern
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }
}

/// A whole safetensors file in memory: string metadata plus named tensors. Serialising is
/// deterministic (names sorted), so equal values give equal bytes.
public struct SafeTensorsFile: Equatable, Sendable {
    /// The header key that holds metadata rather than a tensor.
    public static let metadataKey = "__metadata__"

    public var metadata: [String: String]
    public var tensors: [String: TensorEntry]

    public init(metadata: [String: String] = [:], tensors: [String: TensorEntry] = [:]) {
        self.metadata = metadata
        self.tensors = tensors
    }

    public func entry(_ name: String) throws -> TensorEntry {
        guard let entry = tensors[name] else { throw SafeTensorsError(tensor: name, problem: .tensorNotFound) }
        return entry
    }

    /// A floating-point tensor (F32, F16, BF16 or F64) as Float.
    public func floats(_ name: String) throws -> [Float] {
        let entry = try entry(name)
        guard let values = entry.floats() else {
            throw SafeTensorsError(tensor: name, problem: .wrongDType(expected: "a floating-point dtype", found: entry.dtype.rawValue))
        }
        return values
    }

    public func int64s(_ name: String) throws -> [Int64] {
        try words(name, as: .i64).map { Int64(bitPattern: $0) }
    }

    public func uint64s(_ name: String) throws -> [UInt64] {
        try words(name, as: .u64)
    }

    private func words(_ name: String, as dtype: SafeTensorsDType) throws -> [UInt64] {
        let entry = try entry(name)
        guard entry.dtype == dtype, let words = entry.words() else {
            throw SafeTensorsError(tensor: name, problem: .wrongDType(expected: dtype.rawValue, found: entry.dtype.rawValue))
        }
        return words
    }

    public mutating func setFloats(_ name: String, _ values: [Float], shape: [Int], as dtype: SafeTensorsDType = .f32) {
        tensors[name] = TensorEntry(floats: values, shape: shape, dtype: dtype)
    }

    public mutating func setInt64s(_ name: String, _ values: [Int64], shape: [Int]? = nil) {
        tensors[name] = TensorEntry(int64s: values, shape: shape ?? [values.count])
    }

    public mutating func setUInt64s(_ name: String, _ values: [UInt64], shape: [Int]? = nil) {
        tensors[name] = TensorEntry(uint64s: values, shape: shape ?? [values.count])
    }
}
