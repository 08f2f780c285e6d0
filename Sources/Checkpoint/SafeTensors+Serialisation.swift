extension SafeTensorsFile {
    /// The file's bytes: 8-byte little-endian header length, the JSON header (metadata first, then
    /// tensors by sorted name) padded with spaces to a multiple of 8, then each tensor's data in
    /// header order with no gaps.
    public func serialized() -> [UInt8] {
        precondition(tensors[Self.metadataKey] == nil, "\"\(Self.metadataKey)\" is reserved for metadata, not a tensor name")
        let names = tensors.keys.sorted()
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { HeaderJSON.quoted($0) + ":" + HeaderJSON.quoted(metadata[$0]!) }
            fields.append(HeaderJSON.quoted(Self.metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var dataSize = 0
        for name in names {
            let entry = tensors[name]!
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append(HeaderJSON.quoted(name)
                + ":{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(dataSize),\(dataSize + entry.bytes.count)]}")
            dataSize += entry.bytes.count
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + dataSize)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for name in names { out.append(contentsOf: tensors[name]!.bytes) }
        return out
    }

    /// Writes the file atomically (see `AtomicFile.write`), optionally keeping the file it replaces
    /// as `<name>.prev.<ext>` to fall back to.
    public func write(to path: String, keepPrevious: Bool = false) throws {
        try AtomicFile.write(serialized(), to: path, keepPrevious: keepPrevious)
    }
}
