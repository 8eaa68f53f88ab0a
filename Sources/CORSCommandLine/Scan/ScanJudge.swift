import Foundation
import CORSBrowserModel
import HTTPTypes

/// Turns a target's observations into findings, one per thing the server does wrong, judging
/// like a browser: `Access-Control-Allow-Origin` is compared byte for byte with the origin sent,
/// exposure follows what an attacker's page could really read, and breakage what blocks the
/// API's own frontend.
struct ScanJudge: Sendable {
    var observations: [Observation]
    /// The header name no API allows, sent in the mirror preflight and the CR LF probes.
    var probeHeader: String
    /// The scanned URL, the anchor of every finding's fingerprint.
    var targetURL: String

    /// What the scan saw of the site's cookies, which decides whether a credentialed read is
    /// exploitable from another site.
    struct CookieEvidence: Sendable {
        var sentCrossSite: [String]
        var notSentCrossSite: [String]

        init(_ observations: [Observation]) {
            var sent: [String] = []
            var notSent: [String] = []
            for value in Set(observations.flatMap { $0.response.headerFields[values: .setCookie] }).sorted() {
                let cookie = SetCookie(parsing: value)
                if cookie.crossSiteVerdict.isSentCrossSite {
                    sent.append(cookie.name)
                } else {
                    notSent.append("\(cookie.name) (\(cookie.sameSite?.rawValue ?? "no SameSite, so Lax in Chrome")\(cookie.isSecure ? "" : ", not Secure"))")
                }
            }
            sentCrossSite = sent.uniqued()
            notSentCrossSite = notSent.uniqued()
        }
    }

    /// The stack the responses point to, for stack-specific fixes.
    var detection: StackDetection {
        StackKnowledge.detect(
            observations.map { observation in
                StackResponse(
                    status: observation.response.status.code,
                    fields: observation.response.headerFields.map { ($0.name.rawName, $0.value) },
                    body: String(decoding: observation.response.bodyPrefix, as: UTF8.self))
            })
    }

    /// What is worth knowing but is not a finding.
    func notes() -> [String] {
        var notes: [String] = []
        if let refusal = observations.first(where: { $0.purpose == .mirrorPreflight && Self.isDeliberateRefusal($0) }) {
            notes.append(
                "a preflight asking for a header the API does not allow got \(refusal.response.status.code) with the CORS headers (Starlette's CORSMiddleware answers 400 \"Disallowed CORS headers\"): harmless, but the browser then reports PreflightInvalidStatus instead of naming the missing header; an ok status with the allowed lists lets the console name it"
            )
        }
        let mirrors = observations.contains { $0.purpose == .mirrorPreflight && $0.grantsOrigin && Self.lists($0.response.headerFields[.accessControlAllowHeaders], probeHeader) }
        let untrustedGranted = observations.contains { $0.purpose == .probe && $0.grantsOrigin }
        if mirrors && !untrustedGranted {
            notes.append(
                "preflights from trusted origins get the requested headers echoed back (as Flask-CORS and django-cors-headers do by default): harmless while only trusted origins are granted")
        }
        return notes
    }

    /// A preflight answered 4xx by a CORS layer that still grants the origin: it refused what
    /// was asked, not the origin, and is up and running before routing and authentication.
    static func isDeliberateRefusal(_ observation: Observation) -> Bool {
        (400...499).contains(observation.response.status.code) && observation.grantsOrigin
    }

    func findings() -> [ScanFinding] {
        var findings = grantFindings()
        let detection = detection
        func stackFix(_ failure: CheckFailureKind) -> String {
            guard let stack = detection.stack else { return "" }
            return " \(stack.dialect.displayName): \(stack.dialect.fix(for: failure))"
        }
        func finding(_ code: ScanFindingCode, _ severity: ScanSeverity, _ shown: [Observation], detail: String = "", stack: CheckFailureKind? = nil) -> ScanFinding {
            let text = ScanCatalogue.text(code, detail: detail)
            return ScanFinding(
                code: code, severity: severity, probeOrigin: shown.first?.origin, evidence: Self.evidence(shown),
                explanation: text.explanation, fix: text.fix + (stack.map(stackFix) ?? ""), anchor: code.rawValue)
        }
        let trustedGets = observations.filter { $0.isTrustedOrigin && $0.kind == .get && ($0.purpose == .trusted || $0.purpose == .cacheFirst) }
        let frontendGranted = trustedGets.contains { $0.grantsOrigin && $0.isSuccess }

        // `*`, with or without credentials (passive: any response).
        let wildcard = observations.filter { $0.allowOrigin == "*" }
        if !wildcard.isEmpty {
            let withCredentials = wildcard.filter(\.allowsCredentials)
            if withCredentials.isEmpty {
                findings.append(finding(.wildcard, .info, wildcard))
            } else {
                findings.append(
                    finding(.wildcardWithCredentials, .low, withCredentials, stack: .wildcardWithCredentials(origin: trustedGets.first?.origin ?? "https://app.example.com")))
            }
        }

        // Allow-Origin values no browser accepts; on a trusted origin's response they block every request.
        let invalid = observations.filter { Self.isInvalidAllowOrigin($0) && !$0.grantsOrigin && $0.purpose != .crlf }
        if !invalid.isEmpty {
            let onFrontend = invalid.filter(\.isTrustedOrigin)
            let shown = onFrontend.isEmpty ? invalid : onFrontend
            findings.append(finding(.invalidAllowOrigin, onFrontend.isEmpty ? .low : .high, shown, detail: shown[0].allowOrigin ?? ""))
        }

        // The shared-cache test: the second origin got the first one's answer from a cache.
        let cached = observations.filter { observation in
            guard observation.purpose == .cacheSecond, let first = observations.last(where: { $0.purpose == .cacheFirst }) else { return false }
            return observation.allowOrigin == first.origin && observation.allowOrigin != observation.origin
                && Self.cacheHit(observation.response) != nil
        }
        if let second = cached.first, let first = observations.last(where: { $0.purpose == .cacheFirst }) {
            findings.append(
                finding(.cachePoisoningRisk, .medium, [first, second], detail: "\(first.origin ?? "")\u{1}\(second.origin ?? "")\u{1}\(Self.cacheHit(second.response) ?? "")"))
        } else if Self.isDynamic(observations), let unvaried = observations.first(where: { observation in
            observation.kind == .get && observation.grantsOrigin && observation.origin != "null"
                && Self.isCacheable(observation.response) && !Self.varies(observation.response, on: "origin")
        }) {
            // A dynamic Allow-Origin on a cacheable response without `Vary: Origin`.
            findings.append(finding(.missingVaryOrigin, .medium, [unvaried]))
        }

        // Preflights the frontend sends: redirected, refused, or answered without CORS.
        let functional = observations.filter { $0.purpose == .functionalPreflight }
        let byOrigin = Dictionary(grouping: functional, by: { $0.origin ?? "" })
        var redirected: [Observation] = []
        var refused: [Observation] = []
        var bare: [Observation] = []
        for origin in functional.compactMap(\.origin).uniqued() {
            let answers = byOrigin[origin] ?? []
            // One method that works is enough: the route may lack the other.
            guard !answers.contains(where: { $0.isSuccess && $0.grantsOrigin }) else { continue }
            if let redirect = answers.first(where: { (300...399).contains($0.response.status.code) }) {
                redirected.append(redirect)
            } else if let ok = answers.first(where: { $0.isSuccess && $0.allowOrigin == nil }) {
                let getGranted = trustedGets.contains { $0.origin == origin && $0.grantsOrigin }
                if getGranted { bare.append(ok) }
            } else if answers.allSatisfy({ !$0.isSuccess && !Self.isDeliberateRefusal($0) }) {
                refused.append(contentsOf: answers)
            }
        }
        if !redirected.isEmpty {
            findings.append(
                finding(.preflightRedirect, .high, redirected, detail: redirected[0].response.headerFields[.location] ?? "?", stack: .preflightRedirected))
        }
        if !refused.isEmpty {
            let statuses = refused.map { String($0.response.status.code) }.uniqued().joined(separator: ", ")
            findings.append(
                finding(.preflightNotOK, .high, refused, detail: "\(statuses)\u{1}\(refused.compactMap(\.requestedMethod).uniqued().joined(separator: " and "))", stack: .preflightNotOK(status: refused[0].response.status.code)))
        }
        if !bare.isEmpty {
            findings.append(
                finding(.preflightWithoutCORS, .high, bare, detail: String(bare[0].response.status.code), stack: .preflightNotOK(status: bare[0].response.status.code)))
        }

        // Errors without the CORS headers, for an origin that gets them on success.
        if frontendGranted {
            let errors = observations.filter { observation in
                if case .errorProbe = observation.purpose {
                    return observation.origin != nil && observation.response.status.code >= 400 && observation.allowOrigin == nil
                }
                return false
            }
            if !errors.isEmpty {
                let detail = errors.map { observation -> String in
                    guard case .errorProbe(let what) = observation.purpose else { return "" }
                    return "\(observation.response.status.code) for \(what) (\(observation.method) \(observation.target))"
                }.joined(separator: "; ")
                findings.append(
                    finding(.missingCORSOnError, .medium, errors, detail: detail, stack: .errorWithoutCORSHeaders(status: errors[0].response.status.code)))
            }
        }

        // A CR LF the server decoded into its response: the smuggled field came back as a field.
        let injected = observations.filter { observation in
            observation.purpose == .crlf && observation.response.headerFields.contains { $0.name.canonicalName == probeHeader }
        }
        if !injected.isEmpty {
            findings.append(finding(.crlfInjection, .high, injected, detail: probeHeader))
        }

        return findings.sorted { lhs, rhs in
            (lhs.severity, lhs.axis == .exposure ? 1 : 0, rhs.code.rawValue) > (rhs.severity, rhs.axis == .exposure ? 1 : 0, lhs.code.rawValue)
        }
    }

    /// Root causes before their consequences: a check that reflects anything also grants every
    /// look-alike, a suffix check every subdomain and `…x…` spelling, a prefix check every
    /// special-character and other-port origin that starts like the trusted one.
    static let rootOrder: [ScanFindingCode] = [
        .originReflection, .suffixMatch, .prefixMatch, .substringMatch, .anySubdomain, .unescapedDot, .specialCharacters,
        .portReflection, .httpOriginTrusted, .nullOrigin, .hostingPlatformOrigin,
    ]

    /// Whether a check that granted `root` would grant `other` for the same reason.
    static func explains(_ root: Probe, _ other: Probe) -> Bool {
        if root.code == other.code { return true }
        let rootHost = host(of: root.origin)
        let otherHost = host(of: other.origin)
        switch root.code {
        case .originReflection:
            return true
        case .suffixMatch:
            // `https://evil<suffix>` granted: any host ending in the suffix is.
            guard rootHost.hasPrefix("evil") else { return false }
            let suffix = String(rootHost.dropFirst(4))
            return !suffix.isEmpty && otherHost.hasSuffix(suffix)
        case .prefixMatch:
            return other.origin.hasPrefix(root.derivedFrom)
        case .anySubdomain:
            guard let dot = rootHost.firstIndex(of: ".") else { return false }
            return otherHost.hasSuffix(String(rootHost[dot...]))
        default:
            return false
        }
    }

    /// The host of an origin string (`null` has none).
    static func host(of origin: String) -> String {
        guard let start = origin.range(of: "://") else { return "" }
        let rest = origin[start.upperBound...]
        if rest.hasPrefix("[") { return String(rest.prefix { $0 != "]" }) + "]" }
        return String(rest.prefix { $0 != ":" && $0 != "/" })
    }

    /// Probe origins the server granted, grouped by the check that explains them: one finding per
    /// root cause, every granted probe as its evidence.
    func grantFindings() -> [ScanFinding] {
        let cookies = CookieEvidence(observations)
        var order: [String] = []
        var byOrigin: [String: (probe: Probe, observations: [Observation])] = [:]
        for observation in observations where observation.purpose == .probe && observation.grantsOrigin {
            guard let probe = observation.probe, probe.code.isGrant else { continue }
            if byOrigin[probe.origin] == nil {
                order.append(probe.origin)
                byOrigin[probe.origin] = (probe, [])
            }
            byOrigin[probe.origin]?.observations.append(observation)
        }
        let granted = order.compactMap { byOrigin[$0] }
            .enumerated()
            .sorted { lhs, rhs in
                let l = Self.rootOrder.firstIndex(of: lhs.element.probe.code) ?? Self.rootOrder.count
                let r = Self.rootOrder.firstIndex(of: rhs.element.probe.code) ?? Self.rootOrder.count
                return (l, lhs.offset) < (r, rhs.offset)
            }
            .map(\.element)

        struct Root {
            var probe: Probe
            var members: [(probe: Probe, observations: [Observation])]
        }
        var roots: [Root] = []
        for grant in granted {
            if let index = roots.firstIndex(where: { Self.explains($0.probe, grant.probe) }) {
                roots[index].members.append(grant)
            } else {
                roots.append(Root(probe: grant.probe, members: [grant]))
            }
        }

        let detection = detection
        let frontend = observations.first { $0.isTrustedOrigin && $0.purpose == .trusted }?.origin
        return roots.map { root in
            let all = root.members.flatMap(\.observations)
            let credentials = all.contains { $0.allowsCredentials }
            let authorization = all.contains { observation in
                observation.kind == .preflight && Self.lists(observation.response.headerFields[.accessControlAllowHeaders], "authorization")
            }
            let severity = root.members.filter { $0.probe.code == root.probe.code }
                .map { ScanCatalogue.grantSeverity($0.probe, credentials: credentials, authorization: authorization, cookies: cookies) }
                .max() ?? .low
            var text = ScanCatalogue.grant(root.probe, credentials: credentials, authorization: authorization, cookies: cookies)
            let others = root.members.dropFirst().map(\.probe.origin)
            if !others.isEmpty {
                let shown = others.prefix(6).joined(separator: ", ")
                text.explanation += " The same check granted \(others.count) other probe origin\(others.count == 1 ? "" : "s") too: \(shown)\(others.count > 6 ? ", …" : "")."
            }
            if let stack = detection.stack {
                text.fix += " \(stack.dialect.displayName): \(stack.dialect.fix(for: .originNotAllowed(origin: frontend ?? "https://app.example.com")))"
            }
            let also = root.members.map(\.probe.code).filter { $0 != root.probe.code }.uniqued()
            return ScanFinding(
                code: root.probe.code, severity: severity, probeOrigin: root.probe.origin,
                evidence: Self.evidence(root.members.compactMap(\.observations.first) + root.members.flatMap { $0.observations.dropFirst() }),
                alsoShownBy: also, explanation: text.explanation, fix: text.fix,
                anchor: root.probe.code.rawValue + " " + root.probe.derivedFrom)
        }
    }

    /// Evidence for a finding: every observation, up to a bound that keeps reports readable.
    static func evidence(_ observations: [Observation]) -> [ScanEvidence] {
        Array(observations.prefix(80)).map(\.evidence)
    }

    /// The field that says a response came from a cache, if any: `Age`, `X-Cache: HIT`,
    /// `CF-Cache-Status: HIT`, `X-Cache-Status: HIT`.
    static func cacheHit(_ response: HTTPExchangeResponse) -> String? {
        for field in response.headerFields {
            let name = field.name.canonicalName
            let value = field.value.uppercased()
            if name == "age" { return "Age: \(field.value)" }
            if ["x-cache", "cf-cache-status", "x-cache-status"].contains(name), value.contains("HIT") {
                return "\(field.name.rawName): \(field.value)"
            }
        }
        return nil
    }

    /// Whether Access-Control-Allow-Origin depends on the Origin: a fixed value needs no `Vary`.
    static func isDynamic(_ observations: [Observation]) -> Bool {
        Set(observations.filter { $0.kind == .get && $0.origin != nil }.map { $0.allowOrigin ?? "" }).count > 1
    }

    /// Whether a comma-separated field value lists `name`.
    static func lists(_ value: String?, _ name: String, caseSensitive: Bool = false) -> Bool {
        guard let value else { return false }
        return value.split(separator: ",").contains { element in
            let token = element.trimmingCharacters(in: .whitespaces)
            return caseSensitive ? token == name : token.lowercased() == name.lowercased()
        }
    }

    static func varies(_ response: HTTPExchangeResponse, on name: String) -> Bool {
        response.headerFields[values: .vary].contains { lists($0, name) || lists($0, "*") }
    }

    /// Cacheable by a shared cache without explicit freshness: a heuristically cacheable status
    /// (RFC 9111 §4.2.2) and no `no-store` or `private`.
    static func isCacheable(_ response: HTTPExchangeResponse) -> Bool {
        let cacheableStatuses: Set<Int> = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]
        guard cacheableStatuses.contains(response.status.code) else { return false }
        let cacheControl = response.headerFields[values: .cacheControl].joined(separator: ",").lowercased()
        return !cacheControl.contains("no-store") && !cacheControl.contains("private")
    }

    /// An `Access-Control-Allow-Origin` that matches no origin at all: several values, a list, a
    /// trailing slash, a path, or text that is not an origin.
    static func isInvalidAllowOrigin(_ observation: Observation) -> Bool {
        let values = observation.response.headerFields[values: .accessControlAllowOrigin]
        guard !values.isEmpty else { return false }
        if values.count > 1 { return true }
        let value = values[0]
        if value == "*" || value == "null" { return false }
        guard let origin = WebOrigin(value) else { return true }
        return origin.serialized != value
    }
}
