/// A value loaded from a file or, when that file was missing or unreadable, from its previous
/// version; `fallbackReason` says why, so the caller can tell the user what happened.
public struct FallbackLoad<Value> {
    public var value: Value
    /// The file that was asked for.
    public var mainPath: String
    /// The file the value actually came from.
    public var path: String
    /// Why the main file was passed over; nil when it loaded.
    public var fallbackReason: (any Error)?

    public var usedFallback: Bool { fallbackReason != nil }

    /// "state.safetensors was corrupt (reason); resumed from state.prev.safetensors", or nil.
    public var note: String? {
        guard let reason = fallbackReason else { return nil }
        if let error = reason as? FileError, error.isNotFound { return "\(mainPath) was missing; resumed from \(path)" }
        return "\(mainPath) was corrupt (\(reason)); resumed from \(path)"
    }
}

/// Neither the file nor its previous version could be loaded.
public struct FallbackLoadError: Error, CustomStringConvertible {
    public var path: String
    public var reason: any Error
    public var previousPath: String
    public var previousReason: any Error

    /// Both files are simply absent: there is nothing to resume, which is not damage.
    public var nothingToLoad: Bool {
        (reason as? FileError)?.isNotFound == true && (previousReason as? FileError)?.isNotFound == true
    }

    public var description: String {
        "could not load \(path) (\(reason)) nor its previous version \(previousPath) (\(previousReason))"
    }
}

extension AtomicFile {
    /// Reads and decodes `path`; if that fails for any reason, reads and decodes
    /// `previousPath(for: path)` instead. Temp files are never considered.
    public static func load<Value>(_ path: String, decode: (_ bytes: [UInt8], _ path: String) throws -> Value) throws -> FallbackLoad<Value> {
        let reason: any Error
        do {
            return FallbackLoad(value: try decode(POSIXFile.readAll(path), path), mainPath: path, path: path, fallbackReason: nil)
        } catch {
            reason = error
        }
        let previous = previousPath(for: path)
        do {
            return FallbackLoad(value: try decode(POSIXFile.readAll(previous), previous), mainPath: path, path: previous, fallbackReason: reason)
        } catch {
            throw FallbackLoadError(path: path, reason: reason, previousPath: previous, previousReason: error)
        }
    }
}

extension SafeTensorsFile {
    /// Loads `path`, falling back to the previous version written by `write(to:keepPrevious: true)`.
    public static func loadWithFallback(_ path: String) throws -> FallbackLoad<SafeTensorsFile> {
        try AtomicFile.load(path) { bytes, path in try SafeTensorsFile(parsing: bytes, file: path) }
    }
}
