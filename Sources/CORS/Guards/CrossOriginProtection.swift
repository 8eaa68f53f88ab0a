public import HTTPTypes

/// Cross-origin request protection (CSRF): refuses state-changing requests that a browser sent
/// on behalf of a page from another origin — the form POST or `no-cors` `fetch` that CORS never
/// stops, because CORS only hides the answer once the side effect has happened.
///
/// The algorithm is Go 1.25's `http.CrossOriginProtection`, with the policy's trusted origins
/// (``CORSEngine/namesTrustedOrigin(_:)``) as Go's trusted origins, so that one list governs
/// reads and writes:
///
/// 1. `GET`, `HEAD` and `OPTIONS` pass: they must not change state.
/// 2. `Sec-Fetch-Site: same-origin` or `none` (the user typed the URL) passes.
/// 3. Any other `Sec-Fetch-Site` (`same-site`, `cross-site`) is refused, unless the path is
///    bypassed or the `Origin` is trusted.
/// 4. Without `Sec-Fetch-Site`: no `Origin` either passes (not a browser, or a same-origin
///    request of an old browser); an `Origin` whose host and port equal the request's `Host`
///    passes; otherwise it is refused unless the path is bypassed or the origin trusted.
///
/// ```swift
/// let protection = try CrossOriginProtection(bypassing: ["POST /hooks/"])
/// switch await protection.check(request, engine: engine) {
/// case .allowed: return try await next(request)
/// case .refused(let refusal): return forbidden(refusal.message)
/// }
/// ```
public struct CrossOriginProtection: Sendable {
    /// Paths let through whatever their origin.
    public let bypassPatterns: [CrossOriginBypassPattern]

    /// Protection without bypass patterns.
    public init() {
        bypassPatterns = []
    }

    /// Protection with the given bypass patterns (see ``CrossOriginBypassPattern``).
    ///
    /// - Throws: ``CrossOriginBypassPattern/InvalidPattern`` for the first malformed pattern.
    public init(bypassing patterns: [String]) throws(CrossOriginBypassPattern.InvalidPattern) {
        var parsed: [CrossOriginBypassPattern] = []
        for pattern in patterns { parsed.append(try CrossOriginBypassPattern(pattern)) }
        bypassPatterns = parsed
    }

    /// Protection with already parsed bypass patterns.
    public init(bypassPatterns: [CrossOriginBypassPattern]) {
        self.bypassPatterns = bypassPatterns
    }

    /// Decides `request` (its method, path, `Host` or `:authority`, `Sec-Fetch-Site` and
    /// `Origin`) against the origins `engine`'s policy trusts, consulting its origin predicate.
    public func check(_ request: HTTPRequest, engine: CORSEngine) async -> CrossOriginVerdict {
        switch firstStage(request) {
        case .decided(let verdict):
            return verdict
        case .needsExemption(let refusal, let origin):
            if let pattern = bypass(request) { return .allowed(.bypassedPath(pattern: pattern.description)) }
            if let origin, await engine.namesTrustedOrigin(origin) { return .allowed(.trustedOrigin) }
            return .refused(refusal)
        }
    }

    /// ``check(_:engine:)`` with the policy's static rules only (no origin predicate).
    public func checkStatically(_ request: HTTPRequest, engine: CORSEngine) -> CrossOriginVerdict {
        switch firstStage(request) {
        case .decided(let verdict):
            return verdict
        case .needsExemption(let refusal, let origin):
            if let pattern = bypass(request) { return .allowed(.bypassedPath(pattern: pattern.description)) }
            if let origin, engine.namesTrustedOriginStatically(origin) { return .allowed(.trustedOrigin) }
            return .refused(refusal)
        }
    }

    private enum Stage {
        case decided(CrossOriginVerdict)
        /// Refused unless a bypass pattern or a trusted origin exempts the request.
        case needsExemption(CrossOriginVerdict.Refusal, origin: String?)
    }

    /// Everything Go's `Check` decides before it looks at the exemptions, which cost more.
    private func firstStage(_ request: HTTPRequest) -> Stage {
        switch request.method {
        case .get, .head, .options: return .decided(.allowed(.safeMethod))
        default: break
        }
        let (origin, originCount) = GuardFields.origin(of: request.headerFields)
        if let site = request.headerFields[GuardFields.secFetchSite] {
            if site == "same-origin" || site == "none" { return .decided(.allowed(.fetchMetadata(site: site))) }
            return .needsExemption(.init(kind: .crossSiteFetchMetadata, secFetchSite: site, origin: origin), origin: origin)
        }
        if originCount == 0 { return .decided(.allowed(.noBrowserHeaders)) }
        if let origin, GuardFields.origin(origin, matchesHost: GuardFields.host(of: request)) {
            return .decided(.allowed(.originMatchesHost))
        }
        return .needsExemption(.init(kind: .originMismatch, secFetchSite: nil, origin: origin), origin: origin)
    }

    private func bypass(_ request: HTTPRequest) -> CrossOriginBypassPattern? {
        guard !bypassPatterns.isEmpty, let path = request.path else { return nil }
        return bypassPatterns.first { $0.matches(method: request.method, path: path) }
    }
}

/// What ``CrossOriginProtection`` decided about a request.
public enum CrossOriginVerdict: Sendable, Hashable {
    /// Why a request passed.
    public enum Allowance: Sendable, Hashable {
        /// `GET`, `HEAD` or `OPTIONS`.
        case safeMethod
        /// `Sec-Fetch-Site: same-origin` or `none`.
        case fetchMetadata(site: String)
        /// Neither `Sec-Fetch-Site` nor `Origin`: not a browser, or an old browser's same-origin request.
        case noBrowserHeaders
        /// No `Sec-Fetch-Site`, and the `Origin` names the request's own host and port.
        case originMatchesHost
        /// The policy trusts the `Origin`.
        case trustedOrigin
        /// The path matches a bypass pattern.
        case bypassedPath(pattern: String)
    }

    /// Why a request was refused.
    public struct Refusal: Sendable, Hashable {
        /// The two refusals of Go's algorithm.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// `Sec-Fetch-Site` says `same-site` or `cross-site`, and the origin is not trusted.
            case crossSiteFetchMetadata = "sec-fetch-site"
            /// No `Sec-Fetch-Site` (an old browser), and the `Origin` is neither the request's
            /// host nor trusted.
            case originMismatch = "origin-mismatch"
        }

        /// Which refusal.
        public let kind: Kind
        /// The request's `Sec-Fetch-Site`, when it had one.
        public let secFetchSite: String?
        /// The request's `Origin`, when it had exactly one.
        public let origin: String?

        /// The metric and log label: `sec-fetch-site` or `origin-mismatch`.
        public var label: String { kind.rawValue }

        /// The short body of the 403 answer. It names the reason and repeats nothing the client
        /// sent, so it cannot carry a reflected payload.
        public var message: String {
            switch kind {
            case .crossSiteFetchMetadata:
                "Forbidden: cross-origin request refused (Sec-Fetch-Site is not same-origin, and the origin is not trusted)\n"
            case .originMismatch:
                "Forbidden: cross-origin request refused (Origin matches neither Host nor a trusted origin)\n"
            }
        }
    }

    /// The request may go on.
    case allowed(Allowance)
    /// The request must be answered with 403 and ``Refusal/message``.
    case refused(Refusal)

    /// Whether the request may go on.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }

    /// The refusal, or `nil`.
    public var refusal: Refusal? {
        if case .refused(let refusal) = self { return refusal }
        return nil
    }
}
