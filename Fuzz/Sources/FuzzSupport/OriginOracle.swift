public import CORS

/// What a valid policy's static rules trust, written straight from the documented rules:
/// byte equality with an `allowOrigins` entry, `*`, the opted-in `null`, or an
/// `allowOriginPatterns` entry re-implemented below.
public enum OriginOracle {
    /// Whether `policy` trusts the single `Origin` value `origin` (raw bytes).
    public static func trusts(_ policy: CORSPolicy, origin: [UInt8]) -> Bool {
        if policy.allowOrigins.contains("*") { return true }
        if origin == Bytes.of("null") {
            return policy.dangerouslyAllowNullOrigin && policy.allowOrigins.contains("null")
        }
        if policy.allowOrigins.contains(where: { $0 != "*" && $0 != "null" && Bytes.of($0) == origin }) {
            return true
        }
        return policy.allowOriginPatterns.contains { patternAllows($0, origin: origin) }
    }

    /// A validated pattern taken apart: `scheme://*.suffix[:port]` or `scheme://host:*`.
    struct Pattern {
        var scheme: [UInt8]
        /// `nil` for an exact host.
        var wildcardSuffix: [UInt8]?
        var host: [UInt8]
        /// `nil` (no port), `*`, or the digits.
        var port: [UInt8]?
    }

    static func parse(_ pattern: String) -> Pattern? {
        let bytes = Bytes.of(pattern)
        guard let sep = firstRange(of: Bytes.of("://"), in: bytes) else { return nil }
        let scheme = Array(bytes[..<sep])
        let rest = Array(bytes[(sep + 3)...])
        var host: [UInt8]
        var port: [UInt8]?
        if rest.first == UInt8(ascii: "["), let close = rest.firstIndex(of: UInt8(ascii: "]")) {
            host = Array(rest[...close])
            let after = rest[(close + 1)...]
            if after.first == UInt8(ascii: ":") { port = Array(after.dropFirst()) }
        } else if let colon = rest.lastIndex(of: UInt8(ascii: ":")) {
            host = Array(rest[..<colon])
            port = Array(rest[(colon + 1)...])
        } else {
            host = rest
        }
        if host.starts(with: Bytes.of("*.")) {
            return Pattern(scheme: scheme, wildcardSuffix: Array(host.dropFirst(2)), host: host, port: port)
        }
        return Pattern(scheme: scheme, wildcardSuffix: nil, host: host, port: port)
    }

    /// Whether the (validated) pattern allows `origin`.
    public static func patternAllows(_ pattern: String, origin: [UInt8]) -> Bool {
        guard let pattern = parse(pattern) else { return false }
        let prefix = pattern.scheme + Bytes.of("://")
        guard origin.starts(with: prefix) else { return false }
        let authority = Array(origin.dropFirst(prefix.count))
        // Try every split of the authority into host and ":port"; any that satisfies both
        // rules matches.
        var splits: [([UInt8], [UInt8])] = [(authority, [])]
        for index in authority.indices where authority[index] == UInt8(ascii: ":") {
            splits.append((Array(authority[..<index]), Array(authority[index...])))
        }
        return splits.contains { host, port in hostAllowed(pattern, host) && portAllowed(pattern, port) }
    }

    static func hostAllowed(_ pattern: Pattern, _ host: [UInt8]) -> Bool {
        guard let suffix = pattern.wildcardSuffix else { return host == pattern.host }
        let dottedSuffix = [UInt8(ascii: ".")] + suffix
        guard host.count > dottedSuffix.count, Array(host.suffix(dottedSuffix.count)) == dottedSuffix else {
            return false
        }
        let labels = host.dropLast(dottedSuffix.count).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return false }
            return label.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
        }
    }

    static func portAllowed(_ pattern: Pattern, _ port: [UInt8]) -> Bool {
        guard let rule = pattern.port else { return port.isEmpty }
        if rule == Bytes.of("*") {
            if port.isEmpty { return true }
            let digits = port.dropFirst()
            guard port.first == UInt8(ascii: ":"), (1...5).contains(digits.count), digits.first != UInt8(ascii: "0"),
                digits.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(String(decoding: digits, as: UTF8.self))
            else { return false }
            return value <= 65535
        }
        return port == [UInt8(ascii: ":")] + rule
    }

    static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle {
            return start
        }
        return nil
    }
}
