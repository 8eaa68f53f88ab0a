public import HTTPTypes

// Independent byte-level re-implementations of the HTTP rules the oracles need. They are
// written from the RFCs, not copied from the library, so that a bug in one is not a bug in both.

public enum Bytes {
    /// RFC 9110 `tchar`.
    public static func isTChar(_ byte: UInt8) -> Bool {
        if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) {
            return true
        }
        return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }

    public static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTChar)
    }

    public static func lower(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    public static func lower(_ bytes: some Collection<UInt8>) -> [UInt8] {
        bytes.map(lower)
    }

    /// Trims spaces and tabs (HTTP's OWS) at both ends.
    public static func trimOWS(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var slice = Array(bytes)[...]
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return Array(slice)
    }

    /// A comma-separated list, elements trimmed, empty elements skipped (no validation).
    public static func listElements(_ bytes: some Collection<UInt8>) -> [[UInt8]] {
        Array(bytes).split(separator: 0x2C, omittingEmptySubsequences: false)
            .map { trimOWS($0) }
            .filter { !$0.isEmpty }
    }

    /// `#token`: the elements, or `nil` when any element is not a token.
    public static func tokenList(_ bytes: some Collection<UInt8>) -> [[UInt8]]? {
        let elements = listElements(bytes)
        return elements.allSatisfy(isToken) ? elements : nil
    }

    public static func of(_ string: String) -> [UInt8] { Array(string.utf8) }

    /// The raw bytes of a field's value.
    public static func of(_ field: HTTPField) -> [UInt8] {
        field.withUnsafeBytesOfValue { Array($0) }
    }

    /// The raw bytes of every line named `name`, in order.
    public static func values(_ name: HTTPField.Name, in fields: HTTPFields) -> [[UInt8]] {
        fields.filter { $0.name == name }.map(of)
    }

    /// Every line trimmed of OWS and joined with ", ", as a browser reads a response header;
    /// `nil` without any line.
    public static func combined(_ name: HTTPField.Name, in fields: HTTPFields) -> [UInt8]? {
        let lines = values(name, in: fields)
        guard !lines.isEmpty else { return nil }
        return Array(lines.map { trimOWS($0) }.joined(separator: Array(", ".utf8)))
    }
}
