/// A strict JSON (RFC 8259) parser that records the line and column of every value and key,
/// and reports syntax errors at the exact line and column, with a hint for the usual mistakes
/// (trailing commas, comments, single quotes).
///
/// Foundation's `JSONSerialization` reports positions inconsistently across platforms, so policy
/// files are read with this one. Work is linear in the input; nesting is capped.
struct JSONParser {
    /// A syntax error at a position.
    struct SyntaxError: Error, Sendable, Hashable {
        var position: CORSSourcePosition
        var message: String
    }

    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var column = 1
    private var depth = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one JSON document.
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONNode {
        var parser = JSONParser(bytes)
        // A UTF-8 byte order mark is tolerated, as editors on Windows write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.offset = 3 }
        try parser.validateUTF8()
        parser.skipWhitespace()
        guard parser.offset < bytes.count else {
            throw parser.error("the file is empty; expected a JSON object such as {\"allowOrigins\": [\"https://app.example.com\"]}")
        }
        let node = try parser.parseValue()
        parser.skipWhitespace()
        if parser.offset < bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the end of the JSON value")
        }
        return node
    }

    // MARK: - Values

    private mutating func parseValue() throws(SyntaxError) -> JSONNode {
        let position = here
        guard let byte = current else { throw error("unexpected end of file; expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return JSONNode(value: try parseObject(), position: position)
        case UInt8(ascii: "["): return JSONNode(value: try parseArray(), position: position)
        case UInt8(ascii: "\""): return JSONNode(value: .string(try parseString()), position: position)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(value: .number(try parseNumber()), position: position)
        case UInt8(ascii: "t"): try expectLiteral("true"); return JSONNode(value: .bool(true), position: position)
        case UInt8(ascii: "f"): try expectLiteral("false"); return JSONNode(value: .bool(false), position: position)
        case UInt8(ascii: "n"): try expectLiteral("null"); return JSONNode(value: .null, position: position)
        case UInt8(ascii: "'"):
            throw error("unexpected single quote; JSON strings use double quotes (\"…\")")
        case UInt8(ascii: "/"):
            throw error("unexpected '/'; JSON has no comments")
        default:
            if isWordByte(byte) { throw unexpectedWord(at: position) }
            throw error("unexpected \(describeCurrent()); expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func parseObject() throws(SyntaxError) -> JSONNode.Value {
        try enter()
        advance()  // {
        var members: [JSONNode.Member] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            advance()
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            let keyPosition = here
            guard current == UInt8(ascii: "\"") else {
                if current == UInt8(ascii: "}") && !members.isEmpty {
                    throw error("trailing comma before '}'; remove the last ','")
                }
                if current == nil { throw error("unexpected end of file inside an object; expected '}'") }
                if current == UInt8(ascii: "'") { throw error("unexpected single quote; JSON keys use double quotes (\"…\")") }
                if current == UInt8(ascii: "/") { throw error("unexpected '/'; JSON has no comments") }
                throw error("unexpected \(describeCurrent()); expected a key in double quotes")
            }
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else {
                throw error("expected ':' after the key \"\(key)\", found \(describeCurrent())")
            }
            advance()
            skipWhitespace()
            let value = try parseValue()
            members.append(.init(key: key, keyPosition: keyPosition, value: value))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                advance()
            case UInt8(ascii: "}"):
                advance()
                depth -= 1
                return .object(members)
            case nil:
                throw error("unexpected end of file inside an object; expected ',' or '}'")
            default:
                throw error("expected ',' or '}' after the value of \"\(key)\", found \(describeCurrent())")
            }
        }
    }

    private mutating func parseArray() throws(SyntaxError) -> JSONNode.Value {
        try enter()
        advance()  // [
        var elements: [JSONNode] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            advance()
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if current == UInt8(ascii: "]") && !elements.isEmpty {
                throw error("trailing comma before ']'; remove the last ','")
            }
            if current == UInt8(ascii: ",") {
                throw error("unexpected ','; expected a value (two commas in a row?)")
            }
            elements.append(try parseValue())
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                advance()
            case UInt8(ascii: "]"):
                advance()
                depth -= 1
                return .array(elements)
            case nil:
                throw error("unexpected end of file inside an array; expected ',' or ']'")
            default:
                throw error("expected ',' or ']' after an array element, found \(describeCurrent())")
            }
        }
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        advance()  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = offset
        func flush(_ parser: JSONParser, upTo end: Int, into scalars: inout String.UnicodeScalarView) {
            if end > runStart {
                scalars.append(contentsOf: String(decoding: parser.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard let byte = current else {
                throw error("unexpected end of file inside a string; expected a closing '\"'")
            }
            switch byte {
            case UInt8(ascii: "\""):
                flush(self, upTo: offset, into: &scalars)
                advance()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(self, upTo: offset, into: &scalars)
                try parseEscape(into: &scalars)
                runStart = offset
            case 0x00..<0x20:
                if byte == UInt8(ascii: "\n") {
                    throw error("unexpected end of line inside a string; expected a closing '\"' (JSON strings cannot span lines)")
                }
                throw error("control character U+\(hex(byte, width: 4)) inside a string; write it as an escape such as \\n or \\t")
            default:
                advance()
            }
        }
    }

    private mutating func parseEscape(into scalars: inout String.UnicodeScalarView) throws(SyntaxError) {
        let escapePosition = here
        advance()  // backslash
        guard let byte = current else { throw error("unexpected end of file after '\\'") }
        let simple: UInt8? =
            switch byte {
            case UInt8(ascii: "\""): UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): UInt8(ascii: "\\")
            case UInt8(ascii: "/"): UInt8(ascii: "/")
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            scalars.append(Unicode.Scalar(simple))
            advance()
            return
        }
        guard byte == UInt8(ascii: "u") else {
            throw SyntaxError(
                position: escapePosition,
                message: "invalid escape '\\\(describeByte(byte))'; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX")
        }
        advance()
        let unit = try parseHex4(escapeStart: escapePosition)
        if (0xD800...0xDBFF).contains(unit) {
            // A high surrogate must be followed by an escaped low surrogate.
            guard current == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") else {
                throw SyntaxError(position: escapePosition, message: "unpaired surrogate \\u\(hex(unit, width: 4)) in a string")
            }
            advance()
            advance()
            let low = try parseHex4(escapeStart: escapePosition)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw SyntaxError(position: escapePosition, message: "unpaired surrogate \\u\(hex(unit, width: 4)) in a string")
            }
            let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            scalars.append(Unicode.Scalar(value)!)
        } else if (0xDC00...0xDFFF).contains(unit) {
            throw SyntaxError(position: escapePosition, message: "unpaired surrogate \\u\(hex(unit, width: 4)) in a string")
        } else {
            scalars.append(Unicode.Scalar(UInt32(unit))!)
        }
    }

    private mutating func parseHex4(escapeStart: CORSSourcePosition) throws(SyntaxError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = hexValue(byte) else {
                throw SyntaxError(position: escapeStart, message: "invalid \\u escape; expected four hexadecimal digits")
            }
            value = value << 4 | UInt16(digit)
            advance()
        }
        return value
    }

    private mutating func parseNumber() throws(SyntaxError) -> String {
        let start = offset
        if current == UInt8(ascii: "-") { advance() }
        guard let first = current, isDigit(first) else {
            throw error("expected a digit after '-'")
        }
        advance()
        if first == UInt8(ascii: "0"), let next = current, isDigit(next) {
            throw error("numbers cannot have leading zeros")
        }
        while let byte = current, isDigit(byte) { advance() }
        if current == UInt8(ascii: ".") {
            advance()
            guard let byte = current, isDigit(byte) else { throw error("expected a digit after the decimal point") }
            while let byte = current, isDigit(byte) { advance() }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { advance() }
            guard let byte = current, isDigit(byte) else { throw error("expected a digit in the exponent") }
            while let byte = current, isDigit(byte) { advance() }
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
        let start = here
        var matched = true
        literal.withUTF8Buffer { expected in
            for (index, byte) in expected.enumerated() where peek(index) != byte {
                matched = false
                break
            }
        }
        guard matched else { throw unexpectedWord(at: start) }
        for _ in 0..<literal.utf8CodeUnitCount { advance() }
        if let byte = current, isWordByte(byte) {
            throw SyntaxError(position: start, message: "unexpected characters after '\(literal)'")
        }
    }

    /// A bare word where a value belongs: `True`, `None`, an unquoted string.
    private func unexpectedWord(at position: CORSSourcePosition) -> SyntaxError {
        var word: [UInt8] = []
        var index = 0
        while let byte = peek(index), isWordByte(byte), word.count < 20 {
            word.append(byte)
            index += 1
        }
        let text = String(decoding: word, as: UTF8.self)
        return SyntaxError(
            position: position,
            message: "unexpected '\(text)'; expected a value (strings need double quotes; true, false and null are lowercase)")
    }

    // MARK: - Input

    private var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private func peek(_ distance: Int) -> UInt8? {
        offset + distance < bytes.count ? bytes[offset + distance] : nil
    }

    private var here: CORSSourcePosition { CORSSourcePosition(line: line, column: column) }

    private mutating func advance() {
        let byte = bytes[offset]
        offset += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            // Not a UTF-8 continuation byte: a new scalar begins.
            column += 1
        }
    }

    private mutating func skipWhitespace() {
        while let byte = current,
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
                || byte == UInt8(ascii: "\r")
        {
            if byte == UInt8(ascii: "\r") {
                // CR LF counts as one line break; a lone CR is whitespace on the same line.
                offset += 1
                if current != UInt8(ascii: "\n") { column += 1 }
            } else {
                advance()
            }
        }
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw error("nested more than \(Self.maximumDepth) levels deep")
        }
    }

    /// Rejects invalid UTF-8 up front, at the position of the first bad byte.
    private mutating func validateUTF8() throws(SyntaxError) {
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        var scanner = JSONParser(bytes)
        scanner.offset = offset
        var consumed = offset
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                let length = UTF8.width(scalar)
                while scanner.offset < consumed + length { scanner.advance() }
                consumed += length
            case .emptyInput:
                return
            case .error:
                throw SyntaxError(position: scanner.here, message: "the file is not valid UTF-8 (bad byte 0x\(hex(bytes[consumed], width: 2)))")
            }
        }
    }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(position: here, message: message)
    }

    private func describeCurrent() -> String {
        guard let byte = current else { return "end of file" }
        return "'\(describeByte(byte))'"
    }

    private func describeByte(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return String(UnicodeScalar(byte)) }
        if byte >= 0x80 {
            // The whole scalar, for a readable message.
            var end = offset + 1
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            return String(decoding: bytes[offset..<end], as: UTF8.self)
        }
        return "U+\(hex(byte, width: 4))"
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || isDigit(byte) || byte == UInt8(ascii: "_")
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func hex(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
