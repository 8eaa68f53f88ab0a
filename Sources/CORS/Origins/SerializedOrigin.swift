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

    /// Whether every label is numeric, in which case a URL parser reads the host as IPv4.
    static func looksNumeric(_ host: some StringProtocol) -> Bool {
        host.split(separator: ".").last.map { $0.utf8.allSatisfy(isDigit) } ?? false
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

    /// Whether `host` is a bracketed IPv6 literal such as `[::1]` (syntax only).
    static func isIPv6Literal(_ host: some StringProtocol) -> Bool {
        guard host.hasPrefix("["), host.hasSuffix("]"), host.utf8.count > 2 else { return false }
        return host.utf8.dropFirst().dropLast().allSatisfy { byte in
            isDigit(byte) || byte &- UInt8(ascii: "a") < 6 || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: ".")
        }
    }
}
