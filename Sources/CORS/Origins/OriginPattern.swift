import CORSWebSyntax
/// A compiled entry of `allowOriginPatterns`: `https://*.example.com` (one or more subdomain
/// labels, never the bare domain), `http://localhost:*` (any port), or both at once.
///
/// Matching works on the request's bytes and never allocates. It accepts only origins in
/// serialized form (lowercase, no path), so a near-miss spelling never matches by accident.
struct OriginPattern: Sendable, Hashable {
    enum HostRule: Sendable, Hashable {
        /// Exactly this host.
        case exact([UInt8])
        /// At least one LDH label followed by this suffix, which starts with a dot.
        case subdomains(ofSuffix: [UInt8])
    }

    enum PortRule: Sendable, Hashable {
        /// The origin carries no port (the scheme's default).
        case none
        /// Exactly this port.
        case exact(Int)
        /// Any port, the scheme's default included.
        case any
    }

    /// `scheme://`, as bytes.
    var schemePrefix: [UInt8]
    var host: HostRule
    var port: PortRule
    /// The pattern as written in the policy.
    var text: String

    /// Compiles a pattern that the validator has already accepted.
    init(scheme: String, host: String, portText: String?, text: String) {
        self.schemePrefix = Array("\(scheme)://".utf8)
        if host.hasPrefix("*.") {
            self.host = .subdomains(ofSuffix: Array(host.utf8.dropFirst()))
        } else {
            self.host = .exact(Array(host.utf8))
        }
        switch portText {
        case nil: self.port = .none
        case "*": self.port = .any
        case let digits?:
            let value = Int(digits) ?? 0
            self.port = value == WebScheme.defaultPort(ofScheme: scheme) ? .none : .exact(value)
        }
        self.text = text
    }

    /// Whether a request's `Origin` value matches this pattern.
    func matches(_ origin: UnsafeBufferPointer<UInt8>) -> Bool {
        guard origin.count > schemePrefix.count,
            origin.starts(with: schemePrefix)
        else { return false }
        let authority = origin[schemePrefix.count...]
        // Split host and port; IPv6 literals never match a pattern's host rules below except
        // an exact one, where the bracketed bytes compare as they are.
        var hostEnd = authority.endIndex
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return false }
            hostEnd = close + 1
        } else if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
            hostEnd = colon
        }
        let hostBytes = authority[authority.startIndex..<hostEnd]
        let portBytes = authority[hostEnd...]

        guard portMatches(portBytes) else { return false }

        switch host {
        case .exact(let expected):
            return hostBytes.elementsEqual(expected)
        case .subdomains(let suffix):
            guard hostBytes.count > suffix.count, hostBytes.reversed().starts(with: suffix.reversed())
            else { return false }
            let labels = hostBytes[hostBytes.startIndex..<(hostBytes.endIndex - suffix.count)]
            // Label by label, in place (no array of labels on the request path).
            var start = labels.startIndex
            while start <= labels.endIndex {
                let end = labels[start...].firstIndex(of: UInt8(ascii: ".")) ?? labels.endIndex
                guard HostSyntax.isLDHLabel(labels[start..<end]) else { return false }
                start = end + 1
            }
            return true
        }
    }

    private func portMatches(_ portBytes: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        if portBytes.isEmpty {
            return port == .none || port == .any
        }
        // ":" followed by 1…5 digits without a leading zero: the only form a browser sends.
        let digits = portBytes.dropFirst()
        guard portBytes.first == UInt8(ascii: ":"), (1...5).contains(digits.count),
            digits.first != UInt8(ascii: "0"), digits.allSatisfy(ASCII.isDigit)
        else { return false }
        var value = 0
        for digit in digits { value = value * 10 + Int(digit - UInt8(ascii: "0")) }
        switch port {
        case .none: return false
        case .exact(let expected): return value == expected
        case .any: return value <= 65535
        }
    }
}
