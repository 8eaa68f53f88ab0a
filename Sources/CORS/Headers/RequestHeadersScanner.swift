import CORSWebSyntax

/// Reads `Access-Control-Request-Headers` tolerantly — any case, any order, optional
/// whitespace, empty elements, values split over several field lines (as some proxies do) —
/// but with bounded work: a value longer than ``maximumBytes`` or with more than
/// ``maximumElements`` elements is refused before it is scanned, so a megabyte of commas costs
/// no more than a normal preflight.
enum RequestHeadersScanner {
    /// The longest `Access-Control-Request-Headers` accepted, all field lines together.
    /// Browsers list each non-safelisted header once, so real values are a few hundred bytes.
    static let maximumBytes = 4096
    /// The most elements (empty ones included) accepted.
    static let maximumElements = 128

    enum Outcome: Sendable, Equatable {
        case allowed
        case notAllowed(name: String)
        case malformed
        case tooLarge(byteCount: Int)
    }

    /// Scans `value`, every `Access-Control-Request-Headers` line of the request joined with
    /// commas (``CORSRequestFacts``); `byteCount` is the lines' total length.
    static func scan(_ value: String, byteCount: Int, allowed: AllowedHeaderNames) -> Outcome {
        guard byteCount <= maximumBytes else { return .tooLarge(byteCount: byteCount) }
        var elements = 0
        var value = value
        return value.withUTF8 { scan($0, allowed: allowed, elements: &elements) }
    }

    private static func scan(
        _ value: UnsafeBufferPointer<UInt8>, allowed: AllowedHeaderNames, elements: inout Int
    ) -> Outcome {
        // Walks the elements in place: no array of elements is ever built, so the work and the
        // memory stay bounded by ``maximumElements`` whatever the value holds.
        var start = value.startIndex
        while start <= value.endIndex {
            let end = value[start...].firstIndex(of: UInt8(ascii: ",")) ?? value.endIndex
            elements += 1
            guard elements <= maximumElements else { return .tooLarge(byteCount: value.count) }
            var name = value[start..<end]
            while let first = name.first, ASCII.isOptionalWhitespace(first) { name = name.dropFirst() }
            while let last = name.last, ASCII.isOptionalWhitespace(last) { name = name.dropLast() }
            if !name.isEmpty {
                guard name.allSatisfy(ASCII.isTokenByte) else { return .malformed }
                if !allowed.allows(name) {
                    return .notAllowed(name: String(decoding: name, as: UTF8.self).lowercased())
                }
            }
            start = end + 1
        }
        return .allowed
    }
}
