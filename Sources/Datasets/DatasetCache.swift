import Foundation

/// A decoded dataset on disk: the magic `NRSCACHE`, the JSON header's length as a little-endian UInt64,
/// the JSON header, then the [N, 3, R, R] bytes, so a second load is a stat of the inputs and one read.
struct DatasetCache {
    let file: URL

    struct Header: Codable, Equatable {
        var version: Int
        /// Of everything the pictures were made from: source settings, and file names, sizes and times.
        var fingerprint: String
        var resolution: Int
        var count: Int
        /// Files that failed to decode when the cache was made; they are part of the fingerprint.
        var skipped: [SkippedFile]
    }

    static let magic = Array("NRSCACHE".utf8)
    /// Bumped whenever the layout or the decoding changes, so old caches are rebuilt.
    static let version = 1

    /// The cached pictures if the file exists, is whole and was made from `fingerprint`; nil otherwise.
    func load(fingerprint: String) -> (header: Header, pixels: [UInt8])? {
        let descriptor = open(file.path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        var prefix = [UInt8](repeating: 0, count: 16)
        guard readFully(descriptor, into: &prefix[...]), Array(prefix[0..<8]) == Self.magic else { return nil }
        let headerLength = prefix[8..<16].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard headerLength > 0, 16 + headerLength <= Int(status.st_size) else { return nil }
        var json = [UInt8](repeating: 0, count: headerLength)
        guard readFully(descriptor, into: &json[...]),
              let header = try? JSONDecoder().decode(Header.self, from: Data(json)),
              header.version == Self.version, header.fingerprint == fingerprint,
              header.resolution > 0, header.count > 0 else { return nil }
        let size = header.count * 3 * header.resolution * header.resolution
        guard 16 + headerLength + size == Int(status.st_size) else { return nil }
        var complete = false
        let pixels = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            complete = readFully(descriptor, into: buffer.baseAddress!, count: size)
            initialized = complete ? size : 0
        }
        return complete ? (header, pixels) : nil
    }

    /// The dataset from this cache when it was made from `fingerprint`; otherwise `make`s the pictures
    /// ([N, 3, R, R] bytes and the files left out) and caches them. A cache that cannot be written
    /// is reported in the summary, not thrown: training goes on, decoding again next time.
    func dataset(fingerprint: String, resolution: Int, source: String, ignored: Int = 0,
                 make: () throws -> (pixels: [UInt8], skipped: [SkippedFile])) rethrows -> Dataset {
        func summary(_ count: Int, _ skipped: [SkippedFile], _ cache: CacheUse) -> DatasetSummary {
            DatasetSummary(source: source, count: count, skipped: skipped, ignored: ignored, cache: cache)
        }
        if let (header, pixels) = load(fingerprint: fingerprint), header.resolution == resolution {
            return Dataset(resolution: resolution, pixels: pixels, summary: summary(header.count, header.skipped, .hit(file)))
        }
        let made = try make()
        let count = made.pixels.count / (3 * resolution * resolution)
        let header = Header(version: Self.version, fingerprint: fingerprint, resolution: resolution, count: count,
                            skipped: made.skipped)
        let use: CacheUse
        do {
            try store(header, pixels: made.pixels)
            use = .written(file)
        } catch {
            use = .unwritable(file, reason: error.localizedDescription)
        }
        return Dataset(resolution: resolution, pixels: made.pixels, summary: summary(count, made.skipped, use))
    }

    /// Writes to a temporary file beside `file` and renames it over, so a reader never sees half a cache.
    func store(_ header: Header, pixels: [UInt8]) throws {
        let json = try JSONEncoder().encode(header)
        var data = Data(capacity: 16 + json.count + pixels.count)
        data.append(contentsOf: Self.magic)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        data.append(contentsOf: pixels)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file, options: .atomic)
    }
}

private func readFully(_ descriptor: Int32, into bytes: inout ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeMutableBufferPointer { readFully(descriptor, into: $0.baseAddress!, count: $0.count) }
}

private func readFully(_ descriptor: Int32, into base: UnsafeMutablePointer<UInt8>, count: Int) -> Bool {
    var done = 0
    while done < count {
        let got = read(descriptor, base + done, count - done)
        if got < 0 && errno == EINTR { continue }
        guard got > 0 else { return false }
        done += got
    }
    return true
}
