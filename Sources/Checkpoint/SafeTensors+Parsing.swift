extension SafeTensorsFile {
    /// Headers beyond this are refused before allocating for them, as the reference implementation does.
    public static let maximumHeaderLength = 100_000_000

    /// Reads the whole file with one read, then parses and validates it.
    public init(contentsOf path: String) throws {
        try self.init(parsing: POSIXFile.readAll(path), file: path)
    }

    /// Parses `bytes`, checking the header completely (types, dtypes, shapes, sizes, and that the
    /// tensors tile the data section exactly) before any tensor data is copied. `file` only labels errors.
    public init(parsing bytes: [UInt8], file: String? = nil) throws {
        func fail(_ tensor: String?, _ problem: SafeTensorsError.Problem) -> SafeTensorsError {
            SafeTensorsError(file: file, tensor: tensor, problem: problem)
        }
        guard bytes.count >= 8 else { throw fail(nil, .fileTooShort(size: bytes.count)) }
        let headerLength = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(Self.maximumHeaderLength) else {
            throw fail(nil, .headerTooLarge(headerLength: headerLength, limit: Self.maximumHeaderLength))
        }
        guard 8 + Int(headerLength) <= bytes.count else {
            throw fail(nil, .headerBeyondFile(headerLength: headerLength, fileSize: bytes.count))
        }
        let dataStart = 8 + Int(headerLength)
        let dataSize = bytes.count - dataStart
        let headerBytes = Array(bytes[8..<dataStart])
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw fail(nil, .headerNotUTF8) }

        let root: HeaderJSON.Value
        do {
            root = try HeaderJSON.parse(headerBytes)
        } catch let error as HeaderJSON.ParseError {
            throw fail(nil, .invalidJSON(offset: error.offset, reason: error.reason))
        }
        guard case let .object(members) = root else { throw fail(nil, .headerNotObject(found: root.kindName)) }

        var metadata: [String: String] = [:]
        var layout: [Layout] = []
        var seen = Set<String>()
        for (name, value) in members {
            guard seen.insert(name).inserted else { throw fail(name, .duplicateName) }
            if name == Self.metadataKey {
                metadata = try Self.metadata(value, fail: { fail(name, $0) })
            } else {
                layout.append(try Self.layout(name: name, value, fail: { fail(name, $0) }))
            }
        }
        try Self.checkTiling(layout, dataSize: dataSize, fail: fail)

        var tensors: [String: TensorEntry] = [:]
        tensors.reserveCapacity(layout.count)
        for item in layout {
            let data = Array(bytes[(dataStart + item.begin)..<(dataStart + item.end)])
            tensors[item.name] = TensorEntry(dtype: item.dtype, shape: item.shape, bytes: data)
        }
        self.init(metadata: metadata, tensors: tensors)
    }

    /// A header entry once its fields are checked, before its data is read.
    private struct Layout {
        var name: String
        var dtype: SafeTensorsDType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    private static func metadata(_ value: HeaderJSON.Value, fail: (SafeTensorsError.Problem) -> SafeTensorsError) throws -> [String: String] {
        guard case let .object(pairs) = value else { throw fail(.metadataNotObject(found: value.kindName)) }
        var metadata: [String: String] = [:]
        for (key, value) in pairs {
            guard case let .string(text) = value else { throw fail(.metadataValueNotString(key: key, found: value.kindName)) }
            metadata[key] = text
        }
        return metadata
    }

    private static func layout(name: String, _ value: HeaderJSON.Value, fail: (SafeTensorsError.Problem) -> SafeTensorsError) throws -> Layout {
        guard case let .object(fields) = value else { throw fail(.entryNotObject(found: value.kindName)) }
        func field(_ key: String) throws -> HeaderJSON.Value {
            guard let value = fields.first(where: { $0.key == key })?.value else { throw fail(.missingField(key)) }
            return value
        }
        func integers(_ key: String) throws -> [String] {
            let value = try field(key)
            guard case let .array(elements) = value else {
                throw fail(.wrongFieldType(field: key, expected: "an array of integers", found: value.kindName))
            }
            return try elements.map {
                guard case let .number(text) = $0 else {
                    throw fail(.wrongFieldType(field: key, expected: "an array of integers", found: "an array holding \($0.kindName)"))
                }
                return text
            }
        }

        let dtypeValue = try field("dtype")
        guard case let .string(dtypeName) = dtypeValue else {
            throw fail(.wrongFieldType(field: "dtype", expected: "a string", found: dtypeValue.kindName))
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else { throw fail(.unknownDType(dtypeName)) }

        let shape = try integers("shape").enumerated().map { index, text in
            guard let dimension = nonNegativeInteger(text) else { throw fail(.invalidDimension(index: index, text: text)) }
            return dimension
        }
        let offsetTexts = try integers("data_offsets")
        guard offsetTexts.count == 2 else {
            throw fail(.wrongFieldType(field: "data_offsets", expected: "two integers [begin, end]", found: "\(offsetTexts.count) numbers"))
        }
        let offsets = try offsetTexts.map { text in
            guard let offset = nonNegativeInteger(text) else { throw fail(.invalidOffset(text: text)) }
            return offset
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else { throw fail(.offsetsReversed(begin: begin, end: end)) }

        var expected = dtype.size
        for dimension in shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw fail(.sizeMismatch(expectedBytes: Int.max, actualBytes: end - begin)) }
            expected = product
        }
        guard expected == end - begin else { throw fail(.sizeMismatch(expectedBytes: expected, actualBytes: end - begin)) }
        return Layout(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// The tensors, taken in offset order, must cover `0..<dataSize` exactly once.
    private static func checkTiling(_ layout: [Layout], dataSize: Int,
                                    fail: (String?, SafeTensorsError.Problem) -> SafeTensorsError) throws {
        for item in layout where item.end > dataSize {
            throw fail(item.name, .offsetsOutOfBounds(begin: item.begin, end: item.end, dataSize: dataSize))
        }
        let ordered = layout.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var covered = 0
        var previous: Layout?
        for item in ordered {
            if item.begin < covered, let previous {
                throw fail(item.name, .overlaps(other: previous.name, begin: item.begin, otherEnd: previous.end))
            }
            if item.begin > covered { throw fail(item.name, .gapBefore(begin: item.begin, expected: covered)) }
            covered = item.end
            previous = item
        }
        if covered != dataSize { throw fail(nil, .trailingData(coveredBytes: covered, dataSize: dataSize)) }
    }

    /// Plain decimal digits that fit in Int; "-1", "2.0" and "1e3" are all refused.
    private static func nonNegativeInteger(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(text)
    }
}
