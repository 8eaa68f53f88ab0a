public import HTTPTypes
import CORSWebSyntax

extension RequestPlan {
    /// Judges a response to ``preflightRequest`` in Chromium's order
    /// (services/network/cors/preflight_controller.cc, reference 1.3):
    ///
    /// 1. a redirect fails at once: PreflightDisallowedRedirect;
    /// 2. the CORS check with the actual request's credentials mode: `Preflight…` errors;
    /// 3. an ok status, 200-299: PreflightInvalidStatus. So a 401 or 500 without CORS headers
    ///    reports the missing `Access-Control-Allow-Origin`, not the status;
    /// 4. Private Network Access: legacy, warning only (never enforced; Local Network Access
    ///    replaced it);
    /// 5. `Access-Control-Allow-Methods` and `-Headers` must parse as token lists;
    /// 6. the method: listed (case-sensitive), CORS-safelisted, or `*` without credentials;
    /// 7. each CORS-unsafe header name, in sorted order: listed (case-insensitive), or `*`
    ///    without credentials.
    ///
    /// The plan's own request need not require a preflight: a tool may send one anyway.
    public func evaluatePreflight(_ response: HTTPResponse) -> PreflightEvaluation {
        var warnings: [BrowserWarning] = []
        let result = preflightResult(response, warnings: &warnings)
        let consoleMessage: String?
        if case .failure(let failure) = result {
            consoleMessage = failure.consoleMessage(for: request)
        } else {
            consoleMessage = nil
        }
        return PreflightEvaluation(result: result, warnings: warnings, consoleMessage: consoleMessage)
    }

    private func preflightResult(
        _ response: HTTPResponse, warnings: inout [BrowserWarning]
    ) -> Result<PreflightGrant, CORSFailure> {
        let fields = response.headerFields

        // 1. fetch.bs L7072: the preflight uses "HTTP-network-or-cache fetch", which never
        // follows redirects; Chromium reports it before anything else.
        if RedirectRules.isRedirect(response) {
            return .failure(
                CORSFailure(.preflightDisallowedRedirect, offendingValue: fields.combinedValue(of: .location)))
        }

        // 2. fetch.bs L7072-7158 step 1: the CORS check, with the actual request's credentials mode.
        if let failure = CORSCheck.evaluate(
            fields, serializedOrigin: request.serializedOrigin, credentials: request.credentials)
        {
            return .failure(CORSFailure(failure.reason.onPreflight, failedParameter: failure.failedParameter))
        }

        // 3. fetch.bs L1471, "ok status".
        guard (200...299).contains(response.status.code) else {
            return .failure(CORSFailure(.preflightInvalidStatus, offendingValue: String(response.status.code)))
        }

        // 4. Private Network Access, warning only (reference 1.8).
        if self.warnings.contains(where: { $0.code == .localNetworkAccess }),
            fields.combinedValue(of: .accessControlAllowPrivateNetwork) != "true"
        {
            warnings.append(
                BrowserWarning(
                    .localNetworkAccess,
                    "The preflight has no 'Access-Control-Allow-Private-Network: true'. Chrome never enforced this legacy Private Network Access rule and no longer checks it; Local Network Access asks the user instead."
                ))
        }

        // 5. fetch.bs L7072-7158 step 3: parse both lists; a failure is a network error.
        let methodsValue = fields.combinedValue(of: .accessControlAllowMethods)
        let headersValue = fields.combinedValue(of: .accessControlAllowHeaders)
        guard let methods = methodsValue.map({ TokenList.parse($0) }) ?? [] else {
            return .failure(CORSFailure(.invalidAllowMethodsPreflightResponse, offendingValue: methodsValue))
        }
        guard let headerNames = headersValue.map({ TokenList.parse($0) }) ?? [] else {
            return .failure(CORSFailure(.invalidAllowHeadersPreflightResponse, offendingValue: headersValue))
        }
        let allowedMethods = Set(methods.map(String.init))
        let allowedHeaders = Set(headerNames.map { ASCII.lowercased($0) })
        let includesCredentials = request.credentials == .include
        let allowsAnyMethod = !includesCredentials && allowedMethods.contains("*")
        let allowsAnyHeader = !includesCredentials && allowedHeaders.contains("*")

        // 6. fetch.bs L7072-7158 step 5: case-sensitive, as measured on Chromium 156 (older Chrome
        // uppercased the method first, crbug.com/1228178).
        let method = request.method.rawValue
        if includesCredentials && allowedMethods.contains("*") && !allowedMethods.contains(method) {
            warnings.append(wildcardWithCredentialsWarning(header: "Access-Control-Allow-Methods"))
        }
        guard allowedMethods.contains(method) || RequestMethodRules.isSafelisted(method) || allowsAnyMethod else {
            // Reference 1.3 step 4: with the use-CORS-preflight flag and no ACAM at all, the spec
            // allows the request's own method. Chromium parses an absent header as an empty list
            // (preflight_result.cc `ParseAccessControlAllowList`), so the verdict is Chromium's.
            if methodsValue == nil && request.forcesPreflight {
                warnings.append(
                    BrowserWarning(
                        .chromiumDiffersFromSpec,
                        "The preflight has no Access-Control-Allow-Methods: the Fetch standard then allows the method of a request with the use-CORS-preflight flag, but Chromium blocks it. Send 'Access-Control-Allow-Methods: \(method)'."
                    ))
            }
            if let caseVariant = allowedMethods.first(where: { ASCII.caseInsensitiveEquals($0, method) }) {
                warnings.append(
                    BrowserWarning(
                        .methodCaseMismatch,
                        "Access-Control-Allow-Methods lists '\(caseVariant)' but the request's method is '\(method)': the comparison is case-sensitive in Chromium (since the spec-conformance change), Firefox and Safari."
                    ))
            }
            return .failure(CORSFailure(.methodDisallowedByPreflightResponse, failedParameter: method))
        }

        // 7. fetch.bs L7072-7158 steps 6-7.
        if allowsAnyHeader {
            // The spec never lets "*" cover Authorization (L1142, "CORS non-wildcard
            // request-header name"), and Firefox and Safari block it. Chromium 156, measured,
            // lets it through and only files the DevTools issue AuthorizationCoveredByWildcard
            // (preflight_result.cc `HasAuthorizationCoveredByWildcard`). Verdict: Chromium's.
            if unsafeHeaderNames.contains("authorization") && !allowedHeaders.contains("authorization") {
                warnings.append(
                    BrowserWarning(
                        .authorizationCoveredByWildcard,
                        "Chromium lets 'Authorization' through because of 'Access-Control-Allow-Headers: *', but the Fetch standard, Firefox and Safari block it (HeaderDisallowedByPreflightResponse); list 'Authorization' explicitly."
                    ))
            }
        } else {
            if includesCredentials && allowedHeaders.contains("*") {
                warnings.append(wildcardWithCredentialsWarning(header: "Access-Control-Allow-Headers"))
            }
            if let missing = unsafeHeaderNames.first(where: { !allowedHeaders.contains($0) }) {
                return .failure(CORSFailure(.headerDisallowedByPreflightResponse, failedParameter: missing))
            }
        }

        let maxAge = PreflightMaxAge(headerValue: fields.combinedValue(of: .accessControlMaxAge))
        if let warning = maxAgeWarning(maxAge) {
            warnings.append(warning)
        }
        return .success(
            PreflightGrant(
                maxAge: maxAge, allowedMethods: allowedMethods.sorted(), allowedHeaderNames: allowedHeaders.sorted(),
                allowsAnyMethod: allowsAnyMethod, allowsAnyHeader: allowsAnyHeader))
    }

    private func wildcardWithCredentialsWarning(header: String) -> BrowserWarning {
        BrowserWarning(
            .wildcardIgnoredWithCredentials,
            "'\(header): *' is only a wildcard for requests without credentials; this request includes credentials, so '*' is taken as a literal name. List the names explicitly."
        )
    }

    private func maxAgeWarning(_ maxAge: PreflightMaxAge) -> BrowserWarning? {
        switch maxAge.source {
        case .absent, .asSent:
            return nil
        case .invalid:
            return BrowserWarning(
                .maxAgeAdjusted,
                "Access-Control-Max-Age is not an integer, so Chromium caches the preflight for the default 5 seconds (Firefox does not cache it at all).")
        case .negative:
            return BrowserWarning(
                .maxAgeAdjusted,
                "Access-Control-Max-Age is negative: Chromium does not cache the preflight (0 s); the spec says 5 s, Firefox does not cache it.")
        case .capped:
            return BrowserWarning(
                .maxAgeAdjusted,
                "Access-Control-Max-Age is above Chromium's cap, so Chromium caches the preflight for 7200 s (Firefox caps at 86400 s, WebKit at 600 s).")
        }
    }
}
