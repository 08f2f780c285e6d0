/// The JSON subset a safetensors header needs, parsed by hand so that numbers keep their text
/// (`2.0` and `-1` are rejected as dimensions, not silently converted), duplicate keys stay
/// visible, and nesting depth is bounded against hostile headers.
enum HeaderJSON {
    indirect enum Value {
        /// Members in file order, duplicates kept.
        case object([(key: String, value: Value)])
        case array([Value])
        case string(String)
        /// The number's literal text, e.g. "16", "-1", "2.5e3".
        case number(String)
        case bool(Bool)
        case null

        /// A short name for error messages ("a string", "an array").
        var kindName: String {
            switch self {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }
    }

    struct ParseError: Error {
        /// Byte offset within the header.
        var offset: Int
        var reason: String
    }

    static let maximumDepth = 64

    /// Parses one value filling `bytes`, allowing surrounding whitespace (the header's space padding).
    static func parse(_ bytes: [UInt8]) throws -> Value {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.position != bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped,
    /// everything else left as UTF-8.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ reason: String) -> ParseError { ParseError(offset: position, reason: reason) }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
        }

        mutating func expect(_ literal: String) throws {
            for byte in literal.utf8 {
                guard current == byte else { throw error("expected \"\(literal)\"") }
                position += 1
            }
        }

        mutating func value(depth: Int) throws -> Value {
            guard depth < HeaderJSON.maximumDepth else { throw error("nested deeper than \(HeaderJSON.maximumDepth) levels") }
            guard let c = current else { throw error("unexpected end of header") }
            switch c {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("unexpected character '\(Character(Unicode.Scalar(c)))'")
            }
        }

        mutating func object(depth: Int) throws -> Value {
            position += 1
            var members: [(key: String, value: Value)] = []
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                skipWhitespace()
                try expect(":")
                skipWhitespace()
                members.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                try expect("}")
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws -> Value {
            position += 1
            var elements: [Value] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                try expect("]")
                return .array(elements)
            }
        }

        /// Reads a string literal; the header was already checked to be UTF-8, so raw bytes copy through.
        mutating func string() throws -> String {
            position += 1
            var utf8: [UInt8] = []
            while true {
                guard let c = current else { throw error("unterminated string") }
                position += 1
                switch c {
                case UInt8(ascii: "\""):
                    return String(decoding: utf8, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let e = current else { throw error("unterminated escape") }
                    position += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(e)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"): utf8.append(contentsOf: String(try escapedScalar()).utf8)
                    default: throw error("invalid escape")
                    }
                case 0..<0x20:
                    throw error("control character in string")
                default:
                    utf8.append(c)
                }
            }
        }

        /// The scalar after `\u`, joining a UTF-16 surrogate pair.
        mutating func escapedScalar() throws -> Character {
            let first = try hex4()
            var value = first
            if (0xD800..<0xDC00).contains(first) {
                try expect("\\u")
                let second = try hex4()
                guard (0xDC00..<0xE000).contains(second) else { throw error("unpaired surrogate") }
                value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(value) else { throw error("unpaired surrogate") }
            return Character(scalar)
        }

        mutating func hex4() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let c = current, let digit = c.hexValue else { throw error("expected four hex digits") }
                value = value * 16 + UInt32(digit)
                position += 1
            }
            return value
        }

        /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, returned as text.
        mutating func number() throws -> String {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            guard let first = current, first.isDigit else { throw error("expected a digit") }
            position += 1
            if first != UInt8(ascii: "0") { while current?.isDigit == true { position += 1 } }
            if current == UInt8(ascii: ".") {
                position += 1
                guard current?.isDigit == true else { throw error("expected a digit after '.'") }
                while current?.isDigit == true { position += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard current?.isDigit == true else { throw error("expected a digit in the exponent") }
                while current?.isDigit == true { position += 1 }
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
    }
}

private extension UInt8 {
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var hexValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return self - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
