/// A tuple origin in its canonical parts: lowercase scheme, lowercase ASCII host, and the
/// port only when it is not the scheme's default — exactly what a browser puts in `Origin`.
struct SerializedOrigin: Sendable, Hashable {
    var scheme: String
    var host: String
    var port: Int?

    /// The ASCII serialization of an origin (HTML "serialization of an origin").
    var serialization: String {
        port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }

    /// The port a scheme uses when none is written; a browser elides it from the origin.
    static func defaultPort(ofScheme scheme: String) -> Int? {
        switch scheme {
        case "http", "ws": 80
        case "https", "wss": 443
        case "ftp": 21
        default: nil
        }
    }

    /// Whether the host is loopback, where plain `http` cannot be intercepted on the network:
    /// `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`.
    var isLoopback: Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host == "[::1]"
            || (host.hasPrefix("127.") && HostSyntax.isIPv4(host))
    }

    /// Whether a network attacker can read or alter this origin's pages (plain `http` or `ws`
    /// on a non-loopback host).
    var isPotentiallyTrustworthy: Bool {
        !(scheme == "http" || scheme == "ws") || isLoopback
    }
}

/// Host syntax shared by the policy validator and the request-time matcher.
enum HostSyntax {
    /// Whether `host` is a dotted-quad IPv4 address in canonical form (no leading zeros).
    static func isIPv4(_ host: some StringProtocol) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy(isDigit),
                let value = Int(part), value <= 255
            else { return false }
            return part == "0" || !part.hasPrefix("0")
        }
    }

    /// Whether a URL parser reads the host as IPv4 (URL Standard "ends in a number"): its last
    /// label is all digits or a `0x` hexadecimal number, so `0x7f.1` is `127.0.0.1` and
    /// `a.0x1` is no host at all.
    static func looksNumeric(_ host: some StringProtocol) -> Bool {
        guard let last = host.split(separator: ".").last else { return false }
        if last.utf8.allSatisfy(isDigit) { return true }
        let bytes = Array(last.utf8)
        return bytes.count >= 2 && bytes[0] == UInt8(ascii: "0") && (bytes[1] | 0x20) == UInt8(ascii: "x")
            && bytes.dropFirst(2).allSatisfy(isHexDigit)
    }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// A DNS label as a pattern's wildcard may match it: 1…63 lowercase letters, digits or
    /// hyphens, not starting or ending with a hyphen (RFC 1123 LDH).
    @inline(__always)
    static func isLDHLabel(_ label: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"),
            label.last != UInt8(ascii: "-")
        else { return false }
        for byte in label {
            let isLetter = byte &- UInt8(ascii: "a") < 26
            if !(isLetter || isDigit(byte) || byte == UInt8(ascii: "-")) { return false }
        }
        return true
    }

    /// Whether `host` is a valid lowercase domain name: labels of letters, digits, `-` or `_`,
    /// 1…63 bytes each, 253 bytes in all, no empty label.
    static func isDomainName(_ host: some StringProtocol) -> Bool {
        guard (1...253).contains(host.utf8.count) else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count)
                && label.utf8.allSatisfy { byte in
                    byte &- UInt8(ascii: "a") < 26 || isDigit(byte) || byte == UInt8(ascii: "-")
                        || byte == UInt8(ascii: "_")
                }
        }
    }

    /// The URL Standard's serialization of a bracketed IPv6 literal, as browsers send it in
    /// `Origin` — lowercase hexadecimal without leading zeros, the first longest run of two or
    /// more zero pieces written `::`, an embedded IPv4 part in hexadecimal (`[0:0::1]` →
    /// `[::1]`, `[::ffff:1.2.3.4]` → `[::ffff:102:304]`) — or `nil` when `host` is not one.
    static func canonicalIPv6(_ host: some StringProtocol) -> String? {
        guard host.hasPrefix("["), host.hasSuffix("]"), host.utf8.count > 2 else { return nil }
        let inner = Substring(host.dropFirst().dropLast())
        // The 16-bit pieces of `text`; an IPv4 part is allowed only at the very end.
        func pieces(_ text: Substring, endsAddress: Bool) -> [UInt16]? {
            if text.isEmpty { return [] }
            var result: [UInt16] = []
            let groups = text.split(separator: ":", omittingEmptySubsequences: false)
            for (index, group) in groups.enumerated() {
                if endsAddress, index == groups.count - 1, group.contains(".") {
                    guard isIPv4(group) else { return nil }
                    let octets = group.split(separator: ".").compactMap { UInt16($0) }
                    result += [octets[0] << 8 | octets[1], octets[2] << 8 | octets[3]]
                } else {
                    guard (1...4).contains(group.utf8.count), group.utf8.allSatisfy(isHexDigit),
                        let value = UInt16(group, radix: 16)
                    else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        let address: [UInt16]
        if let gap = inner.firstRange(of: "::") {
            guard let head = pieces(inner[..<gap.lowerBound], endsAddress: false),
                let tail = pieces(inner[gap.upperBound...], endsAddress: true), head.count + tail.count <= 7
            else { return nil }
            address = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = pieces(inner, endsAddress: true), all.count == 8 else { return nil }
            address = all
        }
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            guard address[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < 8, address[index] == 0 { index += 1 }
            if index - start > bestLength {
                bestStart = start
                bestLength = index - start
            }
        }
        var output = "["
        var position = 0
        while position < 8 {
            if position == bestStart {
                output += position == 0 ? "::" : ":"
                position += bestLength
                continue
            }
            output += String(address[position], radix: 16)
            if position != 7 { output += ":" }
            position += 1
        }
        return output + "]"
    }

    /// Whether `host` is a bracketed IPv6 literal such as `[::1]` (syntax only).
    static func isIPv6Literal(_ host: some StringProtocol) -> Bool {
        guard host.hasPrefix("["), host.hasSuffix("]"), host.utf8.count > 2 else { return false }
        return host.utf8.dropFirst().dropLast().allSatisfy { byte in
            isDigit(byte) || byte &- UInt8(ascii: "a") < 6 || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: ".")
        }
    }
}
