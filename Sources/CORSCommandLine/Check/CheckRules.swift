import CORSBrowserModel
import HTTPTypes

/// The rules the browser applied to one response, in Chromium's order, as lines of the trace.
///
/// The verdict is always the model's: these lines only say which rule it stopped at. Every
/// rule before the failing one passed; rules after it were never reached and are not shown.
enum CheckRules {
    // MARK: Preflight

    /// The preflight checks (reference 1.3, Chromium's order): redirect, origin, credentials,
    /// ok status, list syntax, method, headers.
    static func preflight(plan: RequestPlan, response: HTTPExchangeResponse, evaluation: PreflightEvaluation) -> [CheckRule] {
        let fields = response.headerFields
        let failure = evaluation.failure
        let failedStage = failure.map { preflightStage(of: $0.reason) } ?? Int.max
        let includes = plan.request.credentials == .include
        let method = plan.request.method.rawValue
        var rules: [CheckRule] = []

        func stage(_ index: Int, passed: @autoclosure () -> String, failed: @autoclosure () -> String) -> Bool {
            if index < failedStage {
                rules.append(.passed(passed()))
                return true
            }
            if index == failedStage { rules.append(.failed(failed())) }
            return false
        }

        let location = fields[.location] ?? ""
        guard
            stage(
                0, passed: "not a redirect",
                failed: "answered with a redirect (\(response.status.code) to '\(location)'): a preflight is never redirected")
        else { return rules }
        let unprefixed = failure.map { $0.reason.withoutPreflightPrefix }
        guard
            stage(
                1, passed: originPassText(fields, origin: plan.serializedOrigin),
                failed: originFailText(unprefixed, value: failure?.failedParameter, origin: plan.serializedOrigin))
        else { return rules }
        if includes {
            guard
                stage(
                    2, passed: "Access-Control-Allow-Credentials is 'true' (credentials: include)",
                    failed: credentialsFailText(failure?.failedParameter))
            else { return rules }
        }
        let status = response.status.code
        guard
            stage(
                3, passed: "status \(status) is ok (200-299)",
                failed: "status \(status) is not ok: a preflight needs 200-299")
        else { return rules }
        let methodsValue = fields.combinedValue(of: .accessControlAllowMethods)
        let headersValue = fields.combinedValue(of: .accessControlAllowHeaders)
        let parseFailure =
            failure?.reason == .invalidAllowMethodsPreflightResponse
            ? "Access-Control-Allow-Methods ('\(methodsValue ?? "")') is not a comma-separated list of methods"
            : "Access-Control-Allow-Headers ('\(headersValue ?? "")') is not a comma-separated list of header names"
        guard
            stage(
                4, passed: "Access-Control-Allow-Methods and Access-Control-Allow-Headers parse as lists",
                failed: parseFailure)
        else { return rules }
        let grant = evaluation.grant
        guard
            stage(
                5, passed: methodPassText(method, listed: CheckAdvisor.tokens(in: methodsValue ?? "")),
                failed:
                    "method \(method) is not allowed by Access-Control-Allow-Methods (\(quoted(methodsValue)))"
                    + (includes && (methodsValue ?? "").contains("*") ? "; '*' is a literal name with credentials" : ""))
        else { return rules }
        _ = stage(
            6, passed: headersPassText(plan.unsafeHeaderNames, grant: grant),
            failed:
                "request header '\(failure?.failedParameter ?? "")' is not allowed by Access-Control-Allow-Headers (\(quoted(headersValue)))"
                + (includes && (headersValue ?? "").contains("*") ? "; '*' is a literal name with credentials" : ""))
        if let grant, failure == nil {
            rules.append(.info("the browser caches this preflight for \(grant.maxAge.seconds) s"))
        }
        return rules
    }

    /// Where each preflight failure sits in Chromium's order.
    static func preflightStage(of reason: CORSFailure.Reason) -> Int {
        switch reason {
        case .preflightDisallowedRedirect: 0
        case .preflightMissingAllowOriginHeader, .preflightWildcardOriginNotAllowed, .preflightMultipleAllowOriginValues,
            .preflightInvalidAllowOriginValue, .preflightAllowOriginMismatch:
            1
        case .preflightInvalidAllowCredentials: 2
        case .preflightInvalidStatus: 3
        case .invalidAllowMethodsPreflightResponse, .invalidAllowHeadersPreflightResponse: 4
        case .methodDisallowedByPreflightResponse: 5
        case .headerDisallowedByPreflightResponse: 6
        default: 1
        }
    }

    // MARK: Actual request

    /// The rules of a response to the actual request: the CORS check for a cross-origin request
    /// (redirects included, fetch.bs L5884), then what happens with a redirect.
    static func actual(plan: RequestPlan, response: HTTPExchangeResponse, redirect: RedirectOutcome) -> [CheckRule] {
        switch redirect {
        case .notARedirect:
            return []
        case .follow(let hop):
            var rules = plan.isCrossOrigin ? corsCheck(plan: plan, fields: response.headerFields, failure: nil) : []
            rules.append(
                .passed(
                    "redirect \(response.status.code) to \(hop.location.serialized) is followed (redirect \(hop.nextRequest.redirectCount) of at most 20)"
                ))
            if hop.methodChangedToGET {
                rules.append(.info("the method becomes GET and the body is dropped"))
            }
            if !hop.removedHeaderNames.isEmpty {
                rules.append(.info("the browser drops \(hop.removedHeaderNames.joined(separator: ", ")) on this hop"))
            }
            if hop.originBecameNull {
                rules.append(.info("the hop crosses origins from an origin that is not the page's: Origin becomes 'null' from now on"))
            }
            if hop.nextPlan.needsPreflight {
                rules.append(.info("the next request needs its own preflight"))
            }
            return rules
        case .blocked(let failure, _):
            if failure.reason == .redirectContainsCredentials {
                var rules = plan.isCrossOrigin ? corsCheck(plan: plan, fields: response.headerFields, failure: nil) : []
                rules.append(.failed("the redirect's Location '\(failure.failedParameter ?? "")' carries a user name or password"))
                return rules
            }
            return corsCheck(plan: plan, fields: response.headerFields, failure: failure)
        case .networkError(let error):
            var rules = plan.isCrossOrigin ? corsCheck(plan: plan, fields: response.headerFields, failure: nil) : []
            rules.append(.failed("net::\(error.code.rawValue): \(error.explanation)"))
            return rules
        }
    }

    /// The rules of the final response: the CORS check, then what the script can read.
    static func response(plan: RequestPlan, evaluation: ResponseEvaluation) -> [CheckRule] {
        guard plan.isCrossOrigin else {
            return [.info("same-origin response: no CORS check; the script reads every header but Set-Cookie")]
        }
        guard let readable = evaluation.readable else {
            return corsCheck(plan: plan, fields: nil, failure: evaluation.failure)
        }
        var rules = corsCheck(plan: plan, fields: readable.readableHeaderFields, failure: nil)
        let readableNames = readable.readableHeaderNames.joined(separator: ", ")
        rules.append(.info("the script can read: \(readableNames.isEmpty ? "no header" : readableNames)"))
        let hidden = readable.hiddenHeaderNames.filter { !$0.hasPrefix("access-control-") }
        if !hidden.isEmpty {
            rules.append(.info("hidden from the script: \(hidden.joined(separator: ", "))"))
        }
        return rules
    }

    /// The CORS check's two rules (fetch.bs L7267): Allow-Origin, then Allow-Credentials for
    /// `include`, up to `failure`.
    static func corsCheck(plan: RequestPlan, fields: HTTPFields?, failure: CORSFailure?) -> [CheckRule] {
        let origin = plan.serializedOrigin
        let includes = plan.request.credentials == .include
        guard let failure else {
            var rules: [CheckRule] = [
                .passed(fields.map { originPassText($0, origin: origin) } ?? "Access-Control-Allow-Origin matches")
            ]
            if includes { rules.append(.passed("Access-Control-Allow-Credentials is 'true' (credentials: include)")) }
            return rules
        }
        let reason = failure.reason.withoutPreflightPrefix
        if reason == .invalidAllowCredentials {
            return [
                .passed("Access-Control-Allow-Origin '\(origin)' equals the request's Origin"),
                .failed(credentialsFailText(failure.failedParameter)),
            ]
        }
        return [.failed(originFailText(reason, value: failure.failedParameter, origin: origin))]
    }

    // MARK: Texts

    static func originPassText(_ fields: HTTPFields, origin: String) -> String {
        if fields.combinedValue(of: .accessControlAllowOrigin) == "*" {
            return "Access-Control-Allow-Origin '*' allows any origin (credentials not included)"
        }
        return "Access-Control-Allow-Origin '\(origin)' equals the request's Origin"
    }

    static func originFailText(_ reason: CORSFailure.Reason?, value: String?, origin: String) -> String {
        let shown = value ?? ""
        switch reason {
        case .missingAllowOriginHeader?:
            return "no Access-Control-Allow-Origin header"
        case .wildcardOriginNotAllowed?:
            return "Access-Control-Allow-Origin is '*', which never works with credentials: include"
        case .multipleAllowOriginValues?:
            return "Access-Control-Allow-Origin '\(shown)' holds several values; exactly one origin is allowed"
        case .invalidAllowOriginValue?:
            return "Access-Control-Allow-Origin '\(shown)' is not an origin"
        default:
            return "Access-Control-Allow-Origin '\(shown)' is not the request's Origin '\(origin)'"
        }
    }

    static func credentialsFailText(_ value: String?) -> String {
        "Access-Control-Allow-Credentials is \(value.map { "'\($0)'" } ?? "absent"); with credentials: include it must be exactly 'true'"
    }

    static func methodPassText(_ method: String, listed: [String]) -> String {
        if listed.contains(method) {
            return "method \(method) is listed in Access-Control-Allow-Methods"
        }
        if ["GET", "HEAD", "POST"].contains(method) {
            return "method \(method) is CORS-safelisted: it needs no listing"
        }
        return "method \(method) is allowed by Access-Control-Allow-Methods: *"
    }

    static func headersPassText(_ names: [String], grant: PreflightGrant?) -> String {
        guard !names.isEmpty else { return "no CORS-unsafe request header to allow" }
        let listed = Set(grant?.allowedHeaderNames ?? [])
        let described = names.map { listed.contains($0) ? "'\($0)'" : "'\($0)' (by '*')" }
        return "request header\(names.count == 1 ? "" : "s") \(described.joined(separator: ", ")) allowed by Access-Control-Allow-Headers"
    }

    static func quoted(_ value: String?) -> String {
        value.map { "'\($0)'" } ?? "absent"
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    func trimmingHTTPWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
