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
        case .anySubdomain, .httpOriginTrusted: capped = true
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
            fix = "Compare the Origin against an allow-list of exact origins and send Access-Control-Allow-Origin only for those (swift-cors: allowOrigins; FastAPI: allow_origins=[...] without allow_origin_regex=\".*\")."
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
        case .thirdPartyOrigin:
            what = "A third-party hosting origin is trusted: \(origin) — anybody can publish a page there."
            fix = "Remove hosting platforms (github.io, herokuapp.com, vercel.app, codepen.io, …) from the allowed origins; list your own frontends only."
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
        case .preflightRedirect:
            return (
                "The preflight was answered with a redirect (to \(detail)). Browsers never follow redirects on a preflight, so every preflighted request from your frontend fails (PreflightDisallowedRedirect).",
                "Answer OPTIONS at the URL the frontend calls: serve the canonical URL directly (e.g. https, the trailing slash) and handle CORS before any redirect."
            )
        case .preflightNotOK:
            return (
                "A preflight from a trusted origin got status \(detail). Browsers require 200–299, so every preflighted request from your frontend fails (PreflightInvalidStatus), often because authentication or routing runs before CORS.",
                "Answer preflights before authentication and routing, with 204 or 200 (swift-cors answers them in the middleware, even for paths without an OPTIONS route)."
            )
        case .reflectsRequestedHeaders:
            return (
                "The preflight answer mirrors whatever is asked: it allowed a header (or method) no API defines\(detail.isEmpty ? "" : ", \(detail)"). Every header and method, Authorization included, is allowed for every granted origin, so the allow-lists protect nothing.",
                "Answer with fixed Access-Control-Allow-Methods / -Headers lists of what the API really accepts."
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
        case .thirdPartyOrigin: "A third-party hosting origin is trusted"
        case .wildcard: "Access-Control-Allow-Origin: *"
        case .wildcardWithCredentials: "Access-Control-Allow-Origin: * with credentials"
        case .missingVaryOrigin: "Dynamic Access-Control-Allow-Origin without Vary: Origin"
        case .invalidAllowOrigin: "Invalid Access-Control-Allow-Origin value"
        case .preflightRedirect: "Preflight is redirected"
        case .preflightNotOK: "Preflight does not get an ok status"
        case .reflectsRequestedHeaders: "Preflight mirrors the requested headers or methods"
        }
    }
}
