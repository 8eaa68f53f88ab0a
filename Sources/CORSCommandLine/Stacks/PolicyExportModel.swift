import CORS

/// A policy as every exporter needs it: the exact response field values the engine would send,
/// and the origin, method and request-header rules as anchored regular expressions that accept
/// exactly what the engine accepts.
///
/// The regular expressions use only the syntax that PCRE, RE2, Python, JavaScript, Java, .NET
/// and Ruby share (`^`, `$`, `(?:…)`, classes, bounded repetition), no look-around, so one
/// spelling serves every stack.
struct PolicyExportModel: Sendable {
    let policy: CORSPolicy

    /// The longest `Origin` the engine considers at all; longer ones are never trusted.
    static let maximumOriginLength = 320
    /// The engine's bounds on `Access-Control-Request-Headers`.
    static let maximumRequestHeadersBytes = 4096
    static let maximumRequestHeadersElements = 128

    /// `*` in `allowOrigins`: every origin is answered with `*` (never with credentials).
    var allowsAnyOrigin: Bool { policy.allowOrigins.contains("*") }
    /// Whether the answer depends on the origin, so every response needs `Vary: Origin`.
    var dependsOnOrigin: Bool { !allowsAnyOrigin }
    /// Exact origins, byte for byte, including `null` when the policy dangerously allows it.
    var exactOrigins: [String] {
        policy.allowOrigins.filter { $0 != "*" && ($0 != "null" || policy.dangerouslyAllowNullOrigin) }
    }

    /// One anchored regular expression per trusted origin rule: exact origins escaped, then
    /// patterns. Matching any of them, with the origin no longer than
    /// ``maximumOriginLength``, is exactly the engine's static trust.
    var originRegexes: [String] {
        exactOrigins.map { "^" + Self.escaped($0) + "$" } + policy.allowOriginPatterns.map(Self.patternRegex)
    }

    /// All of ``originRegexes`` as one alternation.
    var originRegex: String {
        "^(?:" + originRegexes.map { String($0.dropFirst().dropLast()) }.joined(separator: "|") + ")$"
    }

    // MARK: Response field values, exactly as the engine renders them

    var allowMethodsValue: String? { Self.list(policy.allowMethods, caseSensitive: true) }
    var allowHeadersValue: String? { Self.list(policy.allowHeaders, caseSensitive: false) }
    var exposeHeadersValue: String? { Self.list(policy.exposeHeaders, caseSensitive: false) }
    var maxAgeValue: String? { policy.maxAge.map(String.init) }
    var preflightStatus: Int { policy.preflightStatus }
    var varyPreflightValue: String {
        var names = ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]
        if policy.allowPrivateNetwork { names.append("Access-Control-Request-Private-Network") }
        return names.joined(separator: ", ")
    }
    /// `Vary` for responses that are not preflights nor other `OPTIONS` requests.
    var varyActualValue: String? { dependsOnOrigin ? "Origin" : nil }

    /// The `Access-Control-*` fields the layer owns: an upstream's own are removed.
    static let ownedFields = [
        "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods",
        "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Access-Control-Max-Age",
        "Access-Control-Allow-Private-Network",
    ]

    // MARK: Preflight rules

    /// Matches an `Access-Control-Request-Method` the policy grants (case-sensitive, as browsers
    /// compare methods): the safelisted GET, HEAD and POST, and the listed ones.
    var methodRegex: String {
        if policy.allowMethods.contains("*") { return "^" + Self.tokenClass + "+$" }
        var methods = ["GET", "HEAD", "POST"]
        for method in policy.allowMethods where !methods.contains(method) { methods.append(method) }
        return "^(?:" + methods.map(Self.escaped).joined(separator: "|") + ")$"
    }

    /// Whether `*` in `allowHeaders` lets any name but `Authorization` through.
    var allowsAnyHeader: Bool { policy.allowHeaders.contains("*") }

    /// Lowercased listed header names.
    var listedHeaderNames: [String] {
        var names: [String] = []
        for name in policy.allowHeaders where name != "*" && !names.contains(name.lowercased()) {
            names.append(name.lowercased())
        }
        return names
    }

    /// Matches a whole `Access-Control-Request-Headers` value (compare case-insensitively, or
    /// lowercase the value first) whose every element is granted: at most 128 elements, each
    /// empty or a granted name with optional spaces and tabs around it. With `*`, see also
    /// ``authorizationElementRegex``.
    var requestHeadersRegex: String {
        let name: String
        if allowsAnyHeader {
            name = Self.tokenClass + "+"
        } else if listedHeaderNames.isEmpty {
            name = ""
        } else {
            name = "(?:" + listedHeaderNames.map(Self.escaped).joined(separator: "|") + ")"
        }
        let element = name.isEmpty ? "[ \\t]*" : "[ \\t]*(?:\(name)[ \\t]*)?"
        return "^\(element)(?:,\(element)){0,\(Self.maximumRequestHeadersElements - 1)}$"
    }

    /// With `*` and `Authorization` not listed: matches a value that asks for `Authorization`,
    /// which the wildcard never covers. `nil` when no such rule is needed.
    var authorizationElementRegex: String? {
        guard allowsAnyHeader, !listedHeaderNames.contains("authorization") else { return nil }
        return "(?:^|,)[ \\t]*authorization[ \\t]*(?:,|$)"
    }

    /// What a stack that cannot express part of the policy must say about it.
    var commonWarnings: [String] {
        var warnings: [String] = []
        if policy.originPredicate != nil {
            warnings.append("the policy's origin predicate cannot be exported; only its static origins are")
        }
        return warnings
    }

    // MARK: Building blocks

    /// RFC 9110 `tchar`, as a character class.
    static let tokenClass = "[!#$%&'*+.^_`|~0-9A-Za-z-]"

    /// One LDH label as the engine accepts it in a pattern: 1…63 lowercase letters, digits or
    /// hyphens, no hyphen first or last.
    static let labelRegex = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"

    /// A port as a browser sends it: 1…65535 without a leading zero.
    static let portRegex = "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"

    /// `text` with every regular-expression metacharacter escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// The anchored regular expression for a validated pattern such as `https://*.example.com`
    /// or `http://localhost:*`: the same set of origins as the engine's `OriginPattern`.
    static func patternRegex(_ pattern: String) -> String {
        let scheme: Substring
        let authority: Substring
        if let separator = pattern.firstRange(of: "://") {
            scheme = pattern[..<separator.lowerBound]
            authority = pattern[separator.upperBound...]
        } else {
            scheme = "https"
            authority = Substring(pattern)
        }
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        var regex = "^" + escaped(String(scheme)) + "://"
        if host.hasPrefix("*.") {
            regex += "(?:\(labelRegex)\\.)+" + escaped(String(host.dropFirst(2)))
        } else {
            regex += escaped(String(host))
        }
        switch portText {
        case nil: break
        case "*": regex += "(?::\(portRegex))?"
        case let digits?:
            let defaultPort = scheme == "https" || scheme == "wss" ? 443 : scheme == "http" || scheme == "ws" ? 80 : nil
            if Int(digits) != defaultPort { regex += ":" + String(Int(digits) ?? 0) }
        }
        return regex + "$"
    }

    private static func list(_ values: [String], caseSensitive: Bool) -> String? {
        var unique: [String] = []
        for value in values
        where !unique.contains(where: { caseSensitive ? $0 == value : $0.lowercased() == value.lowercased() }) {
            unique.append(value)
        }
        return unique.isEmpty ? nil : unique.joined(separator: ", ")
    }
}

/// Where a server-level export listens and what it proxies to.
struct ExportEndpoints: Sendable {
    /// `HOST:PORT` to listen on.
    var listen: String
    /// The upstream's URL, as given (`http://127.0.0.1:8000`).
    var upstream: String

    var listenHost: String {
        guard let colon = listen.lastIndex(of: ":") else { return listen }
        return String(listen[..<colon])
    }
    var listenPort: String {
        guard let colon = listen.lastIndex(of: ":") else { return "80" }
        return String(listen[listen.index(after: colon)...])
    }
    /// The upstream's `host:port`, without scheme or path.
    var upstreamAuthority: String {
        var rest = Substring(upstream)
        if let separator = rest.firstRange(of: "://") { rest = rest[separator.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }

    /// The upstream's scheme, `http` unless the URL says `https`.
    var upstreamScheme: String { upstream.lowercased().hasPrefix("https://") ? "https" : "http" }

    /// The upstream's path (`/base`), empty when the URL has none.
    var upstreamPath: String {
        var rest = Substring(upstream)
        if let separator = rest.firstRange(of: "://") { rest = rest[separator.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        return String(rest[slash...])
    }

    /// The upstream's `host:port` with the scheme's default port made explicit, for a server
    /// line of an nginx `upstream { }` block (which defaults to port 80 whatever the scheme).
    var upstreamServer: String {
        let authority = upstreamAuthority
        let hasPort = authority.hasPrefix("[") ? authority.contains("]:") : authority.contains(":")
        return hasPort ? authority : authority + (upstreamScheme == "https" ? ":443" : ":80")
    }
}

/// One stack's export: the configuration text, what it cannot express, and how it was proven.
struct StackExport: Sendable {
    var stack: ServerStack
    var configuration: String
    var warnings: [String]
    /// "verified with <tool/version> by <test>", or `nil` when no test runs the real server.
    var verification: String?
}
