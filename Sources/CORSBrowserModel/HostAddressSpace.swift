import CORSWebSyntax
/// The IP address space a host belongs to, as far as it can be told from the URL alone.
///
/// Chromium decides this from the address a name resolves to; this model sees only the URL, so
/// a domain name (other than `localhost`) is `unknown`. It drives two things: whether a URL is
/// potentially trustworthy (loopback), and the Local Network Access warning (a page on a public
/// or unknown host reaching a loopback or private address).
enum HostAddressSpace: String, Sendable {
    /// 127.0.0.0/8, `::1`, `localhost` and `*.localhost`.
    case loopback
    /// RFC 1918, link-local and unique-local ranges (Chromium calls this space "local").
    case local
    /// Any other IP literal.
    case `public`
    /// A domain name: its address space is known only after DNS resolution.
    case unknown

    /// Classifies a host as `WebURL` serializes it (lowercased, IP literals canonical).
    init(host: String) {
        var name = Substring(host)
        if name.hasSuffix("."), name.count > 1 { name = name.dropLast() }
        if name == "localhost" || name.hasSuffix(".localhost") {
            self = .loopback
            return
        }
        let bytes = Array(host.utf8)
        var literal: IPAddressLiteral?
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            literal = IPAddressLiteral.parseIPv6(Array(bytes.dropFirst().dropLast())).map { .v6($0) }
        } else if IPAddressLiteral.endsInANumber(bytes) {
            literal = IPAddressLiteral.parseIPv4(bytes).map { .v4($0) }
        }
        guard let literal else {
            self = .unknown
            return
        }
        if literal.isLoopback {
            self = .loopback
        } else if literal.isPrivate {
            self = .local
        } else {
            self = .public
        }
    }

    /// How private the space is, for "is the target more private than the page" comparisons;
    /// an unknown name counts as public, which is what it almost always is for a web page.
    var privacyRank: Int {
        switch self {
        case .loopback: 2
        case .local: 1
        case .public, .unknown: 0
        }
    }
}
