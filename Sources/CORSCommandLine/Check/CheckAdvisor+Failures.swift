import CORS
import CORSBrowserModel
import HTTPTypes

/// The fix for each reason the CORS check can fail with.
extension CheckAdvisor {
    // MARK: The failure

    static func adviseOnFailure(
        _ failure: CORSFailure, step: CheckStep, report: CheckReport, into advice: inout Advice
    ) {
        let context = Context(step: step, report: report)
        let reason = failure.reason.withoutPreflightPrefix
        if context.isTainted, [.missingAllowOriginHeader, .allowOriginMismatch, .invalidAllowOriginValue].contains(reason) {
            // The redirect advice says it all: allowing `null` would trust every sandboxed page.
            advice.note(.redirect)
            return
        }
        // The answers only one stack gives name the cause better than the browser's reason.
        if let fix = starletteRefusal(context) ?? automaticOptionsAnswer(context) {
            advice.add(fix)
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
                    kinds: [.duplicateAllowOrigin],
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
                    kinds: [.credentialsNotAllowed(origin: context.origin)],
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
                    kinds: [.methodNotAllowed(method: context.method)],
                    problem:
                        "Access-Control-Allow-Methods ('\(failure.offendingValue ?? "")') is not a comma-separated list of methods, so the browser rejects the whole preflight.",
                    headers: ["Access-Control-Allow-Methods: \(methods.joined(separator: ", "))"],
                    corsPolicy: "\"allowMethods\": \(list(methods)) (swift-cors writes the header from it).",
                    fastAPI: "CORSMiddleware(..., allow_methods=\(list(methods))): a list of strings."))
        case .invalidAllowHeadersPreflightResponse:
            let names = merged(tokens(in: failure.offendingValue ?? ""), adding: context.unsafeHeaderDisplayNames)
            advice.add(
                CheckFix(
                    kinds: context.unsafeHeaderDisplayNames.map { .headerNotAllowed(name: $0) },
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


    /// The settings that let this request through: the origin, credentials, and for a
    /// preflighted request its method and headers.
    static func allowance(_ context: Context) -> (headers: [String], policy: String, fastAPI: String) {
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

    static func missingAllowOrigin(_ context: Context) -> CheckFix {
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
            fix.kinds =
                context.isPreflight
                ? [.preflightNotOK(status: context.status)]
                : [.errorWithoutCORSHeaders(status: context.status, origin: context.origin)]
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
        var fix = CheckFix(problem: problem, headers: headers, corsPolicy: policy, fastAPI: fastAPI)
        fix.kinds = [.originNotAllowed(origin: context.origin)]
        return fix
    }

    static func wildcardWithCredentials(_ context: Context) -> CheckFix {
        CheckFix(
            pitfall: .wildcardWithCredentials, kinds: [.wildcardWithCredentials(origin: context.origin)],
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

    static func allowOriginMismatch(_ context: Context, value: String) -> CheckFix {
        var problem =
            "Access-Control-Allow-Origin is '\(value)' but the request's Origin is '\(context.origin)': they must be equal byte for byte."
        if let nearMiss = nearMiss(value, origin: context.origin) {
            problem += " They differ only by \(nearMiss)."
        }
        return CheckFix(
            kinds: [.originNotAllowed(origin: context.origin)],
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

    static func preflightInvalidStatus(_ context: Context) -> CheckFix {
        let path = context.step.request.path ?? "/"
        var fix = CheckFix(
            problem:
                "The preflight (OPTIONS) was answered \(context.statusText); a preflight needs an ok status (200-299).",
            corsPolicy:
                "CORSPolicyMiddleware answers preflights itself with preflightStatus (204, or 200): add it as the first middleware, before authentication and routing.",
            other: [
                "Answer OPTIONS \(path) with 204 No Content and the CORS headers, before authentication, routing or method checks."
            ])
        fix.kinds = [.preflightNotOK(status: context.status)]
        fix.fastAPI =
            "CORSMiddleware answers allowed preflights with 200 before any route or dependency runs: add it with app.add_middleware and keep authentication out of OPTIONS requests."
        return fix
    }


    static func methodNotAllowed(_ context: Context) -> CheckFix {
        let value = context.fields.combinedValue(of: .accessControlAllowMethods)
        var existing = tokens(in: value ?? "")
        if context.includes { existing.removeAll { $0 == "*" } }
        let methods = merged(existing, adding: [context.method], caseSensitive: true)
        var problem =
            "The preflight does not allow the method \(context.method) (Access-Control-Allow-Methods: \(CheckRules.quoted(value)))."
        if context.includes && (value ?? "").contains("*") {
            problem += " '*' is only a wildcard without credentials."
        }
        var fix = CheckFix(
            kinds: [.methodNotAllowed(method: context.method)],
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

    static func headerNotAllowed(_ context: Context, failedName: String) -> CheckFix {
        let value = context.fields.combinedValue(of: .accessControlAllowHeaders)
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
            pitfall: .headerNotAllowed, kinds: display.map { .headerNotAllowed(name: $0) },
            problem: problem,
            headers: ["Access-Control-Allow-Headers: \(names.joined(separator: ", "))"],
            corsPolicy: "\"allowHeaders\": \(list(names))",
            fastAPI: "CORSMiddleware(..., allow_headers=\(list(names)))",
            other: ["Or stop sending '\(failedDisplay)' from the client."])
    }
}
