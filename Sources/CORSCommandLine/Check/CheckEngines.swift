import CORSBrowserModel
import HTTPTypes

/// Which engines `cors check --browser` reports on.
enum BrowserSelection {
    /// Parses `chromium`, `firefox`, `webkit` or `all`.
    static func parse(_ text: String) throws(ToolFailure) -> [BrowserEngine] {
        if text == "all" { return BrowserEngine.allCases }
        guard let engine = BrowserEngine(rawValue: text) else {
            throw ToolFailure("invalid --browser '\(text)': use chromium, firefox, webkit or all")
        }
        return [engine]
    }
}

/// What one engine makes of a checked request: the shared verdict, the reason in the engine's
/// words, its console lines, and the behaviours of the engine that matter for this request.
struct EngineCheck: Sendable {
    /// A cookie the API set, and whether this engine sends it on the next credentialed
    /// cross-site request.
    struct Cookie: Sendable {
        var name: String
        var verdict: CrossSiteCookieVerdict
    }

    var engine: BrowserEngine
    var verdict: CheckReport.Verdict
    /// The engine's report when a CORS rule blocked the request.
    var report: EngineReport?
    /// The lines the engine prints: the block, or warnings about a request it let through.
    var consoleLines: [String]
    /// The network error, when the request failed without a CORS line.
    var networkError: String?
    /// How long the engine caches the last preflight that passed, in seconds.
    var preflightCacheSeconds: Int?
    /// Cookies the API set on a credentialed cross-site request.
    var cookies: [Cookie]
    /// The engine's behaviours that apply to this request.
    var notes: [String]

    /// Whether every cookie the API set goes back to it in this engine.
    var sendsEveryCookie: Bool {
        cookies.allSatisfy { $0.verdict.isSentCrossSite }
    }

    /// The reason's name: Chromium's `CorsError`, Firefox's MDN name, WebKit's identifier.
    var reasonName: String? {
        report?.reasonName ?? networkError
    }
}

extension CheckReport {
    /// The blocked exchange behind ``failure``, for the engine profiles.
    var blockedExchange: BlockedExchange? {
        guard let step = steps.last(where: { $0.failure != nil }), let failure = step.failure else { return nil }
        let stage: BlockedExchange.Stage
        switch step.outcome {
        case .preflightFailed: stage = .preflight
        case .redirectBlocked: stage = .redirect
        default: stage = .response
        }
        return BlockedExchange(failure: failure, request: step.plan.request, stage: stage, response: step.response.head)
    }

    /// What each of `engines` makes of this check.
    func engineChecks(_ engines: [BrowserEngine]) -> [EngineCheck] {
        let exchange = blockedExchange
        let cookieValues = credentialedCrossSiteCookies
        let passedPreflight = steps.last { if case .preflightPassed = $0.outcome { true } else { false } }
        return engines.map { engine in
            let profile = engine.profile
            let engineReport = exchange.map { profile.report($0) }
            var lines = engineReport?.consoleLines ?? []
            if verdict == .allowed, let firefox = profile as? FirefoxProfile {
                let allWarnings = steps.flatMap { step -> [BrowserWarning] in
                    if case .preflightPassed = step.outcome { return step.plan.evaluatePreflight(step.response.head).warnings }
                    return []
                }
                lines += firefox.warningLines(for: allWarnings, request: request)
            }
            var notes: [String] = []
            if warnings.contains(where: { $0.hasPrefix(BrowserWarning.Code.authorizationCoveredByWildcard.rawValue + ":") }) {
                notes.append("Authorization under 'Access-Control-Allow-Headers: *': " + profile.authorizationUnderWildcard.summary)
            }
            if warnings.contains(where: { $0.hasPrefix(BrowserWarning.Code.localNetworkAccess.rawValue + ":") }) {
                notes.append("Local Network Access: " + profile.localNetworkAccess.summary)
            }
            if exchange?.failure.reason == .preflightDisallowedRedirect {
                notes.append("Redirected preflight: " + profile.redirectedPreflight.summary)
            }
            return EngineCheck(
                engine: engine, verdict: verdict, report: engineReport, consoleLines: lines,
                networkError: networkError.map { "net::\($0.code.rawValue)" },
                preflightCacheSeconds: passedPreflight.map {
                    profile.preflightCache.lifetime(headerValue: $0.response.headerFields.combinedValue(of: .accessControlMaxAge))
                },
                cookies: cookieValues.map { cookie, url in
                    EngineCheck.Cookie(
                        name: cookie.name, verdict: profile.crossSiteCookieVerdict(for: cookie, setIn: .crossSiteRequest, by: url))
                },
                notes: notes)
        }
    }

    /// The cookies set by responses to a credentialed request from another site, once each.
    private var credentialedCrossSiteCookies: [(SetCookie, WebURL)] {
        guard request.credentials == .include, request.isCrossOrigin else { return [] }
        var seen = Set<String>()
        var cookies: [(SetCookie, WebURL)] = []
        for step in steps where step.kind == .actual {
            guard !CheckAdvisor.isSameSite(page: request.origin, url: step.plan.request.url) else { continue }
            for value in step.response.headerFields[values: .setCookie] {
                let cookie = SetCookie(parsing: value)
                if seen.insert(cookie.name).inserted { cookies.append((cookie, step.plan.request.url)) }
            }
        }
        return cookies
    }
}

/// Where the engines differ on one check, and why, in sentences.
enum EngineDifferences {
    static func sentences(_ checks: [EngineCheck]) -> [String] {
        guard checks.count > 1 else { return [] }
        var sentences: [String] = []
        let names = { (list: [EngineCheck]) in list.map(\.engine.browserName).joined(separator: " and ") }

        // Cookies: the request works, but not as a logged-in user, where the cookie stays home.
        if checks.allSatisfy({ $0.verdict == .allowed }) {
            let working = checks.filter(\.sendsEveryCookie)
            let failing = checks.filter { !$0.sendsEveryCookie }
            if !working.isEmpty, !failing.isEmpty {
                for check in failing {
                    let cookie = check.cookies.first { !$0.verdict.isSentCrossSite }!
                    let name = cookie.name.isEmpty ? "(nameless)" : cookie.name
                    sentences.append(
                        "works in \(names(working)), fails in \(check.engine.browserName): the cookie '\(name)' is third-party there and is not sent back. \(cookie.verdict.explanation)"
                    )
                }
            }
            for check in checks where check.cookies.contains(where: { $0.verdict.isSentCrossSite }) && check.engine == .firefox {
                if let cookie = check.cookies.first(where: { $0.verdict.isSentCrossSite }) {
                    sentences.append("\(check.engine.browserName) sends '\(cookie.name)' only from its partitioned jar: \(cookie.verdict.explanation)")
                }
            }
        }

        // The reported reason: same verdict, another check named first.
        if let chromium = checks.first(where: { $0.engine == .chromium })?.report,
            let webkit = checks.first(where: { $0.engine == .webkit })?.report,
            webkit.message.id == "preflightNotSuccessful",
            chromium.message.id != CORSFailure.Reason.preflightInvalidStatus.rawValue
        {
            sentences.append(
                "Safari names the preflight's status (\(webkit.values[.status] ?? "?")) where Chrome reports \(chromium.message.id): WebKit checks a preflight's status before its Access-Control-Allow-Origin."
            )
        }
        if let firefox = checks.first(where: { $0.engine == .firefox })?.report,
            firefox.message.causes.count > 1 || firefox.message.id == "CORSMethodNotFound"
        {
            if let probe = firefox.message.decidingProbe {
                sentences.append("Firefox's line says less: \(probe)")
            }
        }

        // The preflight cache.
        let lifetimes = checks.compactMap { check in check.preflightCacheSeconds.map { (check.engine, $0) } }
        if lifetimes.count > 1, Set(lifetimes.map(\.1)).count > 1 {
            sentences.append(
                "The preflight is cached for "
                    + lifetimes.map { "\($0.1) s in \($0.0.browserName)" }.joined(separator: ", ")
                    + " (caps: Chrome 7200 s, Firefox 86400 s, Safari 600 s).")
        }
        for check in checks where check.engine == .firefox && check.verdict == .allowed && !check.consoleLines.isEmpty {
            sentences.append("Firefox lets the request through with a console warning: \(check.consoleLines[0])")
        }
        return sentences
    }
}
