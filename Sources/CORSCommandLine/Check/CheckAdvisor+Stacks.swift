import CORSBrowserModel
import CORSWebSyntax
import HTTPTypes

/// Advice in the words of the server in front of the user: which stack answered, the
/// failures each stack has its own fix for, and the answers only one stack gives (Express's
/// automatic `OPTIONS`, Starlette's 400 "Disallowed CORS …").
extension CheckAdvisor {
    // MARK: Stack fixes

    /// Each fix's `kinds` as lines of the stack's configuration: the detected stack's first,
    /// the other stacks' only when `report.verbose`. Two `Access-Control-Allow-Origin` values
    /// are the proxy's to fix when a proxy left clues: it is the layer that can hide the
    /// application's.
    static func stackFixes(for fix: CheckFix, report: CheckReport) -> [StackFixLine] {
        var primary: [StackFixLine] = []
        var others: [StackFixLine] = []
        for kind in fix.kinds {
            var detection = report.stack
            if kind == .duplicateAllowOrigin, !detection.isOverride,
                let proxy = detection.candidates.first(where: StackKnowledge.isProxy)
            {
                detection.stack = proxy
            }
            for (index, entry) in StackKnowledge.fixes(for: kind, detection: detection, verbose: report.verbose).enumerated() {
                let isDetected = index == 0 && detection.stack != nil
                let line = StackFixLine(stack: entry.stack, fix: entry.fix, isDetected: isDetected)
                if isDetected {
                    if !primary.contains(line) { primary.append(line) }
                } else if !others.contains(line) {
                    others.append(line)
                }
            }
        }
        return primary + others
    }

    /// Whether FastAPI's own advice belongs in the text output: the stack is FastAPI, unknown,
    /// or every stack was asked for.
    static func showsFastAPI(_ report: CheckReport) -> Bool {
        report.verbose || report.stack.stack == nil || report.stack.stack == .fastapi
    }

    // MARK: Answers only one stack gives

    /// A preflight answered with an ok status, an `Allow` list and no `Access-Control-*` field
    /// at all: the framework's automatic `OPTIONS` answered it (Express with `cors()` mounted on
    /// single routes answers 200, `Allow: GET,HEAD,PUT` and that list as the body), so the CORS
    /// layer never saw the request. Saying "does not trust the origin" would send the user to
    /// the wrong setting.
    static func automaticOptionsAnswer(_ context: Context) -> CheckFix? {
        guard context.isPreflight, (200...299).contains(context.status),
            let allow = context.fields[.allow],
            !context.fields.contains(where: { $0.name.canonicalName.hasPrefix("access-control-") })
        else { return nil }
        let path = context.step.plan.request.url.path
        let (headers, policy, fastAPI) = allowance(context)
        var fix = CheckFix(
            problem:
                "OPTIONS \(path) was answered \(context.statusText) with 'Allow: \(allow)' and no CORS header at all: the framework's automatic OPTIONS answered the preflight, so the CORS layer never saw it (Express does this when cors() is mounted on single routes, not on OPTIONS). The origin '\(context.origin)' may well be trusted.",
            headers: headers,
            corsPolicy:
                "CORSPolicyMiddleware answers preflights itself: add it to the router, not to one route or group. \(policy)",
            fastAPI: "\(fastAPI): added to the app itself, it answers OPTIONS before routing.")
        fix.kinds = [.preflightAnsweredWithoutCORS(path: path)]
        return fix
    }

    /// Starlette's CORSMiddleware refuses a preflight with 400 and the body "Disallowed CORS
    /// origin, method, headers": the body names exactly what is not allowed, so the fix says
    /// that first.
    static func starletteRefusal(_ context: Context) -> CheckFix? {
        let body = context.step.response.bodySnippet() ?? ""
        guard context.isPreflight, context.status == 400, body.hasPrefix("Disallowed CORS") else { return nil }
        let refused = body.dropFirst("Disallowed CORS".count)
        var named: [String] = []
        var settings: [String] = []
        var kinds: [CheckFailureKind] = []
        if refused.contains("origin") {
            named.append("the origin '\(context.origin)' is not in allow_origins")
            settings.append("allow_origins=[..., \"\(context.origin)\"]")
            kinds.append(.originNotAllowed(origin: context.origin))
        }
        if refused.contains("method") {
            let methods = merged(
                tokens(in: context.fields.combinedValue(of: .accessControlAllowMethods) ?? ""), adding: [context.method],
                caseSensitive: true)
            named.append("the method \(context.method) is not in allow_methods")
            settings.append(context.fields[.accessControlAllowMethods] == nil ? "allow_methods=[..., \"\(context.method)\"]" : "allow_methods=\(list(methods))")
            kinds.append(.methodNotAllowed(method: context.method))
        }
        if refused.contains("header") {
            // Starlette adds Accept, Accept-Language, Content-Language and Content-Type to
            // allow_headers itself (and lists them in its answer): suggesting them again would be
            // noise, so only what the application configured is kept.
            let starletteAddsItself: Set<String> = ["accept", "accept-language", "content-language", "content-type"]
            let configured = tokens(in: context.fields.combinedValue(of: .accessControlAllowHeaders) ?? "")
            let allowed = Set(configured.map { $0.lowercased() })
            let missing = context.unsafeHeaderDisplayNames.filter { !allowed.contains($0.lowercased()) }
            let names = merged(configured, adding: context.unsafeHeaderDisplayNames)
                .filter { !starletteAddsItself.contains($0.lowercased()) }
            let shown = missing.isEmpty ? context.unsafeHeaderDisplayNames : missing
            named.append(
                "the header\(shown.count == 1 ? "" : "s") \(shown.joined(separator: ", ")) \(shown.count == 1 ? "is" : "are") not in allow_headers")
            settings.append("allow_headers=\(list(names))")
            kinds += shown.map { .headerNotAllowed(name: $0) }
        }
        guard !named.isEmpty else { return nil }
        var fix = CheckFix(
            problem:
                "Starlette's CORSMiddleware refused the preflight with 400 '\(body)': \(sentence(named)). A preflight needs an ok status (200-299), so the browser blocks the request.",
            corsPolicy:
                "CORSPolicyMiddleware answers a trusted origin's preflight with an ok status and its real lists, so the browser names what is missing.",
            fastAPI: "CORSMiddleware(..., \(settings.joined(separator: ", ")))")
        fix.kinds = kinds
        return fix
    }

    /// Whether a redirect response came from the application rather than a proxy's own
    /// rewrite: FastAPI's `redirect_slashes` is only to blame when no other stack's error page
    /// or `Server` made the redirect (an nginx `rewrite … permanent` answers with nginx's page).
    static func redirectIsFastAPIs(_ response: HTTPExchangeResponse) -> Bool {
        let detection = StackKnowledge.detect([response.stackResponse])
        guard let stack = detection.stack, stack != .fastapi else { return true }
        // A proxy passes the application's redirects on under its own `Server`: only its own
        // page (nginx's "301 Moved Permanently" HTML) proves the proxy made it.
        if StackKnowledge.isProxy(stack) {
            return detection.evidence.allSatisfy { $0.hasPrefix("Server:") || $0.hasPrefix("Via:") }
        }
        return false
    }

    // MARK: Credentialed reads

    /// A credentialed read granted to an origin that is neither the API's site nor a local
    /// development page: worth an audit, whoever the origin is.
    static func adviseOnCredentialedRead(_ report: CheckReport, into advice: inout Advice) {
        guard report.verdict == .allowed, report.request.credentials == .include, report.request.isCrossOrigin,
            let step = report.lastActual
        else { return }
        let fields = step.response.headerFields
        let origin = report.request.origin.serialized
        guard fields[.accessControlAllowCredentials] == "true", fields[.accessControlAllowOrigin] == origin else { return }
        if case .tuple(_, let host, _) = report.request.origin {
            let isLocal = host == "localhost" || host.hasSuffix(".localhost") || host == "127.0.0.1" || host == "[::1]"
            guard !isLocal, !isSameSite(page: report.request.origin, url: step.plan.request.url) else { return }
        }
        advice.warnings.append(
            "credentialed-read: this API lets \(origin) read responses with the user's cookies: run `cors scan \(report.request.url.serialized)` to audit it."
        )
    }

    // MARK: Quieter warnings

    /// The browser model's warnings without the noise: no "no cookies are sent" when the
    /// script sends `Authorization` itself, and no "cannot read" for headers nobody reads
    /// (`Server`, `ETag`, security policies), the hidden-header fix naming the others.
    static func quieted(_ warnings: [String], report: CheckReport) -> [String] {
        let sendsAuthorization = report.request.headerFields[.authorization] != nil
        return warnings.compactMap { warning in
            if sendsAuthorization && warning.hasPrefix("\(BrowserWarning.Code.credentialsNotSent.rawValue):") { return nil }
            let notExposed = "\(BrowserWarning.Code.headerNotExposed.rawValue): The script cannot read "
            if warning.hasPrefix(notExposed) {
                let names = remarkableHiddenNames(report)
                guard !names.isEmpty else { return nil }
                return
                    "\(notExposed)\(names.joined(separator: ", ")): add \(names.count == 1 ? "it" : "them") to Access-Control-Expose-Headers."
            }
            return warning
        }
    }

    /// The hidden response headers an application added, lowercased and sorted.
    static func remarkableHiddenNames(_ report: CheckReport) -> [String] {
        guard let readable = report.readable else { return [] }
        return readable.hiddenHeaderNames.filter(isRemarkable).sorted()
    }

    /// Whether a script might want to read the header `name` (lowercased).
    static func isRemarkable(_ name: String) -> Bool {
        !name.hasPrefix("access-control-") && !unremarkableHeaderNames.contains(name)
            && !unremarkableHeaderPrefixes.contains(where: name.hasPrefix)
    }
}

extension CheckStep {
    /// The response as stack detection reads it.
    var stackResponse: StackResponse { response.stackResponse }
}

extension HTTPExchangeResponse {
    /// The response as stack detection reads it: status, fields in order, the body's start.
    var stackResponse: StackResponse {
        StackResponse(
            status: status.code, fields: headerFields.map { ($0.name.rawName, $0.value) },
            body: String(decoding: bodyPrefix, as: UTF8.self))
    }
}
