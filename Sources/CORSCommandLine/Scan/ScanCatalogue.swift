/// What each finding means to a developer, how bad it is, and how to fix it.
enum ScanCatalogue {
    /// Severity of a probe origin the server granted.
    ///
    /// High only when an attacker's page could read a victim's data: credentials are allowed AND
    /// either a cookie this scan saw is sent cross-site (`SameSite=None; Secure`) or the
    /// preflight lets `Authorization` through. Subdomains and plain-http origins need a second
    /// weakness (XSS, a subdomain takeover, a network position), and most special characters
    /// only get past Safari's URL parser, so they stop at medium.
    static func grantSeverity(
        _ probe: Probe, credentials: Bool, authorization: Bool, cookies: ScanJudge.CookieEvidence
    ) -> ScanSeverity {
        guard credentials else { return .low }
        let exploitable = !cookies.sentCrossSite.isEmpty || authorization
        let capped: Bool
        switch probe.code {
        case .anySubdomain, .httpOriginTrusted, .portReflection: capped = true
        case .specialCharacters: capped = !probe.origin.contains("_.")
        default: capped = false
        }
        if capped { return .medium }
        return exploitable ? .high : .medium
    }

    static func grant(
        _ probe: Probe, credentials: Bool, authorization: Bool, cookies: ScanJudge.CookieEvidence
    ) -> (explanation: String, fix: String) {
        let origin = probe.origin
        let what: String
        let fix: String
        switch probe.code {
        case .originReflection:
            what = "The server reflects any Origin: it granted \(origin), a site nobody trusts."
            fix = "Compare the Origin against an allow-list of the exact origins of your frontends and send Access-Control-Allow-Origin only for those; never copy the Origin back unchecked."
        case .nullOrigin:
            what = "The server trusts the origin `null`, which sandboxed iframes and data: pages of ANY site can send."
            fix = "Remove \"null\" from the allowed origins; never reflect an Origin of null."
        case .prefixMatch:
            what = "The origin check only looks at the beginning: \(origin) — a domain an attacker can register — passed because it starts with \(probe.derivedFrom)'s host."
            fix = "Compare the whole origin for equality, or anchor the pattern at both ends (swift-cors patterns are anchored: https://*.example.com)."
        case .suffixMatch:
            what = "The origin check only looks at the end: \(origin) — a domain an attacker can register — passed because it ends like \(probe.derivedFrom)."
            fix = "Match whole labels: allow https://example.com and, if needed, https://*.example.com (a dot before the domain), never \"ends with example.com\"."
        case .substringMatch:
            what = "The origin check tests for a substring: \(origin) passed although it is a different registrable domain."
            fix = "Compare origins for equality against an allow-list instead of searching for a substring."
        case .unescapedDot:
            what = "A regular expression with an unescaped dot let \(origin) — an attacker-registrable domain — match \(probe.derivedFrom)."
            fix = "Escape dots in origin regexes (\\.) and anchor them, or use exact origins / swift-cors patterns instead of regexes."
        case .specialCharacters:
            what = "The origin parser is fooled by a special character: \(origin) was granted. \(origin.contains("_.") ? "Chrome and Firefox accept '_' in host names, so this is exploitable in every major browser." : "Safari sends such origins.")"
            fix = "Parse the Origin strictly (scheme://host[:port], host made of letters, digits, '-' and '.') and compare it for equality with the allowed origins."
        case .anySubdomain:
            what = "Every subdomain is trusted: \(origin) was granted. Any XSS or subdomain takeover on any subdomain becomes a way to read this API."
            fix = "List the subdomains that host your frontends instead of trusting all of them."
        case .httpOriginTrusted:
            what = "The plain-http twin of an https origin is trusted: \(origin) was granted. Anyone on the network path (public Wi-Fi) can inject script into that origin."
            fix = "Trust only https origins (swift-cors refuses http origins with credentials unless dangerouslyAllowInsecureOriginsWithCredentials is set)."
        case .hostingPlatformOrigin:
            let platform = HostingPlatform.platform(ofHost: ScanJudge.host(of: origin)).map(\.name) ?? probe.derivedFrom
            what = "An origin on a shared hosting platform is trusted: \(origin) (\(platform)) was granted, and anybody can publish a page there."
            fix = "Remove hosting-platform patterns and suffixes (*.\(probe.derivedFrom) and the like) from the allowed origins; list the exact origins of your own deployments."
        case .portReflection:
            what = "The trusted host is trusted on any port: \(origin) was granted. Any other service on that host (another app on a shared server, a dev server on localhost) can read this API."
            fix = "Compare the whole origin, port included, against the allow-list (swift-cors patterns name the port: http://localhost:5173, or http://localhost:* on purpose)."
        default:
            what = "The server granted \(origin)."
            fix = "Allow only the exact origins of your frontends."
        }
        var impact: String
        if !credentials {
            impact = "Credentials are not allowed (no Access-Control-Allow-Credentials: true), so that site can read only what is public anyway — unless this API is reachable only from a private network or filters by IP."
        } else if authorization || !cookies.sentCrossSite.isEmpty {
            var reasons: [String] = []
            if !cookies.sentCrossSite.isEmpty {
                let names = cookies.sentCrossSite.joined(separator: ", ")
                reasons.append(
                    cookies.sentCrossSite.count == 1
                        ? "the cookie \(names) is SameSite=None; Secure (the browser sends it cross-site)"
                        : "the cookies \(names) are SameSite=None; Secure (the browser sends them cross-site)")
            }
            if authorization { reasons.append("the preflight allows the Authorization header") }
            impact = "Credentials are allowed (Access-Control-Allow-Credentials: true) and \(reasons.joined(separator: " and ")), so a page on that origin can read your users' authenticated responses."
        } else {
            impact = "Credentials are allowed, but no cookie this scan saw would be sent cross-site\(cookies.notSentCrossSite.isEmpty ? "" : " (\(cookies.notSentCrossSite.joined(separator: ", ")))") and Authorization was not allowed; if your session cookie is SameSite=None, this is high."
        }
        return ("\(what) \(impact)", fix)
    }

    static func text(_ code: ScanFindingCode, detail: String = "") -> (explanation: String, fix: String) {
        switch code {
        case .wildcard:
            return (
                "Access-Control-Allow-Origin: * lets every website read the responses without credentials. Fine for public data; dangerous if the API is only reachable from an intranet or filters by IP address.",
                "Keep * only for public, cookie-less data; otherwise list the origins of your frontends."
            )
        case .wildcardWithCredentials:
            return (
                "Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true: browsers refuse this combination, so credentialed requests from your frontend fail (not exploitable, but broken).",
                "Send the requesting origin (from an allow-list) instead of *, or drop credentials (swift-cors refuses this policy: wildcard-with-credentials)."
            )
        case .invalidAllowOrigin:
            return (
                "Access-Control-Allow-Origin is \"\(detail)\", which equals no origin: several values, a list, a trailing slash or a path. Browsers refuse the response (MultipleAllowOriginValues / AllowOriginMismatch / InvalidAllowOriginValue).",
                "Send exactly one origin, spelled scheme://host[:port] with no trailing slash, or *."
            )
        case .missingVaryOrigin:
            return (
                "Access-Control-Allow-Origin depends on the request's Origin, but the response has no Vary: Origin and may be cached. A shared cache (CDN, proxy) can then serve one origin's answer to another: legitimate pages break, or a granted origin leaks to others.",
                "Add Vary: Origin to every response whose CORS headers depend on the origin, including responses to requests without Origin (swift-cors does this by default)."
            )
        case .cachePoisoningRisk:
            let parts = detail.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
            let (first, second, hit) = (parts.first ?? "", parts.count > 1 ? parts[1] : "", parts.count > 2 ? parts[2] : "")
            return (
                "A cache answered the origin \(second) with the Access-Control-Allow-Origin granted to \(first) (\(hit)): whichever origin asks first decides what everybody gets for as long as it is cached, so your frontends break at random, and a granted origin's answer is handed to others.",
                "Send Vary: Origin on every response whose CORS headers depend on the Origin (swift-cors does this by default), or keep these responses out of the shared cache (Cache-Control: private, or a cache key that includes the Origin)."
            )
        case .crlfInjection:
            return (
                "A line break sent percent-encoded (%0d%0a) in the Origin or Access-Control-Request-Headers was decoded into the response: the field \(detail) that the probe smuggled came back as a field of its own. Anybody who can make a browser or cache send such a request can add headers (Set-Cookie) or split the response (CWE-113).",
                "Never decode a request field before copying it into a response field; compare the Origin against the allow-list and send only values from your own configuration."
            )
        case .preflightWithoutCORS:
            return (
                "The preflight from a trusted origin was answered \(detail) without Access-Control-Allow-Origin, while the same origin's GET carries it: the framework answered OPTIONS before the CORS layer ran (a CORS layer mounted per route, or an automatic OPTIONS answer), so every preflighted request from your frontend fails (PreflightMissingAllowOriginHeader).",
                "Let the CORS layer see OPTIONS requests: mount it for the whole application (or for OPTIONS on every route), before routing."
            )
        case .missingCORSOnError:
            return (
                "The trusted origin gets the CORS headers on success but not on errors: \(detail). The browser hides these error responses from your frontend, which sees a CORS error instead of the status and its message.",
                "Add the CORS headers to every response, errors included: run the CORS layer outermost, or configure it to apply to error responses too."
            )
        case .preflightRedirect:
            return (
                "The preflight was answered with a redirect (to \(detail)). Browsers never follow redirects on a preflight, so every preflighted request from your frontend fails (PreflightDisallowedRedirect).",
                "Answer OPTIONS at the URL the frontend calls: serve the canonical URL directly (e.g. https, the trailing slash) and handle CORS before any redirect."
            )
        case .preflightNotOK:
            let parts = detail.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
            let methods = parts.count > 1 ? " for \(parts[1]), methods the route has" : ""
            return (
                "Preflights from a trusted origin got status \(parts.first ?? detail)\(methods). Browsers require 200–299, so every preflighted request from your frontend fails (PreflightInvalidStatus), often because authentication or routing runs before CORS.",
                "Answer preflights before authentication and routing, with 204 or 200 (swift-cors answers them in the middleware, even for paths without an OPTIONS route)."
            )
        default:
            return ("", "")
        }
    }

    /// One line per code for SARIF's rule descriptions.
    static func summary(_ code: ScanFindingCode) -> String {
        switch code {
        case .originReflection: "Any origin is reflected in Access-Control-Allow-Origin"
        case .nullOrigin: "The origin null is trusted"
        case .prefixMatch: "Origin check matches on prefix only"
        case .suffixMatch: "Origin check matches on suffix only"
        case .substringMatch: "Origin check matches on a substring"
        case .unescapedDot: "Origin regex has an unescaped dot"
        case .specialCharacters: "Origin parser fooled by special characters"
        case .anySubdomain: "Every subdomain is trusted"
        case .httpOriginTrusted: "A plain-http origin is trusted"
        case .hostingPlatformOrigin: "An origin on a shared hosting platform is trusted"
        case .portReflection: "The trusted host is trusted on any port"
        case .crlfInjection: "A CR LF in a request field is decoded into the response"
        case .cachePoisoningRisk: "A shared cache serves one origin's Access-Control-Allow-Origin to another"
        case .preflightWithoutCORS: "Preflight answered without CORS headers"
        case .missingCORSOnError: "Error responses lack the CORS headers"
        case .websocketOrigin: "A WebSocket accepts upgrades from any origin"
        case .csrfUnprotected: "A state-changing route accepts cross-site form submissions"
        case .wildcard: "Access-Control-Allow-Origin: *"
        case .wildcardWithCredentials: "Access-Control-Allow-Origin: * with credentials"
        case .missingVaryOrigin: "Dynamic Access-Control-Allow-Origin without Vary: Origin"
        case .invalidAllowOrigin: "Invalid Access-Control-Allow-Origin value"
        case .preflightRedirect: "Preflight is redirected"
        case .preflightNotOK: "Preflight does not get an ok status"
        }
    }
}
