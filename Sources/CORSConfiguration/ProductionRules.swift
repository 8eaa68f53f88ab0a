import CORS

/// The stricter checks of the production profile, on top of the core's: a development origin
/// that ships to production is a warning, and `*` on an API that sets cookies is an error.
///
/// They only look at entries the core found valid (valid entries are in canonical form, so
/// their scheme and host can be read off directly).
enum ProductionRules {
    /// The name of the strict profile.
    static let profileName = "production"

    /// Findings with paths relative to the policy (`allowOrigins[1]`).
    static func findings(
        _ settings: CORSPolicySettings, setsCookies: Bool, coreProblems: [CORSPolicyProblem]
    ) -> [CORSPolicyFinding] {
        let refused = Set(coreProblems.filter { $0.severity == .error }.map(\.path))
        var findings: [CORSPolicyFinding] = []
        for (index, origin) in settings.allowOrigins.enumerated() {
            let path = "allowOrigins[\(index)]"
            guard !refused.contains(path) else { continue }
            if origin == "*" {
                if setsCookies && !settings.allowCredentials {
                    findings.append(wildcardWithCookies(path: path))
                }
                continue
            }
            findings += check(origin, path: path, isPattern: false)
        }
        for (index, pattern) in settings.allowOriginPatterns.enumerated() {
            let path = "allowOriginPatterns[\(index)]"
            guard !refused.contains(path) else { continue }
            findings += check(pattern, path: path, isPattern: true)
        }
        return findings
    }

    private static func check(_ origin: String, path: String, isPattern: Bool) -> [CORSPolicyFinding] {
        guard let (scheme, host) = schemeAndHost(origin) else { return [] }
        let what = isPattern ? "pattern" : "origin"
        if isLocal(host) {
            return [
                CORSPolicyFinding(
                    severity: .warning, code: .productionLocalhostOrigin, path: path,
                    message: "\"\(origin)\" is a local development \(what) in the production profile: any program or page a visitor runs on that port can call your production API, with their cookies if credentials are allowed.",
                    fix: "move it to a development profile: {\"profiles\": {\"development\": {…}, \"production\": {…}}}, selected with --profile or CORS_PROFILE.")
            ]
        }
        if scheme == "http" || scheme == "ws" {
            return [
                CORSPolicyFinding(
                    severity: .warning, code: .productionInsecureOrigin, path: path,
                    message: "\"\(origin)\" is plain \(scheme) in the production profile: anyone on the network path can inject script into that \(what) and call your API as it.",
                    fix: "serve that frontend over https and write \"\(origin.replacingScheme(with: scheme == "ws" ? "wss" : "https"))\".")
            ]
        }
        return []
    }

    private static func wildcardWithCookies(path: String) -> CORSPolicyFinding {
        CORSPolicyFinding(
            severity: .error, code: .productionWildcardWithCookies, path: path,
            message: "\"*\" in the production profile of an API that sets cookies (\"setsCookies\": true): browsers never let a page read a response to a request with cookies when it says `Access-Control-Allow-Origin: *`, so your frontend's cookie-authenticated calls fail, while every website may call the rest of the API.",
            fix: "list the exact origins of your frontends and set \"allowCredentials\": true; keep \"*\" only for a public API that uses no cookies (then remove \"setsCookies\").")
    }

    /// `("http", "localhost")` from `http://localhost:5173`; `*.` patterns keep their host.
    static func schemeAndHost(_ origin: String) -> (scheme: String, host: String)? {
        guard let separator = origin.range(of: "://") else { return nil }
        let scheme = String(origin[..<separator.lowerBound])
        let rest = origin[separator.upperBound...]
        let host: Substring
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[...close]
        } else {
            host = rest.prefix { $0 != ":" && $0 != "/" }
        }
        return (scheme, host.lowercased())
    }

    /// `localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`, `0.0.0.0`.
    static func isLocal(_ host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "[::1]" || host == "0.0.0.0" {
            return true
        }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}

extension String {
    fileprivate func replacingScheme(with scheme: String) -> String {
        guard let separator = range(of: "://") else { return self }
        return scheme + self[separator.lowerBound...]
    }
}
