import Foundation
import Imaging
import Palettes

/// Everything a seasonal set's outputs were made from, written beside them as manifest.json: with
/// the generators it names (checked by hash) it makes the same bytes again, no dataset needed.
public struct SetManifest: Codable, Equatable, Sendable {
    public static let fileName = "manifest.json"

    public var programVersion: String
    public var set: SetRecord
    /// The `RecolourMethod` pictures moved toward their palettes with.
    public var recolouring: String
    public var items: [Item]
    public var contactSheet: FileRecord
    public var gallery: FileRecord

    public struct SetRecord: Codable, Equatable, Sendable {
        public var name: String
        public var title: String
        public var season: String
        /// The set's YAML, relative to the repository root when inside it, and its bytes' fingerprint.
        public var file: FileRecord
    }

    /// A file and the `Fingerprint` of its bytes (16 hex digits).
    public struct FileRecord: Codable, Equatable, Sendable {
        public var file: String
        public var hash: String
    }

    public struct Item: Codable, Equatable, Sendable {
        public var theme: String
        /// Relative to the repository root when inside it.
        public var generator: FileRecord
        /// The truncation used (the item's, else the theme's).
        public var truncation: Double
        public var strength: Double
        public var palette: PaletteRecord
        public var pictures: [Picture]
    }

    /// One picture: the seed whose first latent made it, and its PNG.
    public struct Picture: Codable, Equatable, Sendable {
        public var seed: UInt64
        public var file: String
        public var hash: String
    }

    /// The colours pictures were moved toward, or none for the theme's own.
    public struct PaletteRecord: Codable, Equatable, Sendable {
        /// `PaletteChoice.label`: "own", "from cats", "blend …", a named palette's name.
        public var label: String
        /// "#rrggbb", heaviest first; nil for the theme's own.
        public var colours: [String]?
        public var weights: [Float]?
    }

    enum CodingKeys: String, CodingKey {
        case programVersion = "program_version", set, recolouring, items, contactSheet = "contact_sheet", gallery
    }
}

extension SetManifest.PaletteRecord {
    init(label: String, palette: Palette?) {
        self.init(label: label, colours: palette?.colours.map(\.hex), weights: palette?.weights)
    }

    /// The recorded palette, rebuilt equal to the one rendered with (colours are 8-bit, weights sum to 1).
    func palette() throws -> Palette? {
        guard let colours, let weights else { return nil }
        var rgb: [RGB] = []
        for (index, text) in colours.enumerated() {
            guard let colour = RGB(hex: text) else { throw PaletteError.malformedHex(index: index, text: text) }
            rgb.append(colour)
        }
        return try Palette(colours: rgb, weights: weights)
    }
}

extension SetManifest {
    /// Sorted keys, two-space indent, slashes unescaped, a final newline: the same manifest, the same bytes.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return [UInt8](try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// Reads and checks a manifest, so a hand-edited one fails here and not halfway through a render.
    public init(contentsOf file: URL) throws {
        let bytes = try SetFiles.read(file)
        do {
            self = try JSONDecoder().decode(SetManifest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw SetError.badManifest(file: file.path, reason: Self.explain(error))
        }
        if let problem = problem { throw SetError.badManifest(file: file.path, reason: problem) }
    }

    /// The first value no render writes, or nil.
    private var problem: String? {
        if RecolourMethod(rawValue: recolouring) == nil { return "unknown recolouring \"\(recolouring)\"" }
        for (i, item) in items.enumerated() {
            let at = "items[\(i)]"
            if !(0...1).contains(item.strength) { return "\(at).strength is \(item.strength), outside 0…1" }
            if !(item.truncation.isFinite && item.truncation >= 0) { return "\(at).truncation is \(item.truncation)" }
            if item.pictures.isEmpty { return "\(at).pictures is empty" }
            if item.pictures.contains(where: { $0.file.contains("/") }) { return "\(at).pictures names a file outside the folder" }
            do { _ = try item.palette.palette() } catch { return "\(at).palette: \(error)" }
        }
        return nil
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key " + [path(context), key.stringValue].filter { !$0.isEmpty }.joined(separator: ".")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return (path(context).isEmpty ? "" : path(context) + ": ") + context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
