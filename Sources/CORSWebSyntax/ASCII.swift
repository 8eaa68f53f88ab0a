// Byte-level helpers shared by every parser of the engine and the browser model.
//
// Every parser in this module works on UTF-8 bytes rather than on `Character`s: header values
// are byte strings on the wire, Chromium compares them byte by byte, and byte loops stay linear
// and allocation-free on hostile input (huge values, control bytes, thousands of commas).

package enum ASCII {
    package static let space: UInt8 = 0x20
    package static let tab: UInt8 = 0x09
    package static let comma: UInt8 = 0x2C
    package static let quote: UInt8 = 0x22

    /// HTTP's optional whitespace: space and horizontal tab (RFC 9110 §5.6.3).
    @inlinable package static func isOptionalWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    @inlinable package static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    @inlinable package static func isAlpha(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    @inlinable package static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    @inlinable package static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte
    }

    @inlinable package static func uppercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x61 && byte <= 0x7A) ? byte - 0x20 : byte
    }

    /// RFC 9110 `tchar`: the bytes a token (method, field name) may contain.
    @inlinable package static func isTokenByte(_ byte: UInt8) -> Bool {
        if isAlpha(byte) || isDigit(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
            UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    @inlinable package static func isToken<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenByte)
    }

    /// Whether `string` is a non-empty RFC 9110 token.
    @inlinable package static func isToken(_ string: some StringProtocol) -> Bool {
        isToken(string.utf8)
    }

    /// ASCII-lowercases a string; non-ASCII bytes are kept as they are.
    @inlinable package static func lowercased(_ string: some StringProtocol) -> String {
        String(decoding: string.utf8.map(lowercased), as: UTF8.self)
    }

    /// ASCII-uppercases a string; non-ASCII bytes are kept as they are.
    @inlinable package static func uppercased(_ string: some StringProtocol) -> String {
        String(decoding: string.utf8.map(uppercased), as: UTF8.self)
    }

    /// ASCII case-insensitive equality, as HTTP uses for field names and tokens.
    @inlinable package static func caseInsensitiveEquals(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        lhs.utf8.count == rhs.utf8.count
            && zip(lhs.utf8, rhs.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    /// Removes leading and trailing spaces and tabs, the way an HTTP parser strips a field value.
    @inlinable package static func trimmingOptionalWhitespace(_ string: some StringProtocol) -> Substring {
        let bytes = Substring(string).utf8
        guard let first = bytes.firstIndex(where: { !isOptionalWhitespace($0) }) else {
            return Substring("")
        }
        let last = bytes.lastIndex(where: { !isOptionalWhitespace($0) })!
        return Substring(bytes[first...last])
    }

    /// The numeric value of an unsigned decimal string, or `nil` when it is empty, contains a
    /// non-digit, or does not fit in `maximum` (so a 10,000-digit value costs one pass, no bignum).
    @inlinable package static func decimalValue(_ bytes: some Collection<UInt8>, maximum: Int = Int.max) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            let digit = Int(byte - 0x30)
            guard value <= (maximum - digit) / 10 else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
