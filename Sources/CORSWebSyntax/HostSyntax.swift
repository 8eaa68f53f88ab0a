/// Host syntax of origins in policies, shared by the policy validator and the request-time
/// matcher.
package enum HostSyntax {
    /// Whether `host` is a dotted-quad IPv4 address in canonical form (no leading zeros).
    package static func isIPv4(_ host: some StringProtocol) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy(ASCII.isDigit),
                let value = Int(part), value <= 255
            else { return false }
            return part == "0" || !part.hasPrefix("0")
        }
    }

    /// Whether a URL parser reads the host as IPv4 (URL Standard "ends in a number"): its last
    /// label is all digits or a `0x` hexadecimal number, so `0x7f.1` is `127.0.0.1` and
    /// `a.0x1` is no host at all.
    package static func looksNumeric(_ host: some StringProtocol) -> Bool {
        IPAddressLiteral.endsInANumber(Array(host.utf8))
    }

    /// A DNS label as a pattern's wildcard may match it: 1…63 lowercase letters, digits or
    /// hyphens, not starting or ending with a hyphen (RFC 1123 LDH).
    @inlinable
    package static func isLDHLabel(_ label: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"),
            label.last != UInt8(ascii: "-")
        else { return false }
        for byte in label {
            let isLetter = byte &- UInt8(ascii: "a") < 26
            if !(isLetter || ASCII.isDigit(byte) || byte == UInt8(ascii: "-")) { return false }
        }
        return true
    }

    /// Whether `host` is a valid lowercase domain name: labels of letters, digits, `-` or `_`,
    /// 1…63 bytes each, 253 bytes in all, no empty label.
    package static func isDomainName(_ host: some StringProtocol) -> Bool {
        guard (1...253).contains(host.utf8.count) else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count)
                && label.utf8.allSatisfy { byte in
                    byte &- UInt8(ascii: "a") < 26 || ASCII.isDigit(byte) || byte == UInt8(ascii: "-")
                        || byte == UInt8(ascii: "_")
                }
        }
    }

    /// The URL Standard's serialization of a bracketed IPv6 literal, as browsers send it in
    /// `Origin` — lowercase hexadecimal without leading zeros, the first longest run of two or
    /// more zero pieces written `::`, an embedded IPv4 part in hexadecimal (`[0:0::1]` →
    /// `[::1]`, `[::ffff:1.2.3.4]` → `[::ffff:102:304]`) — or `nil` when `host` is not one.
    package static func canonicalIPv6(_ host: some StringProtocol) -> String? {
        guard host.hasPrefix("["), host.hasSuffix("]"), host.utf8.count > 2,
            let pieces = IPAddressLiteral.parseIPv6(Array(host.utf8.dropFirst().dropLast()))
        else { return nil }
        return IPAddressLiteral.v6(pieces).serialized
    }

    /// Whether `host` is a bracketed IPv6 literal such as `[::1]` (syntax only).
    package static func isIPv6Literal(_ host: some StringProtocol) -> Bool {
        guard host.hasPrefix("["), host.hasSuffix("]"), host.utf8.count > 2 else { return false }
        return host.utf8.dropFirst().dropLast().allSatisfy { byte in
            ASCII.isDigit(byte) || byte &- UInt8(ascii: "a") < 6 || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: ".")
        }
    }
}
