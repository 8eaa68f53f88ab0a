import CORS
import CORSBrowserModel
import HTTPTypes
import CORSWebSyntax

/// Turns what the browser model concluded into the tutorial's pitfalls by name and concrete
/// fixes: the response header to send, and the setting to change in a swift-cors `CORSPolicy`
/// and in FastAPI/Starlette's `CORSMiddleware`.
enum CheckAdvisor {
    /// The exact advice for a 4xx/5xx without CORS headers (the tutorial's wording).
    static let hiddenServerErrorAdvice =
        "this is a server error hidden by CORS: check the server's logs, and make error responses carry CORS headers"
    /// The exact advice for a redirect (the tutorial's wording).
    static let redirectAdvice = "serve the canonical URL directly"

    /// Fills in `report.pitfalls`, `report.fixes` and the advisor's own warnings.
    static func advise(_ report: inout CheckReport) {
        var advice = Advice()
        if let failure = report.failure, let step = report.steps.last(where: { $0.failure != nil }) {
            adviseOnFailure(failure, step: step, report: report, into: &advice)
        }
        adviseOnRedirects(report, into: &advice)
        adviseOnCookies(report, into: &advice)
        adviseOnWildcardAuthorization(report, into: &advice)
        adviseOnHiddenHeaders(report, into: &advice)
        if !report.request.isCrossOrigin {
            advice.warnings.append(
                "same-origin: the page and the URL have the same origin, so CORS does not apply; pass the origin of the page that really calls this URL.")
        }
        report.pitfalls = advice.pitfalls
        report.fixes = advice.fixes
        report.warnings = CheckRunner.unique(report.warnings + advice.warnings)
    }

    /// Pitfalls, fixes and warnings gathered so far.
    struct Advice {
        var pitfalls: [CheckPitfall] = []
        var fixes: [CheckFix] = []
        var warnings: [String] = []

        mutating func add(_ fix: CheckFix) {
            if let pitfall = fix.pitfall, !pitfalls.contains(pitfall) { pitfalls.append(pitfall) }
            if !fixes.contains(fix) { fixes.append(fix) }
        }

        mutating func note(_ pitfall: CheckPitfall) {
            if !pitfalls.contains(pitfall) { pitfalls.append(pitfall) }
        }
    }

    // MARK: The failure

    private static func adviseOnFailure(
        _ failure: CORSFailure, step: CheckStep, report: CheckReport, into advice: inout Advice
    ) {
        let context = Context(step: step, report: report)
        let reason = CheckRules.unprefixedReason(failure.reason)
        if context.isTainted, [.missingAllowOriginHeader, .allowOriginMismatch, .invalidAllowOriginValue].contains(reason) {
            // The redirect advice says it all: allowing `null` would trust every sandboxed page.
            advice.note(.redirect)
            return
        }
        switch reason {
        case .missingAllowOriginHeader:
            advice.add(missingAllowOrigin(context))
        case .wildcardOriginNotAllowed:
            advice.add(wildcardWithCredentials(context))
        case .multipleAllowOriginValues:
            advice.add(
                CheckFix(
                    problem:
                        "Access-Control-Allow-Origin is '\(failure.offendingValue ?? "")': several values, or the header added twice (for example by a proxy and by the app). Exactly one origin is allowed.",
                    headers: ["Access-Control-Allow-Origin: \(context.origin)"],
                    corsPolicy:
                        "let the CORS layer alone write the header: CORSPolicyMiddleware replaces any Access-Control-Allow-* field the app set; remove the one the proxy adds, and keep \"\(context.origin)\" in allowOrigins.",
                    fastAPI:
                        "keep CORSMiddleware(allow_origins=[..., \"\(context.origin)\"]) as the only source: remove Access-Control-Allow-Origin added by a proxy (nginx add_header) or by hand."
                ))
        case .invalidAllowOriginValue, .allowOriginMismatch:
            advice.add(allowOriginMismatch(context, value: failure.offendingValue ?? ""))
        case .invalidAllowCredentials:
            advice.add(
                CheckFix(
                    problem:
                        "The request includes credentials, but Access-Control-Allow-Credentials is \(failure.offendingValue.map { "'\($0)'" } ?? "absent"): it must be exactly 'true'.",
                    headers: ["Access-Control-Allow-Credentials: true"],
                    corsPolicy:
                        "\"allowCredentials\": true, with \"\(context.origin)\" listed exactly in allowOrigins (swift-cors refuses \"*\" with credentials).",
                    fastAPI: "CORSMiddleware(..., allow_origins=[..., \"\(context.origin)\"], allow_credentials=True)",
                    other: [
                        "Or, if the request needs no cookies or HTTP authentication, call fetch with credentials: 'omit' or 'same-origin'."
                    ]))
        case .preflightInvalidStatus:
            advice.add(preflightInvalidStatus(context))
        case .preflightDisallowedRedirect:
            advice.add(preflightRedirect(context, location: failure.offendingValue ?? ""))
        case .invalidAllowMethodsPreflightResponse:
            let methods = merged(tokens(in: failure.offendingValue ?? ""), adding: [context.method], caseSensitive: true)
            advice.add(
                CheckFix(
                    problem:
                        "Access-Control-Allow-Methods ('\(failure.offendingValue ?? "")') is not a comma-separated list of methods, so the browser rejects the whole preflight.",
                    headers: ["Access-Control-Allow-Methods: \(methods.joined(separator: ", "))"],
                    corsPolicy: "\"allowMethods\": \(list(methods)) (swift-cors writes the header from it).",
                    fastAPI: "CORSMiddleware(..., allow_methods=\(list(methods))): a list of strings."))
        case .invalidAllowHeadersPreflightResponse:
            let names = merged(tokens(in: failure.offendingValue ?? ""), adding: context.unsafeHeaderDisplayNames)
            advice.add(
                CheckFix(
                    problem:
                        "Access-Control-Allow-Headers ('\(failure.offendingValue ?? "")') is not a comma-separated list of header names, so the browser rejects the whole preflight.",
                    headers: ["Access-Control-Allow-Headers: \(names.joined(separator: ", "))"],
                    corsPolicy: "\"allowHeaders\": \(list(names)) (swift-cors writes the header from it).",
                    fastAPI: "CORSMiddleware(..., allow_headers=\(list(names))): a list of strings."))
        case .methodDisallowedByPreflightResponse:
            advice.add(methodNotAllowed(context))
        case .headerDisallowedByPreflightResponse:
            advice.add(headerNotAllowed(context, failedName: failure.offendingValue ?? ""))
        case .redirectContainsCredentials:
            advice.add(
                CheckFix(
                    pitfall: .redirect,
                    problem:
                        "The redirect goes to '\(failure.offendingValue ?? "")', which carries a user name or password; browsers refuse that on a cross-origin request. \(capitalized(redirectAdvice)).",
                    other: ["Redirect to a URL without user name and password, or call the final URL directly."]))
        default:
            break
        }
    }

    /// What one failing step tells about the request and the server.
    struct Context {
        var step: CheckStep
        var report: CheckReport
        var plan: RequestPlan { step.plan }
        var fields: HTTPFields { step.response.headerFields }
        var status: Int { step.response.status.code }
        var origin: String { report.request.origin.serialized }
        var includes: Bool { report.request.credentials == .include }
        var isPreflight: Bool { step.kind == .preflight }
        var isTainted: Bool { plan.request.isOriginTainted }
        var method: String { plan.request.method.rawValue }
        var methodNeedsListing: Bool { !["GET", "HEAD", "POST"].contains(method) }
        var statusText: String {
            let phrase = step.response.status.reasonPhrase
            return phrase.isEmpty ? "\(status)" : "\(status) \(phrase)"
        }

        /// The CORS-unsafe header names as the script wrote them, in the preflight's order.
        var unsafeHeaderDisplayNames: [String] {
            plan.unsafeHeaderNames.map { name in
                plan.headers.first { $0.lowercasedName == name }?.name ?? name
            }
        }

        init(step: CheckStep, report: CheckReport) {
            self.step = step
            self.report = report
        }
    }

    /// The settings that let this request through: the origin, credentials, and for a
    /// preflighted request its method and headers.
    private static func allowance(_ context: Context) -> (headers: [String], policy: String, fastAPI: String) {
        var headers = ["Access-Control-Allow-Origin: \(context.origin)", "Vary: Origin"]
        var policy = ["add \"\(context.origin)\" to allowOrigins"]
        var fastAPI = ["allow_origins=[..., \"\(context.origin)\"]"]
        if context.includes {
            headers.append("Access-Control-Allow-Credentials: true")
            policy.append("set \"allowCredentials\": true")
            fastAPI.append("allow_credentials=True")
        }
        // The method and headers matter only on the preflight: if the failing response is the
        // actual request's, its preflight already allowed them.
        if context.isPreflight {
            if context.methodNeedsListing {
                headers.append("Access-Control-Allow-Methods: \(context.method)")
                policy.append("add \"\(context.method)\" to allowMethods")
                fastAPI.append("allow_methods=[..., \"\(context.method)\"]")
            }
            let names = context.unsafeHeaderDisplayNames
            if !names.isEmpty {
                headers.append("Access-Control-Allow-Headers: \(names.joined(separator: ", "))")
                policy.append("add \(names.map { "\"\($0)\"" }.joined(separator: ", ")) to allowHeaders")
                fastAPI.append("allow_headers=[..., \(names.map { "\"\($0)\"" }.joined(separator: ", "))]")
            }
        }
        return (headers, sentence(policy) + ".", "app.add_middleware(CORSMiddleware, \(fastAPI.joined(separator: ", ")))")
    }

    private static func missingAllowOrigin(_ context: Context) -> CheckFix {
        let (headers, policy, fastAPI) = allowance(context)
        let what = context.isPreflight ? "The preflight (OPTIONS) response" : "The response"
        if context.status >= 400 && !(context.isPreflight && context.status == 403) {
            let place = "\(context.isPreflight ? "OPTIONS" : context.method) \(context.step.request.path ?? "/")"
            var fix = CheckFix(
                pitfall: .errorWithoutCORSHeaders,
                problem:
                    "\(what) is a \(context.statusText) without CORS headers: \(hiddenServerErrorAdvice).",
                headers: headers,
                other: ["Check the server's logs for the \(context.status) on \(place)."])
            if context.isPreflight {
                fix.problem +=
                    " A 401 here usually means authentication runs before the CORS layer; a 404 or 405, that nothing answers OPTIONS."
                fix.corsPolicy =
                    "CORSPolicyMiddleware answers preflights itself, before routing and authentication: add it as the first middleware. \(policy)"
                fix.fastAPI =
                    "\(fastAPI): CORSMiddleware answers OPTIONS before any route or dependency runs."
            } else {
                fix.corsPolicy =
                    "CORSPolicyMiddleware also puts the CORS headers on thrown errors, 404s and 500s when it is the outermost middleware: add it to the router before the others."
                fix.fastAPI =
                    "Starlette's ServerErrorMiddleware sits outside app.add_middleware(CORSMiddleware, ...), so an unhandled exception's 500 has no CORS headers: wrap the whole app, app = CORSMiddleware(app, allow_origins=[\"\(context.origin)\"]\(context.includes ? ", allow_credentials=True" : "")), or catch the exception and return a JSONResponse."
            }
            return fix
        }
        var problem =
            "\(what) has no Access-Control-Allow-Origin: the server does not trust the origin '\(context.origin)', or has no CORS layer at all."
        if context.isPreflight && context.status == 403 {
            problem += " A 403 without CORS headers is how swift-cors refuses an untrusted origin's preflight."
        }
        return CheckFix(problem: problem, headers: headers, corsPolicy: policy, fastAPI: fastAPI)
    }

    private static func wildcardWithCredentials(_ context: Context) -> CheckFix {
        CheckFix(
            pitfall: .wildcardWithCredentials,
            problem:
                "The server answers 'Access-Control-Allow-Origin: *' to a request with credentials: 'include', and browsers refuse '*' on credentialed requests. Echo the exact origin instead.",
            headers: [
                "Access-Control-Allow-Origin: \(context.origin)", "Access-Control-Allow-Credentials: true", "Vary: Origin",
            ],
            corsPolicy:
                "replace \"*\" in allowOrigins with \"\(context.origin)\" and keep \"allowCredentials\": true (swift-cors refuses \"*\" with credentials at start-up).",
            fastAPI:
                "CORSMiddleware(..., allow_origins=[\"\(context.origin)\"], allow_credentials=True): list the origins, not [\"*\"].",
            other: [
                "Or, if the API needs no cookies or Authorization, call fetch with credentials: 'omit' or 'same-origin'."
            ])
    }

    private static func allowOriginMismatch(_ context: Context, value: String) -> CheckFix {
        var problem =
            "Access-Control-Allow-Origin is '\(value)' but the request's Origin is '\(context.origin)': they must be equal byte for byte."
        if let nearMiss = nearMiss(value, origin: context.origin) {
            problem += " They differ only by \(nearMiss)."
        }
        return CheckFix(
            problem: problem,
            headers: ["Access-Control-Allow-Origin: \(context.origin)", "Vary: Origin"],
            corsPolicy: "add \"\(context.origin)\" to allowOrigins (swift-cors echoes the request's exact Origin).",
            fastAPI:
                "CORSMiddleware(..., allow_origins=[..., \"\(context.origin)\"]): exactly scheme://host[:port], no trailing slash.")
    }

    /// How an Access-Control-Allow-Origin value nearly equals the origin, if it does.
    static func nearMiss(_ value: String, origin: String) -> String? {
        if value == origin + "/" { return "a trailing slash" }
        if value.lowercased() == origin.lowercased() { return "letter case" }
        guard let valueOrigin = WebOrigin(value), let requestOrigin = WebOrigin(origin),
            case .tuple(let scheme, let host, let port) = valueOrigin,
            case .tuple(let requestScheme, let requestHost, let requestPort) = requestOrigin
        else { return nil }
        if valueOrigin == requestOrigin { return "a path or a trailing slash" }
        if host == requestHost && scheme != requestScheme { return "the scheme (\(scheme) instead of \(requestScheme))" }
        if host == requestHost && scheme == requestScheme && port != requestPort { return "the port" }
        return nil
    }

    private static func preflightInvalidStatus(_ context: Context) -> CheckFix {
        let path = context.step.request.path ?? "/"
        var fix = CheckFix(
            problem:
                "The preflight (OPTIONS) was answered \(context.statusText); a preflight needs an ok status (200-299).",
            corsPolicy:
                "CORSPolicyMiddleware answers preflights itself with preflightStatus (204, or 200): add it as the first middleware, before authentication and routing.",
            other: [
                "Answer OPTIONS \(path) with 204 No Content and the CORS headers, before authentication, routing or method checks."
            ])
        let body = context.step.response.bodySnippet() ?? ""
        if context.status == 400, body.hasPrefix("Disallowed CORS") {
            // Starlette's CORSMiddleware refuses a preflight with 400 "Disallowed CORS origin,
            // method, headers", and still sends its real lists.
            let refused = body.dropFirst("Disallowed CORS".count)
            var settings: [String] = []
            if refused.contains("origin") { settings.append("allow_origins=[..., \"\(context.origin)\"]") }
            if refused.contains("method") {
                let methods = merged(
                    tokens(in: context.fields.combinedValue(.accessControlAllowMethods) ?? ""), adding: [context.method],
                    caseSensitive: true)
                settings.append("allow_methods=\(list(methods))")
            }
            if refused.contains("header") {
                // Starlette adds Accept, Accept-Language, Content-Language and Content-Type to
                // allow_headers itself (and lists them in its answer): suggesting them again
                // would be noise, so only what the application configured is kept.
                let starletteAddsItself: Set<String> = ["accept", "accept-language", "content-language", "content-type"]
                let configured = tokens(in: context.fields.combinedValue(.accessControlAllowHeaders) ?? "")
                    .filter { !starletteAddsItself.contains($0.lowercased()) }
                let names = merged(configured, adding: context.unsafeHeaderDisplayNames)
                    .filter { !starletteAddsItself.contains($0.lowercased()) }
                settings.append("allow_headers=\(list(names))")
            }
            fix.problem += " The body '\(body)' is Starlette's CORSMiddleware refusing the preflight."
            fix.fastAPI = "CORSMiddleware(..., \(settings.joined(separator: ", ")))"
        } else {
            fix.fastAPI =
                "CORSMiddleware answers allowed preflights with 200 before any route or dependency runs: add it with app.add_middleware and keep authentication out of OPTIONS requests."
        }
        return fix
    }

    private static func preflightRedirect(_ context: Context, location: String) -> CheckFix {
        let from = context.plan.request.url
        let target = WebURL(location, relativeTo: from)
        let shown = target?.serialized ?? location
        var fix = CheckFix(
            pitfall: .redirect,
            problem:
                "The preflight to \(from.serialized) was answered \(context.statusText) to '\(shown)'; browsers never follow a redirect on a preflight: \(redirectAdvice).",
            other: ["Call '\(shown)' directly from the page instead of '\(from.serialized)'."])
        if let target {
            fix.fastAPI = redirectHintForFastAPI(from: from, to: target)
        }
        return fix
    }

    /// Where FastAPI's own redirects come from.
    static func redirectHintForFastAPI(from: WebURL, to: WebURL) -> String? {
        if from.origin == to.origin, from.path + "/" == to.path || from.path == to.path + "/" {
            return
                "FastAPI redirects to the path with or without its trailing slash (redirect_slashes=True): call the path exactly as the route declares it, or create the app with FastAPI(redirect_slashes=False)."
        }
        if from.scheme == "http", to.scheme == "https", from.host == to.host {
            return
                "the http-to-https redirect comes from HTTPSRedirectMiddleware or the proxy: call the https:// URL directly."
        }
        return nil
    }

    private static func methodNotAllowed(_ context: Context) -> CheckFix {
        let value = context.fields.combinedValue(.accessControlAllowMethods)
        var existing = tokens(in: value ?? "")
        if context.includes { existing.removeAll { $0 == "*" } }
        let methods = merged(existing, adding: [context.method], caseSensitive: true)
        var problem =
            "The preflight does not allow the method \(context.method) (Access-Control-Allow-Methods: \(CheckRules.quoted(value)))."
        if context.includes && (value ?? "").contains("*") {
            problem += " '*' is only a wildcard without credentials."
        }
        var fix = CheckFix(
            problem: problem,
            headers: ["Access-Control-Allow-Methods: \(methods.joined(separator: ", "))"],
            corsPolicy: "\"allowMethods\": \(list(methods))",
            fastAPI: "CORSMiddleware(..., allow_methods=\(list(methods)))")
        let upper = context.method.uppercased()
        if upper != context.method {
            fix.other.append(
                "Or write '\(upper)' in the script: browsers send '\(context.method)' exactly as written, and the comparison is case-sensitive."
            )
        }
        return fix
    }

    private static func headerNotAllowed(_ context: Context, failedName: String) -> CheckFix {
        let value = context.fields.combinedValue(.accessControlAllowHeaders)
        var existing = tokens(in: value ?? "")
        if context.includes { existing.removeAll { $0 == "*" } }
        let allowed = Set(existing.map { $0.lowercased() })
        let wildcard = !context.includes && allowed.contains("*")
        // Every header the preflight would refuse, not only the first one the browser names.
        let missing = context.plan.unsafeHeaderNames.filter { name in
            !allowed.contains(name) && !(wildcard && name != "authorization")
        }
        let display = missing.map { name in context.plan.headers.first { $0.lowercasedName == name }?.name ?? name }
        let names = merged(existing, adding: display)
        let failedDisplay = context.plan.headers.first { $0.lowercasedName == failedName }?.name ?? failedName
        var problem =
            "The client sends '\(failedDisplay)' but the server does not allow it (Access-Control-Allow-Headers: \(CheckRules.quoted(value)))."
        if display.count > 1 {
            problem += " Also missing: \(display.filter { $0 != failedDisplay }.joined(separator: ", "))."
        }
        if failedName == "authorization" {
            problem += " Authorization must be listed by name: '*' does not cover it in the standard."
        } else if context.includes && (value ?? "").contains("*") {
            problem += " '*' is only a wildcard without credentials."
        }
        return CheckFix(
            pitfall: .headerNotAllowed,
            problem: problem,
            headers: ["Access-Control-Allow-Headers: \(names.joined(separator: ", "))"],
            corsPolicy: "\"allowHeaders\": \(list(names))",
            fastAPI: "CORSMiddleware(..., allow_headers=\(list(names)))",
            other: ["Or stop sending '\(failedDisplay)' from the client."])
    }

    // MARK: Redirects

    private static func adviseOnRedirects(_ report: CheckReport, into advice: inout Advice) {
        let hops = report.redirects
        let failedStep = report.steps.last { step in
            switch step.outcome {
            case .redirectBlocked, .redirectFailed: true
            default: false
            }
        }
        guard !hops.isEmpty || failedStep != nil else { return }
        let initial = report.request.url
        let chain =
            ([initial.serialized] + hops.map(\.location.serialized)).joined(separator: " → ")
        var problem = "The request was redirected (\(chain))"
        if let error = report.networkError {
            // The sentence goes on after the explanation, so its own full stop would double up.
            let explanation = error.explanation.hasSuffix(".") ? String(error.explanation.dropLast()) : error.explanation
            problem += " and failed: net::\(error.code.rawValue), \(explanation)"
        }
        problem +=
            ". Every hop is CORS-checked, a preflight is never redirected, Authorization is dropped across origins and the Origin can become 'null': \(redirectAdvice)."
        var fix = CheckFix(pitfall: .redirect, problem: problem)
        if let last = hops.last, report.networkError == nil {
            fix.other.append("Call '\(last.location.serialized)' directly from the page instead of '\(initial.serialized)'.")
            fix.fastAPI = redirectHintForFastAPI(from: initial, to: last.location)
        } else {
            fix.other.append("Fix the redirect at \(failedStep?.url ?? initial.serialized) so that the page calls the final URL directly.")
        }
        if hops.contains(where: \.originBecameNull) {
            fix.problem +=
                " Here the Origin became 'null'; do not allow 'null' (every sandboxed page sends it): call the final URL directly."
        }
        advice.add(fix)
        advice.warnings.append("\(CheckPitfall.redirect.rawValue): \(chain): \(redirectAdvice).")
    }

    // MARK: Cookies

    private static func adviseOnCookies(_ report: CheckReport, into advice: inout Advice) {
        guard report.request.credentials == .include, report.request.isCrossOrigin else { return }
        var seen = Set<String>()
        for step in report.steps where step.kind == .actual {
            // A cross-origin API can still be same-site (localhost:5173 → localhost:8000,
            // app.example.com → api.example.com): then Lax, Strict and default cookies go with
            // the fetch, and only a cookie the browser rejects outright is worth a word.
            let sameSite = isSameSite(page: report.request.origin, url: step.plan.request.url)
            for value in step.response.headerFields[values: .setCookie] {
                let cookie = SetCookie(parsing: value)
                let verdict = cookie.crossSiteVerdict
                guard !verdict.isSentCrossSite, seen.insert(cookie.name).inserted else { continue }
                if sameSite && verdict.outcome != .rejected { continue }
                let name = cookie.name.isEmpty ? "(nameless)" : cookie.name
                let problem =
                    "Set-Cookie '\(name)' lacks 'SameSite=None; Secure': the browser will not send that cookie cross-site. \(verdict.explanation)"
                advice.add(
                    CheckFix(
                        pitfall: .cookieWithoutSameSiteNone,
                        problem: problem,
                        headers: ["Set-Cookie: \(fixedCookie(value))"],
                        corsPolicy:
                            "not a CORS setting: the handler that sets '\(name)' must add 'SameSite=None; Secure', and the API must be served over https (browsers drop Secure cookies set over plain http, except on localhost).",
                        fastAPI: "response.set_cookie(\"\(name)\", value, samesite=\"none\", secure=True)"))
                advice.warnings.append(
                    "\(CheckPitfall.cookieWithoutSameSiteNone.rawValue): Set-Cookie '\(name)' lacks 'SameSite=None; Secure': the browser will not send that cookie cross-site."
                )
            }
        }
    }

    /// Whether a request to `url` from a page on `page` is same-site for cookies. Chromium
    /// compares sites schemefully: the same scheme, and the same registrable domain (the host
    /// itself for IP addresses, `localhost` and other hosts without one); ports never matter.
    /// An opaque (`null`) page origin is never same-site.
    static func isSameSite(page: WebOrigin, url: WebURL) -> Bool {
        guard case .tuple(let scheme, let host, _) = page else { return false }
        return SchemefulSite(scheme: scheme, host: host) == SchemefulSite(scheme: url.scheme, host: url.host)
    }

    /// The `Set-Cookie` value with `SameSite=None; Secure` and without another SameSite.
    static func fixedCookie(_ value: String) -> String {
        var parts = value.split(separator: ";", omittingEmptySubsequences: false).map { String($0).trimmingHTTPWhitespace() }
        let pair = parts.isEmpty ? "" : parts.removeFirst()
        parts.removeAll { part in
            let name = part.split(separator: "=", maxSplits: 1).first.map { String($0).trimmingHTTPWhitespace().lowercased() } ?? ""
            return name == "samesite" || name == "secure" || part.isEmpty
        }
        return ([pair] + parts + ["SameSite=None", "Secure"]).joined(separator: "; ")
    }

    // MARK: Chromium-only passes and hidden headers

    private static func adviseOnWildcardAuthorization(_ report: CheckReport, into advice: inout Advice) {
        guard report.verdict == .allowed,
            let step = report.steps.last(where: { $0.kind == .preflight }),
            case .preflightPassed(let grant) = step.outcome, grant.allowsAnyHeader,
            step.plan.unsafeHeaderNames.contains("authorization"),
            !grant.allowedHeaderNames.contains("authorization")
        else { return }
        let existing = tokens(in: step.response.headerFields.combinedValue(.accessControlAllowHeaders) ?? "")
        let names = merged(existing, adding: ["Authorization"])
        advice.add(
            CheckFix(
                pitfall: .headerNotAllowed,
                problem:
                    "Chromium lets Authorization through 'Access-Control-Allow-Headers: *', but the Fetch standard, Firefox and Safari block it: list it by name.",
                headers: ["Access-Control-Allow-Headers: \(names.joined(separator: ", "))"],
                corsPolicy: "\"allowHeaders\": \(list(names))",
                fastAPI: "CORSMiddleware(..., allow_headers=\(list(names)))"))
    }

    /// Names nobody expects a script to read.
    static let unremarkableHeaderNames: Set<String> = [
        "connection", "date", "keep-alive", "server", "transfer-encoding", "vary", "set-cookie", "set-cookie2",
        "content-encoding", "etag", "accept-ranges", "age", "alt-svc", "strict-transport-security", "x-powered-by",
        "via", "cf-ray", "cf-cache-status", "nel", "report-to", "x-content-type-options", "x-frame-options",
        "content-security-policy", "referrer-policy", "permissions-policy", "cross-origin-opener-policy",
        "cross-origin-resource-policy", "cross-origin-embedder-policy", "x-xss-protection",
    ]

    private static func adviseOnHiddenHeaders(_ report: CheckReport, into advice: inout Advice) {
        guard let readable = report.readable, report.request.isCrossOrigin,
            let step = report.steps.last(where: { $0.kind == .actual })
        else { return }
        let hidden = readable.hiddenHeaderNames.filter {
            !$0.hasPrefix("access-control-") && !unremarkableHeaderNames.contains($0)
        }
        guard !hidden.isEmpty else { return }
        let display = hidden.map { name in
            step.response.headerFields.first { $0.name.canonicalName == name }?.name.rawName ?? name
        }
        var existing = tokens(in: step.response.headerFields.combinedValue(.accessControlExposeHeaders) ?? "")
        if report.request.credentials == .include { existing.removeAll { $0 == "*" } }
        let names = merged(existing, adding: display)
        advice.add(
            CheckFix(
                problem:
                    "If the script must read \(display.joined(separator: ", ")): the browser hides \(display.count == 1 ? "it" : "them") unless Access-Control-Expose-Headers names \(display.count == 1 ? "it" : "them").",
                headers: ["Access-Control-Expose-Headers: \(names.joined(separator: ", "))"],
                corsPolicy: "\"exposeHeaders\": \(list(names))",
                fastAPI: "CORSMiddleware(..., expose_headers=\(list(names)))"))
    }

    // MARK: Lists

    /// The tokens of a header list value, in order (anything between commas and spaces).
    static func tokens(in value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == ";" || $0 == "\"" }).map(String.init)
    }

    /// `existing` followed by each of `additions` not already in it.
    static func merged(_ existing: [String], adding additions: [String], caseSensitive: Bool = false) -> [String] {
        var result: [String] = []
        func contains(_ item: String) -> Bool {
            result.contains { caseSensitive ? $0 == item : $0.lowercased() == item.lowercased() }
        }
        for item in existing + additions where !contains(item) {
            result.append(item)
        }
        return result
    }

    /// `["a", "b"]`: a JSON array and a Python list alike.
    static func list(_ items: [String]) -> String {
        "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }

    /// `a, b and c`.
    static func sentence(_ parts: [String]) -> String {
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }

    static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }
}
