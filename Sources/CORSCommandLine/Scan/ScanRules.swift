/// What code-scanning dashboards need about each finding class: CWE ids, help, and a
/// `security-severity` score.
enum ScanRules {
    /// The CWE ids of a class.
    ///
    /// CWE-942 (permissive cross-domain policy with untrusted domains) and CWE-346 (origin
    /// validation error) for every origin the server should not trust; CWE-113 for response
    /// splitting. Breakage classes block the API's own frontend and have no weakness id.
    static func cwe(_ code: ScanFindingCode) -> [String] {
        switch code {
        case .originReflection, .nullOrigin, .prefixMatch, .suffixMatch, .substringMatch, .unescapedDot,
            .specialCharacters, .anySubdomain, .portReflection, .httpOriginTrusted, .hostingPlatformOrigin:
            ["CWE-942", "CWE-346"]
        case .wildcard, .wildcardWithCredentials: ["CWE-942"]
        case .crlfInjection: ["CWE-113"]
        case .websocketOrigin: ["CWE-1385", "CWE-346"]
        case .csrfUnprotected: ["CWE-352"]
        case .cachePoisoningRisk, .missingVaryOrigin: ["CWE-346"]
        case .invalidAllowOrigin, .preflightRedirect, .preflightNotOK, .preflightWithoutCORS, .missingCORSOnError: []
        }
    }

    /// SARIF tags: the axis, the CWE ids both as written and in the `external/cwe/cwe-N` form
    /// GitHub code scanning reads.
    static func tags(_ code: ScanFindingCode) -> [String] {
        var tags = ["cors", code.axis.rawValue]
        if code.axis == .exposure { tags.insert("security", at: 0) }
        for id in cwe(code) {
            tags.append(id)
            tags.append("external/cwe/" + id.lowercased())
        }
        return tags
    }

    /// The score code scanning sorts by (0.0–10.0, as a string). Exposure follows the CVSS bands
    /// (high 8.1, medium 5.3, low 3.1); breakage is not an attacker's gain, so it stays below
    /// every exposure of the same level.
    static func securitySeverity(_ severity: ScanSeverity, axis: ScanAxis) -> String {
        switch (axis, severity) {
        case (.exposure, .high): "8.1"
        case (.exposure, .medium): "5.3"
        case (.exposure, .low): "3.1"
        case (.breakage, .high): "4.0"
        case (.breakage, .medium): "3.0"
        case (.breakage, .low): "2.0"
        case (_, .info): "0.0"
        }
    }

    /// The highest severity a class can have, for the rule's own score.
    static func highest(_ code: ScanFindingCode) -> ScanSeverity {
        switch code {
        case .wildcard: .info
        case .wildcardWithCredentials: .low
        case .anySubdomain, .httpOriginTrusted, .portReflection, .missingVaryOrigin, .missingCORSOnError, .cachePoisoningRisk: .medium
        default: .high
        }
    }

    /// What the class means and how to fix it, for the rule's help.
    static func help(_ code: ScanFindingCode) -> (text: String, markdown: String) {
        let meaning: String
        let fix: String
        switch code {
        case .originReflection:
            meaning = "The server copies any Origin into Access-Control-Allow-Origin, so every website can read its responses."
            fix = "Compare the Origin against an allow-list of exact origins."
        case .nullOrigin:
            meaning = "The origin `null` is trusted; sandboxed iframes and data: documents of any site send it."
            fix = "Never trust or reflect `null`."
        case .prefixMatch, .suffixMatch, .substringMatch, .unescapedDot, .specialCharacters:
            meaning = "The origin check compares part of the origin, so a domain an attacker can register passes it."
            fix = "Compare whole origins for equality, or use anchored patterns that match whole labels."
        case .anySubdomain:
            meaning = "Every subdomain is trusted: an XSS or a subdomain takeover anywhere reads this API."
            fix = "List the subdomains that host your frontends."
        case .portReflection:
            meaning = "The trusted host is trusted on any port: every other service on that host can read this API."
            fix = "Compare the port too."
        case .httpOriginTrusted:
            meaning = "A plain-http origin is trusted: anyone on the network path can inject script into it."
            fix = "Trust https origins only."
        case .hostingPlatformOrigin:
            meaning = "An origin on a shared hosting platform (github.io, vercel.app, herokuapp.com, …) is trusted: anybody can publish there."
            fix = "List your own deployments' exact origins, never a platform's suffix."
        case .crlfInjection:
            meaning = "A percent-encoded CR LF in a request field is decoded into the response, which lets a request add header fields (HTTP response splitting)."
            fix = "Never decode request fields into response fields; send configured values only."
        case .cachePoisoningRisk:
            meaning = "A shared cache serves the Access-Control-Allow-Origin granted to one origin to another."
            fix = "Send `Vary: Origin` with every origin-dependent response."
        case .wildcard:
            meaning = "`Access-Control-Allow-Origin: *` lets every site read responses without credentials."
            fix = "Keep `*` for public data only."
        case .wildcardWithCredentials:
            meaning = "`*` with `Access-Control-Allow-Credentials: true`: browsers refuse it, so credentialed requests fail."
            fix = "Send the requesting origin from an allow-list instead of `*`."
        case .missingVaryOrigin:
            meaning = "A dynamic Access-Control-Allow-Origin without `Vary: Origin` on a cacheable response."
            fix = "Send `Vary: Origin`."
        case .invalidAllowOrigin:
            meaning = "Access-Control-Allow-Origin matches no origin (several values, a trailing slash, a path), so browsers block every response."
            fix = "Send exactly one origin, `scheme://host[:port]`, with no trailing slash."
        case .preflightRedirect:
            meaning = "The preflight is redirected; browsers never follow redirects on a preflight, so every preflighted request fails."
            fix = "Answer OPTIONS at the URL the frontend calls, before any redirect."
        case .preflightNotOK:
            meaning = "Preflights for methods the route has get a status outside 200–299, so every preflighted request fails."
            fix = "Answer preflights in the CORS layer, before authentication and routing."
        case .preflightWithoutCORS:
            meaning = "The preflight is answered 2xx without CORS headers while actual requests carry them: the framework answered OPTIONS before the CORS layer."
            fix = "Mount the CORS layer for the whole application, OPTIONS included."
        case .websocketOrigin:
            meaning = "A WebSocket endpoint accepts upgrades from an origin nobody trusts. WebSockets are not subject to CORS and browsers send cookies with the upgrade, so any site can open the socket as the user (cross-site WebSocket hijacking)."
            fix = "Check the Origin of every upgrade against the trusted origins and answer others 403 before upgrading (swift-cors: `WebSocketOriginGuard`)."
        case .csrfUnprotected:
            meaning = "A state-changing route accepts a cross-site form submission (`Origin` of another site, `Sec-Fetch-Site: cross-site`). CORS only hides the answer; the side effect happens (cross-site request forgery)."
            fix = "Refuse unsafe methods from other sites with 403: Go's `CrossOriginProtection` algorithm on `Sec-Fetch-Site` and `Origin` (swift-cors: `CrossOriginProtection`), or the framework's CSRF tokens."
        case .missingCORSOnError:
            meaning = "Error responses (404, 405, 400/422) lack the CORS headers that successful ones carry, so the frontend sees a CORS error instead of the error."
            fix = "Add the CORS headers to error responses too (nginx: `add_header … always`)."
        }
        let ids = cwe(code)
        let weakness = ids.isEmpty ? "" : " (\(ids.joined(separator: ", ")))"
        let text = "\(ScanCatalogue.summary(code))\(weakness). \(meaning) Fix: \(fix)"
        let links = ids.map { id in
            "[\(id)](https://cwe.mitre.org/data/definitions/\(id.dropFirst(4)).html)"
        }.joined(separator: ", ")
        let markdown = """
            **\(ScanCatalogue.summary(code))** — \(code.axis.rawValue)\(ids.isEmpty ? "" : ", \(links)")

            \(meaning)

            **Fix:** \(fix)

            See the [Fetch standard's CORS protocol](https://fetch.spec.whatwg.org/#http-cors-protocol).
            """
        return (text, markdown)
    }
}
