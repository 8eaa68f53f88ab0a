import CORSWebSyntax
/// What a person wrote as an origin (or origin pattern) in a policy, taken apart leniently so
/// that every deviation from a serialized origin can be reported with the spelling that was
/// probably meant.
struct OriginSpelling: Sendable {
    /// One deviation from the serialized form.
    struct Finding: Sendable, Hashable {
        var code: CORSPolicyProblem.Code
        var message: String
        var fix: String
    }

    /// The text as written.
    var written: String
    /// The scheme, lowercased (`https` assumed when it was missing).
    var scheme: String
    /// The host, lowercased, without a trailing dot. For patterns it may start with `*.`.
    var host: String
    /// The port as written, when one was: digits or, for patterns, `*`.
    var portText: String?
    /// Every deviation found.
    var findings: [Finding] = []

    /// The port as a number, or `nil` when absent, default, `*` or invalid.
    var port: Int? {
        guard let portText, let value = Int(portText), (1...65535).contains(value) else { return nil }
        return value == WebScheme.defaultPort(ofScheme: scheme) ? nil : value
    }

    /// The canonical spelling: what a browser would send for the origin the person meant.
    var canonical: String {
        let portPart: String
        if portText == "*" {
            portPart = ":*"
        } else if let port {
            portPart = ":\(port)"
        } else {
            portPart = ""
        }
        return "\(scheme)://\(host)\(portPart)"
    }

    /// Takes `written` apart. `isPattern` allows `*` in the host and port (checked by the caller).
    /// `suggesting: false` leaves the canonical spelling out of the fixes.
    init(_ written: String, isPattern: Bool = false, suggesting: Bool = true) {
        self.written = written
        var text = Substring(written)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        let trimmed = text

        var findings: [(CORSPolicyProblem.Code, String, String)] = []
        // Messages quote what was written, but never a password written into it.
        let shown = Self.quote(Self.redactingUserinfo(written))
        if trimmed.utf8.count != written.utf8.count {
            findings.append(
                (
                    .originWhitespace,
                    "\(shown) has whitespace around it, so it never equals an Origin header.",
                    "remove the whitespace"
                ))
        }

        // scheme
        var schemeText: Substring
        var rest: Substring
        if let separator = trimmed.firstRange(of: "://") {
            schemeText = trimmed[..<separator.lowerBound]
            rest = trimmed[separator.upperBound...]
        } else {
            schemeText = ""
            rest = trimmed
        }
        let schemeWasMissing = schemeText.isEmpty

        // remainder after the authority: path, query, fragment
        let authorityEnd =
            rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let remainder = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") {
            findings.append(
                (
                    .originUserinfo,
                    "\(shown) contains a user name or password before '@'; an origin never does.",
                    "remove the user name and password"
                ))
            authority = authority[authority.index(after: at)...]
        }

        // host and port
        var hostText: Substring
        var portText: Substring?
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let after = authority[authority.index(after: close)...]
            if after.isEmpty || after.hasPrefix(":") {
                hostText = authority[...close]
                if after.hasPrefix(":") { portText = after.dropFirst() }
            } else {
                // `[::1]x`: not a bracketed host followed by a port, so not a valid host at all
                // (reading it as `[::1]` and dropping the rest would accept what no browser sends;
                // a case found by the origins fuzzer, see Fuzz/README.md).
                hostText = authority
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostText = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            hostText = authority
        }

        let lowerScheme = schemeText.lowercased()
        let lowerHost = hostText.lowercased()
        if schemeWasMissing {
            let assumed = Self.isLoopbackName(lowerHost) ? "http" : "https"
            schemeText = Substring(assumed)
            findings.append(
                (
                    .originMissingScheme,
                    "\(shown) has no scheme; an origin is scheme://host[:port].",
                    "add the scheme the page is served with"
                ))
        } else if !Self.isSchemeSyntax(lowerScheme) {
            findings.append(
                (
                    .originInvalidScheme,
                    "\(shown) does not start with a valid URL scheme.",
                    "start with https:// or http://"
                ))
        }
        if schemeText.contains(where: \.isUppercase) || hostText.contains(where: \.isUppercase) {
            findings.append(
                (
                    .originUppercase,
                    "\(shown) has uppercase letters; browsers send the scheme and host in lowercase and origins are compared byte for byte.",
                    "write it in lowercase"
                ))
        }

        self.scheme = schemeWasMissing ? String(schemeText) : lowerScheme
        var host = lowerHost
        if host.hasSuffix("."), host.count > 1 {
            // All of them: the suggestion must be a spelling that is accepted as it is.
            while host.hasSuffix("."), host.count > 1 { host.removeLast() }
            findings.append(
                (
                    .originInvalidHost,
                    "\(shown) ends its host with a dot; browsers send that as a different origin.",
                    "remove the trailing dot"
                ))
        }
        if let ipv6 = HostSyntax.canonicalIPv6(host), ipv6 != host {
            findings.append(
                (
                    .originInvalidHost,
                    "\(shown) writes the IPv6 address \(host) in a form no browser sends; browsers send \(ipv6).",
                    "write the address as browsers do"
                ))
            host = ipv6
        }
        self.host = host
        self.portText = portText.map(String.init)

        if !remainder.isEmpty {
            if remainder == "/" {
                findings.append(
                    (
                        .originTrailingSlash,
                        "\(shown) ends with a slash; the Origin header never does, so this entry would match nothing.",
                        "remove the trailing slash"
                    ))
            } else {
                let pathEnd = remainder.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? remainder.endIndex
                let path = remainder[..<pathEnd]
                if !path.isEmpty, path != "/" {
                    findings.append(
                        (
                            .originPath,
                            "\(shown) has a path (\(path)); an origin is only scheme://host[:port].",
                            "remove the path"
                        ))
                } else if path == "/" {
                    findings.append(
                        (
                            .originTrailingSlash,
                            "\(shown) has a slash after the host; the Origin header never does.",
                            "remove the slash"
                        ))
                }
                if let query = remainder.firstIndex(of: "?"),
                    remainder.firstIndex(of: "#").map({ query < $0 }) ?? true
                {
                    findings.append(
                        (
                            .originQuery,
                            "\(shown) has a query string; an origin never does.",
                            "remove everything from the '?'"
                        ))
                }
                if remainder.contains("#") {
                    findings.append(
                        (
                            .originFragment,
                            "\(shown) has a fragment; an origin never does.",
                            "remove everything from the '#'"
                        ))
                }
            }
        }

        if let portText {
            let isWildcardPort = isPattern && portText == "*"
            if !isWildcardPort {
                if portText.isEmpty {
                    findings.append(
                        (
                            .originInvalidPort,
                            "\(shown) ends with ':' but names no port.",
                            "remove the ':' or add the port"
                        ))
                } else if !portText.utf8.allSatisfy(ASCII.isDigit) || portText.utf8.count > 5
                    || !(1...65535).contains(Int(portText) ?? 0)
                {
                    findings.append(
                        (
                            .originInvalidPort,
                            "\(shown) has the port \(portText), which is not a number from 1 to 65535.",
                            "write a valid port"
                        ))
                } else if let value = Int(portText),
                    value == WebScheme.defaultPort(ofScheme: self.scheme)
                {
                    findings.append(
                        (
                            .originDefaultPort,
                            "\(shown) names port \(value), the default for \(self.scheme); browsers leave it out of the Origin header.",
                            "remove the port"
                        ))
                } else if portText.hasPrefix("0") {
                    findings.append(
                        (
                            .originInvalidPort,
                            "\(shown) writes its port with a leading zero; browsers send it without.",
                            "remove the leading zeros"
                        ))
                }
            }
        }

        if self.scheme == "file" {
            findings.append(
                (
                    .originOpaqueScheme,
                    "\(shown) is a file: URL; such pages have an opaque origin and send Origin: null.",
                    "serve the page from http://localhost instead, and allow that origin"
                ))
        } else {
            let hostToCheck = isPattern && host.hasPrefix("*.") ? String(host.dropFirst(2)) : host
            if !hostToCheck.utf8.allSatisfy({ $0 < 0x80 }) {
                findings.append(
                    (
                        .originInvalidHost,
                        "\(shown) has a non-ASCII host; browsers send internationalized hosts in their punycode (xn--) form.",
                        "write the host in its xn-- form, as `new URL(location.href).origin` shows it"
                    ))
            } else if !(HostSyntax.canonicalIPv6(hostToCheck) != nil
                || (HostSyntax.looksNumeric(hostToCheck) ? HostSyntax.isIPv4(hostToCheck) : HostSyntax.isDomainName(hostToCheck))
                || (isPattern && hostToCheck.contains("*")))
            {
                findings.append(
                    (
                        .originInvalidHost,
                        "\(shown) does not have a valid host (\(hostToCheck.isEmpty ? "empty" : hostToCheck)).",
                        "write a domain name, an IPv4 address or a bracketed IPv6 address"
                    ))
            }
        }

        let canonical = self.canonical
        // No suggestion when the scheme itself is wrong (the canonical form would be wrong too),
        // nor when the canonical form would itself be refused: a fix-it must be accepted as it
        // is (the origins fuzzer found `https://a.example:1x.b:1x` suggesting
        // `https://a.example:1x.b`, which is refused in turn).
        let hasSuggestion =
            suggesting
            && !findings.contains { $0.0 == .originOpaqueScheme || $0.0 == .originInvalidScheme }
            && canonical != written
            && OriginSpelling(canonical, isPattern: isPattern, suggesting: false).findings.isEmpty
        self.findings = findings.map { code, message, fix in
            Finding(
                code: code, message: message,
                fix: hasSuggestion && Self.isRecoverable(code) ? "\(fix): did you mean \(canonical)?" : "\(fix).")
        }
    }

    private static func isRecoverable(_ code: CORSPolicyProblem.Code) -> Bool {
        switch code {
        case .originOpaqueScheme, .originInvalidScheme: false
        case .originInvalidPort: true
        default: true
        }
    }

    private static func isSchemeSyntax(_ scheme: String) -> Bool {
        guard let first = scheme.utf8.first, first &- UInt8(ascii: "a") < 26 else { return false }
        return scheme.utf8.allSatisfy { byte in
            byte &- UInt8(ascii: "a") < 26 || ASCII.isDigit(byte) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    private static func isLoopbackName(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "[::1]"
    }

    static func quote(_ text: String) -> String { "\"\(text)\"" }

    /// `https://user:secret@host` → `https://…@host`.
    static func redactingUserinfo(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@") else { return text }
        let start = text.firstRange(of: "://")?.upperBound ?? text.startIndex
        guard start <= at, !text[start..<at].contains("/") else { return text }
        return String(text[..<start]) + "…" + String(text[at...])
    }
}
