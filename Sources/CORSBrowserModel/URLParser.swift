import CORSWebSyntax
// A bounded, Foundation-free parser for the URLs CORS deals with: absolute or relative
// references to special (hierarchical) schemes, following the URL Standard's basic URL parser
// closely enough that origins and request URLs serialize exactly as Chromium prints them.
//
// Deliberate limits (documented on `WebURL`): no IDNA (non-ASCII hosts are rejected; pass the
// punycode form), fragments are dropped (they are never sent), and only the special schemes
// http, https, ws, wss and ftp are understood.

struct URLParts: Hashable {
    var scheme: String
    var username: String
    var password: String
    var host: String
    /// `nil` when the URL uses the scheme's default port.
    var port: Int?
    /// Always starts with `/`.
    var path: String
    var query: String?
}

enum URLParser {
    /// Chromium refuses URLs longer than 2 MiB (`url::kMaxURLChars`); so do we, which also
    /// bounds every loop below.
    static let maximumLength = 2 * 1024 * 1024

    /// Parses `input`, resolving it against `base` when it is relative. `nil` when the URL
    /// Standard would fail, or when the URL is outside what this model supports.
    static func parse(_ input: String, base: URLParts? = nil) -> URLParts? {
        guard input.utf8.count <= maximumLength else { return nil }
        // The URL Standard strips leading and trailing C0 controls and spaces, and removes
        // every tab and newline anywhere in the input.
        var bytes = Array(input.utf8)
        while let last = bytes.last, last <= 0x20 { bytes.removeLast() }
        let firstKept = bytes.firstIndex(where: { $0 > 0x20 }) ?? bytes.endIndex
        bytes = bytes[firstKept...].filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }

        if let (scheme, rest) = splitScheme(bytes) {
            guard WebScheme.defaultPort(ofScheme: scheme) != nil else { return nil }
            if let base, base.scheme == scheme, !startsWithTwoSlashes(rest) {
                // "http:foo" against an http base is a relative reference (URL Standard,
                // "special relative or authority state").
                return resolveRelative(rest, against: base)
            }
            return parseAfterScheme(scheme: scheme, rest: rest.drop(while: isSlash))
        }
        guard let base else { return nil }
        return resolveRelative(bytes[...], against: base)
    }

    /// An approximation of Chromium's `GURL(value).is_valid()`, which `CheckAccess` uses only
    /// to choose between InvalidAllowOriginValue and AllowOriginMismatch: a URL with a syntactic
    /// scheme; for the special schemes, one whose authority and host parse too. Non-ASCII hosts
    /// count as valid (GURL would convert them with IDNA) unless they contain U+FFFD, the mark of
    /// bytes that were not UTF-8 (measured: a Latin-1 `é` gives InvalidAllowOriginValue).
    static func isValidURL(_ value: String) -> Bool {
        guard !value.unicodeScalars.contains("\u{FFFD}") else { return false }
        let asciiShaped = String(decoding: value.utf8.map { $0 < 0x80 ? $0 : UInt8(ascii: "a") }, as: UTF8.self)
        guard let (scheme, _) = splitScheme(Array(asciiShaped.utf8)) else { return false }
        guard WebScheme.defaultPort(ofScheme: scheme) != nil else { return true }
        return parse(asciiShaped) != nil
    }

    /// The lowercased scheme of an absolute URL, or `nil` for a relative reference.
    static func scheme(of value: String) -> String? {
        splitScheme(Array(value.utf8.prefix(256).drop(while: { $0 <= 0x20 }))).map(\.0)
    }

    // MARK: Pieces

    private static func isSlash(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\")
    }

    private static func startsWithTwoSlashes(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count >= 2 && isSlash(bytes[bytes.startIndex]) && isSlash(bytes[bytes.startIndex + 1])
    }

    /// `scheme ":" rest` when the input starts with a scheme (ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")).
    private static func splitScheme(_ bytes: [UInt8]) -> (String, ArraySlice<UInt8>)? {
        guard let first = bytes.first, ASCII.isAlpha(first) else { return nil }
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ":") {
                let scheme = String(decoding: bytes[..<index].map(ASCII.lowercased), as: UTF8.self)
                return (scheme, bytes[(index + 1)...])
            }
            let isSchemeByte =
                ASCII.isAlpha(byte) || ASCII.isDigit(byte) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            if !isSchemeByte { return nil }
        }
        return nil
    }

    private static func resolveRelative(_ rest: ArraySlice<UInt8>, against base: URLParts) -> URLParts? {
        var parts = base
        guard let first = rest.first else { return base }
        if startsWithTwoSlashes(rest) {
            return parseAfterScheme(scheme: base.scheme, rest: rest.drop(while: isSlash))
        }
        if isSlash(first) {
            return withPathAndQuery(rest, replacing: parts)
        }
        if first == UInt8(ascii: "?") {
            parts.query = encodeQuery(rest.dropFirst().prefix(while: { $0 != UInt8(ascii: "#") }))
            return parts
        }
        if first == UInt8(ascii: "#") {
            return base
        }
        // A path-relative reference replaces the last segment of the base path.
        let directory = base.path.utf8.lastIndex(of: UInt8(ascii: "/")).map { base.path.utf8[...$0] }
        return withPathAndQuery(Array(directory ?? "/".utf8[...]) + rest, replacing: parts)
    }

    private static func parseAfterScheme(scheme: String, rest: ArraySlice<UInt8>) -> URLParts? {
        let authorityEnd =
            rest.firstIndex(where: { isSlash($0) || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
            ?? rest.endIndex
        var authority = rest[rest.startIndex..<authorityEnd]
        var username = ""
        var password = ""
        // The last "@" ends the userinfo; earlier ones belong to it (URL Standard).
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            let userinfo = authority[authority.startIndex..<at]
            if let colon = userinfo.firstIndex(of: UInt8(ascii: ":")) {
                username = encode(userinfo[userinfo.startIndex..<colon], keeping: isUserinfoByte)
                password = encode(userinfo[(colon + 1)...], keeping: isUserinfoByte)
            } else {
                username = encode(userinfo, keeping: isUserinfoByte)
            }
            authority = authority[(at + 1)...]
        }
        guard let (host, port) = parseHostAndPort(authority, scheme: scheme) else { return nil }
        let parts = URLParts(
            scheme: scheme, username: username, password: password, host: host, port: port,
            path: "/", query: nil)
        return withPathAndQuery(rest[authorityEnd...], replacing: parts)
    }

    private static func parseHostAndPort(_ authority: ArraySlice<UInt8>, scheme: String) -> (String, Int?)? {
        var hostBytes: ArraySlice<UInt8>
        var portBytes: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostBytes = authority[authority.startIndex...close]
            let afterHost = authority[(close + 1)...]
            if let first = afterHost.first {
                guard first == UInt8(ascii: ":") else { return nil }
                portBytes = afterHost.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
            hostBytes = authority[authority.startIndex..<colon]
            portBytes = authority[(colon + 1)...]
        } else {
            hostBytes = authority
        }
        guard let host = parseHost(hostBytes) else { return nil }
        var port: Int?
        if let portBytes, !portBytes.isEmpty {
            guard let value = ASCII.decimalValue(portBytes, maximum: 65535) else { return nil }
            port = value == WebScheme.defaultPort(ofScheme: scheme) ? nil : value
        }
        return (host, port)
    }

    /// A host as the URL Standard's host parser returns it for special schemes: IP literals
    /// normalized, domains percent-decoded and ASCII-lowercased.
    private static func parseHost(_ input: ArraySlice<UInt8>) -> String? {
        guard !input.isEmpty else { return nil }
        if input.first == UInt8(ascii: "[") {
            guard input.last == UInt8(ascii: "]"),
                let pieces = IPAddressLiteral.parseIPv6(Array(input.dropFirst().dropLast()))
            else { return nil }
            return IPAddressLiteral.v6(pieces).serialized
        }
        guard let decoded = percentDecoded(input) else { return nil }
        let domain = decoded.map(ASCII.lowercased)
        // No IDNA here: a non-ASCII host is refused rather than mis-serialized.
        guard !domain.isEmpty, domain.allSatisfy({ $0 < 0x80 && !isForbiddenDomainByte($0) }) else {
            return nil
        }
        if IPAddressLiteral.endsInANumber(domain) {
            guard let address = IPAddressLiteral.parseIPv4(domain) else { return nil }
            return IPAddressLiteral.v4(address).serialized
        }
        return String(decoding: domain, as: UTF8.self)
    }

    /// URL Standard "forbidden domain code point".
    private static func isForbiddenDomainByte(_ byte: UInt8) -> Bool {
        if byte <= 0x20 || byte == 0x7F { return true }
        switch byte {
        case UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "/"), UInt8(ascii: ":"),
            UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "?"), UInt8(ascii: "@"),
            UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "]"), UInt8(ascii: "^"),
            UInt8(ascii: "|"):
            return true
        default:
            return false
        }
    }

    private static func percentDecoded(_ input: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = input.startIndex
        while index < input.endIndex {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.endIndex,
                ASCII.isHexDigit(input[index + 1]), ASCII.isHexDigit(input[index + 2]),
                let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                output.append(value)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    // MARK: Path and query

    /// Replaces `parts`' path and query with those of `input` (which starts at the path, or at
    /// `?`/`#`, or is empty). Dot segments are resolved and unsafe bytes percent-encoded.
    private static func withPathAndQuery(_ input: ArraySlice<UInt8>, replacing parts: URLParts) -> URLParts {
        var parts = parts
        let beforeFragment = input.prefix(while: { $0 != UInt8(ascii: "#") })
        let queryStart = beforeFragment.firstIndex(of: UInt8(ascii: "?"))
        let pathBytes = beforeFragment[beforeFragment.startIndex..<(queryStart ?? beforeFragment.endIndex)]
        parts.path = normalizedPath(pathBytes)
        parts.query = queryStart.map { encodeQuery(beforeFragment[($0 + 1)...]) }
        return parts
    }

    private static func withPathAndQuery(_ input: [UInt8], replacing parts: URLParts) -> URLParts {
        withPathAndQuery(input[...], replacing: parts)
    }

    private static func normalizedPath(_ path: ArraySlice<UInt8>) -> String {
        var segments = path.split(omittingEmptySubsequences: false, whereSeparator: isSlash)
        // The path starts with a slash (or is empty), so the first piece is empty.
        if segments.first?.isEmpty == true { segments.removeFirst() }
        var output: [String] = []
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            if isDoubleDot(segment) {
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            } else if isSingleDot(segment) {
                if isLast { output.append("") }
            } else {
                output.append(encode(segment, keeping: isPathByte))
            }
        }
        return "/" + output.joined(separator: "/")
    }

    private static func isSingleDot(_ segment: ArraySlice<UInt8>) -> Bool {
        let text = ASCII.lowercased(String(decoding: segment, as: UTF8.self))
        return text == "." || text == "%2e"
    }

    private static func isDoubleDot(_ segment: ArraySlice<UInt8>) -> Bool {
        let text = ASCII.lowercased(String(decoding: segment, as: UTF8.self))
        return text == ".." || text == ".%2e" || text == "%2e." || text == "%2e%2e"
    }

    private static func encodeQuery(_ bytes: ArraySlice<UInt8>) -> String {
        encode(bytes, keeping: isSpecialQueryByte)
    }

    /// URL Standard path percent-encode set, inverted.
    private static func isPathByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "?"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            return false
        default:
            return true
        }
    }

    /// URL Standard special-query percent-encode set, inverted.
    private static func isSpecialQueryByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "'"):
            return false
        default:
            return true
        }
    }

    /// URL Standard userinfo percent-encode set, inverted.
    private static func isUserinfoByte(_ byte: UInt8) -> Bool {
        guard isPathByte(byte) else { return false }
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="),
            UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "]"),
            UInt8(ascii: "^"), UInt8(ascii: "|"):
            return false
        default:
            return true
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func encode(_ bytes: ArraySlice<UInt8>, keeping isKept: (UInt8) -> Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for byte in bytes {
            if isKept(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
