import CORSWebSyntax
/// Every rule a policy is checked against, in one place. Each rule reports with a stable
/// ``CORSPolicyProblem/Code``, the key path, what is wrong and what to write instead.
enum PolicyValidator {
    static func problems(in policy: CORSPolicySettings, hasOriginPredicate: Bool) -> [CORSPolicyProblem] {
        var report = Report()
        checkOrigins(policy, &report)
        checkPatterns(policy, &report)
        if policy.allowOrigins.isEmpty && policy.allowOriginPatterns.isEmpty && !hasOriginPredicate {
            report.error(
                .noOrigins, "allowOrigins",
                "No origin and no pattern is allowed, so every cross-origin request would be refused.",
                "list the origins of your frontends, e.g. \"allowOrigins\": [\"https://app.example.com\"].")
        }
        checkMethods(policy, &report)
        checkAllowHeaders(policy, &report)
        checkExposeHeaders(policy, &report)
        checkPreflight(policy, &report)
        return report.problems
    }

    struct Report {
        var problems: [CORSPolicyProblem] = []

        mutating func error(_ code: CORSPolicyProblem.Code, _ path: String, _ message: String, _ fix: String) {
            problems.append(.init(code: code, severity: .error, path: path, message: message, fix: fix))
        }

        mutating func warning(_ code: CORSPolicyProblem.Code, _ path: String, _ message: String, _ fix: String) {
            problems.append(.init(code: code, severity: .warning, path: path, message: message, fix: fix))
        }
    }

    // MARK: - Origins

    private static func checkOrigins(_ policy: CORSPolicySettings, _ report: inout Report) {
        var seen: [String: Int] = [:]
        let hasWildcard = policy.allowOrigins.contains("*")
        for (index, written) in policy.allowOrigins.enumerated() {
            let path = "allowOrigins[\(index)]"
            switch written {
            case "*":
                if policy.allowCredentials {
                    report.error(
                        .wildcardWithCredentials, path,
                        "\"*\" cannot be combined with allowCredentials: true. Browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests, and reflecting any origin instead would let every website read your users' data.",
                        "list the exact origins of your frontends (e.g. \"https://app.example.com\"), or set allowCredentials to false if the API is public and uses no cookies or Authorization.")
                } else {
                    report.warning(
                        .wildcardOrigin, path,
                        "\"*\" lets every website read the responses. That is right only for public data that needs no cookies or Authorization, and is never reachable only from a private network.",
                        "keep it only for a public API; otherwise list the origins of your frontends.")
                }
                if policy.allowOrigins.count > 1 && index == policy.allowOrigins.firstIndex(of: "*") {
                    report.warning(
                        .wildcardMixedWithOrigins, path,
                        "\"*\" already allows every origin, so the other entries of allowOrigins have no effect.",
                        "remove \"*\" to allow only the listed origins, or remove the others.")
                }
                continue
            case "null":
                if !policy.dangerouslyAllowNullOrigin {
                    report.error(
                        .nullOrigin, path,
                        "\"null\" is the origin of sandboxed iframes, data: URLs and file: pages of any site, so trusting it trusts everybody.",
                        "remove it. If you really must, set \"dangerouslyAllowNullOrigin\": true.")
                }
                continue
            default:
                break
            }
            let spelling = OriginSpelling(written)
            for finding in spelling.findings {
                report.error(finding.code, path, finding.message, finding.fix)
            }
            guard spelling.findings.isEmpty else { continue }
            let origin = SerializedOrigin(scheme: spelling.scheme, host: spelling.host, port: spelling.port)
            if let first = seen[origin.serialization] {
                report.warning(
                    .duplicateOrigin, path, "\"\(written)\" is already listed at allowOrigins[\(first)].",
                    "remove the duplicate.")
            } else {
                seen[origin.serialization] = index
            }
            if policy.allowCredentials && !hasWildcard && !origin.isPotentiallyTrustworthy
                && !policy.dangerouslyAllowInsecureOriginsWithCredentials
            {
                report.error(
                    .insecureOriginWithCredentials, path,
                    "\"\(written)\" is plain http on a non-loopback host; anyone on the network path can inject script into it and read your users' credentialed responses.",
                    "serve that frontend over https and write \"https://\(origin.host)\(origin.port.map { ":\($0)" } ?? "")\". If you really must, set \"dangerouslyAllowInsecureOriginsWithCredentials\": true.")
            }
        }
    }

    // MARK: - Patterns

    private static func checkPatterns(_ policy: CORSPolicySettings, _ report: inout Report) {
        var seen: [String: Int] = [:]
        for (index, written) in policy.allowOriginPatterns.enumerated() {
            let path = "allowOriginPatterns[\(index)]"
            guard let pattern = validatedPattern(written, path: path, &report) else { continue }
            if let first = seen[pattern.canonical] {
                report.warning(
                    .duplicateOrigin, path, "\"\(written)\" is already listed at allowOriginPatterns[\(first)].",
                    "remove the duplicate.")
            } else {
                seen[pattern.canonical] = index
            }
            let isLoopback = SerializedOrigin(
                scheme: pattern.scheme, host: pattern.host.hasPrefix("*.") ? "x" + pattern.host.dropFirst() : pattern.host,
                port: nil
            ).isLoopback
            if policy.allowCredentials && (pattern.scheme == "http" || pattern.scheme == "ws") && !isLoopback
                && !policy.dangerouslyAllowInsecureOriginsWithCredentials
            {
                report.error(
                    .insecureOriginWithCredentials, path,
                    "\"\(written)\" matches plain-http origins; anyone on the network path can inject script into them and read your users' credentialed responses.",
                    "use https://\(pattern.host)\(pattern.portText.map { ":\($0)" } ?? ""). If you really must, set \"dangerouslyAllowInsecureOriginsWithCredentials\": true.")
            }
        }
    }

    /// Checks one pattern; returns its spelling when it is valid.
    static func validatedPattern(_ written: String, path: String, _ report: inout Report) -> OriginSpelling? {
        let spelling = OriginSpelling(written, isPattern: true)
        let host = spelling.host
        if host == "*" || host == "*." {
            report.error(
                .patternTooBroad, path,
                "\"\(written)\" matches every \(spelling.scheme) origin on the web.",
                "list your frontends' origins, or a pattern for one domain you control such as \(spelling.scheme)://*.example.com.")
            return nil
        }
        for finding in spelling.findings {
            report.error(finding.code, path, finding.message, finding.fix)
        }
        let wildcardLabel = host.hasPrefix("*.")
        let rest = wildcardLabel ? String(host.dropFirst(2)) : host
        if rest.contains("*") || (!wildcardLabel && spelling.portText != "*") {
            let suggestion = rest.replacingStars()
            report.error(
                .patternInvalid, path,
                wildcardLabel || rest.contains("*")
                    ? "\"\(written)\" puts `*` somewhere other than a whole leftmost label or the port; patterns are not regular expressions."
                    : "\"\(written)\" has no wildcard.",
                rest.contains("*") || wildcardLabel
                    ? "write \(spelling.scheme)://*.\(suggestion) to allow every subdomain of \(suggestion)."
                    : "put it in allowOrigins, or write \(spelling.scheme)://*.\(rest) or \(spelling.scheme)://\(rest):*.")
            return nil
        }
        guard spelling.findings.isEmpty else { return nil }
        if wildcardLabel {
            if HostSyntax.looksNumeric(rest) || HostSyntax.isIPv6Literal(rest) {
                report.error(
                    .patternInvalid, path, "\"\(written)\" puts a wildcard in front of an IP address.",
                    "list the exact origins instead.")
                return nil
            }
            if PublicSuffixList.isPublicSuffix(rest) {
                report.error(
                    .patternTooBroad, path,
                    "\"\(written)\" matches every site under the public suffix \"\(rest)\", which anybody can register.",
                    "narrow it to a domain you control, such as \(spelling.scheme)://*.example.\(rest).")
                return nil
            }
        }
        return spelling
    }

    // MARK: - Methods

    private static func checkMethods(_ policy: CORSPolicySettings, _ report: inout Report) {
        var seen: [String: Int] = [:]
        for (index, method) in policy.allowMethods.enumerated() {
            let path = "allowMethods[\(index)]"
            if method == "*" {
                if policy.allowCredentials {
                    report.error(
                        .methodsWildcardWithCredentials, path,
                        "On credentialed requests browsers read \"*\" in Access-Control-Allow-Methods as a method literally named *, so no method would be allowed by it.",
                        "list the methods, e.g. [\"GET\", \"POST\", \"PUT\", \"DELETE\"].")
                }
                continue
            }
            guard ASCII.isToken(method) else {
                report.error(
                    .invalidMethod, path, "\"\(method)\" is not a valid HTTP method name (an RFC 9110 token).",
                    "write the method name alone, e.g. \"PATCH\"; one method per entry.")
                continue
            }
            let upper = method.uppercased()
            if FetchMethodRules.forbidden.contains(upper) {
                report.error(
                    .forbiddenMethod, path, "\(upper) is a forbidden method: browsers never let a page send it.",
                    "remove it.")
                continue
            }
            if method != upper {
                if FetchMethodRules.normalized.contains(upper) {
                    report.error(
                        .methodCase, path,
                        "\"\(method)\" never matches: browsers always send \(upper) in uppercase and compare Access-Control-Allow-Methods case-sensitively.",
                        "write \"\(upper)\".")
                } else {
                    report.warning(
                        .methodCase, path,
                        "\"\(method)\" is compared case-sensitively; browsers send it exactly as the page wrote it, and pages almost always write \(upper).",
                        "write \"\(upper)\" unless your clients really send it in lowercase.")
                }
            }
            if let first = seen[method] {
                report.warning(
                    .duplicateName, path, "\"\(method)\" is already listed at allowMethods[\(first)].",
                    "remove the duplicate.")
            } else {
                seen[method] = index
            }
        }
    }

    // MARK: - Headers

    private static func checkAllowHeaders(_ policy: CORSPolicySettings, _ report: inout Report) {
        var seen: [String: Int] = [:]
        for (index, name) in policy.allowHeaders.enumerated() {
            let path = "allowHeaders[\(index)]"
            if name == "*" {
                if policy.allowCredentials {
                    report.error(
                        .headersWildcardWithCredentials, path,
                        "On credentialed requests browsers read \"*\" in Access-Control-Allow-Headers as a header literally named *, so no header would be allowed by it.",
                        "list the headers your clients send, e.g. [\"Authorization\", \"Content-Type\"].")
                }
                continue
            }
            guard ASCII.isToken(name) else {
                report.error(
                    .invalidHeaderName, path, "\"\(name)\" is not a valid header name (an RFC 9110 token).",
                    "write the header name alone, e.g. \"X-Request-Id\"; one name per entry.")
                continue
            }
            let lower = name.lowercased()
            if FetchHeaderRules.isForbiddenRequestHeader(lower) {
                report.error(
                    .forbiddenHeaderName, path,
                    "\(name) is a forbidden request header: browsers set it themselves and never let a page send it, so allowing it does nothing.",
                    "remove it. Cookies travel with credentials: set allowCredentials instead.")
                continue
            }
            duplicate(lower, at: index, key: "allowHeaders", seen: &seen, &report)
        }
    }

    private static func checkExposeHeaders(_ policy: CORSPolicySettings, _ report: inout Report) {
        var seen: [String: Int] = [:]
        for (index, name) in policy.exposeHeaders.enumerated() {
            let path = "exposeHeaders[\(index)]"
            if name == "*" {
                if policy.allowCredentials {
                    report.error(
                        .exposeWildcardWithCredentials, path,
                        "On credentialed requests browsers read \"*\" in Access-Control-Expose-Headers as a header literally named *, so nothing would be exposed by it.",
                        "list the response headers the page must read, e.g. [\"X-Request-Id\"].")
                }
                continue
            }
            guard ASCII.isToken(name) else {
                report.error(
                    .invalidHeaderName, path, "\"\(name)\" is not a valid header name (an RFC 9110 token).",
                    "write the header name alone, e.g. \"X-Request-Id\"; one name per entry.")
                continue
            }
            let lower = name.lowercased()
            if FetchHeaderRules.forbiddenResponseHeaderNames.contains(lower) {
                report.error(
                    .exposeSetCookie, path, "Browsers never let a script read \(name), whatever the server exposes.",
                    "remove it. Cookies are sent back automatically with credentials: \"include\".")
                continue
            }
            if FetchHeaderRules.safelistedResponseHeaderNames.contains(lower) {
                report.warning(
                    .exposeSafelistedHeader, path, "\(name) is a safelisted response header: scripts can always read it.",
                    "remove it.")
            }
            duplicate(lower, at: index, key: "exposeHeaders", seen: &seen, &report)
        }
    }

    private static func duplicate(
        _ lower: String, at index: Int, key: String, seen: inout [String: Int], _ report: inout Report
    ) {
        if let first = seen[lower] {
            report.warning(
                .duplicateName, "\(key)[\(index)]",
                "\"\(lower)\" is already listed at \(key)[\(first)] (header names are case-insensitive).",
                "remove the duplicate.")
        } else {
            seen[lower] = index
        }
    }

    // MARK: - Preflight

    /// Chromium caps the preflight cache lifetime at two hours (`kMaxTimeout` in
    /// services/network/cors/preflight_result.cc); Firefox at 24 hours, WebKit at 10 minutes.
    static let chromiumMaxAgeCap = 7200
    /// The largest `maxAge` accepted at all: the highest cap of any browser (Firefox).
    static let maximumMaxAge = 86400

    private static func checkPreflight(_ policy: CORSPolicySettings, _ report: inout Report) {
        if let maxAge = policy.maxAge {
            if maxAge < 0 || maxAge > maximumMaxAge {
                report.error(
                    .maxAgeOutOfRange, "maxAge",
                    "maxAge \(maxAge) is outside 0…\(maximumMaxAge) seconds; browsers ignore or clamp such values.",
                    maxAge < 0
                        ? "write 0 to disable preflight caching, or leave maxAge out for the browser default of 5 seconds."
                        : "write \(chromiumMaxAgeCap) (Chromium's cap) or less.")
            } else if maxAge > chromiumMaxAgeCap {
                report.warning(
                    .maxAgeAboveBrowserCap, "maxAge",
                    "maxAge \(maxAge) is above Chromium's cap of \(chromiumMaxAgeCap) seconds, so Chrome and Edge cache preflights for 2 hours at most (Safari: 10 minutes).",
                    "write \(chromiumMaxAgeCap) or less to say what browsers really do.")
            }
        }
        if policy.preflightStatus != 204 && policy.preflightStatus != 200 {
            report.error(
                .invalidPreflightStatus, "preflightStatus",
                "preflightStatus \(policy.preflightStatus) is not 200 or 204; a preflight must succeed with an ok status.",
                "write 204 (the default) or 200 for old clients that mishandle 204.")
        }
        if policy.allowPrivateNetwork {
            report.warning(
                .privateNetworkAccessDeprecated, "allowPrivateNetwork",
                "Private Network Access preflights were never enforced and are on hold; Chrome 142 replaced them with a Local Network Access permission prompt that uses no CORS header.",
                "keep it only for old Chromium builds that still send Access-Control-Request-Private-Network.")
        }
    }
}

extension String {
    /// `*example.com` → `example.com`, `a.*.example.com` → `a.example.com`: a guess at the
    /// domain the person meant, for a fix-it.
    fileprivate func replacingStars() -> String {
        split(separator: ".").filter { $0 != "*" }.map { $0.replacing("*", with: "") }
            .filter { !$0.isEmpty }.joined(separator: ".")
    }
}
