import HTTPTypes

/// How much a finding matters, from what an attacker can actually do with it.
enum ScanSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case info, low, medium, high

    static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The stable identifiers of what `cors scan` finds.
enum ScanFindingCode: String, Sendable, Hashable, Codable, CaseIterable {
    case originReflection = "origin-reflection"
    case nullOrigin = "null-origin"
    case prefixMatch = "prefix-match"
    case suffixMatch = "suffix-match"
    case substringMatch = "substring-match"
    case unescapedDot = "unescaped-dot"
    case specialCharacters = "special-characters"
    case anySubdomain = "any-subdomain"
    case httpOriginTrusted = "http-origin-trusted"
    case thirdPartyOrigin = "third-party-origin"
    case wildcard
    case wildcardWithCredentials = "wildcard-with-credentials"
    case missingVaryOrigin = "missing-vary-origin"
    case invalidAllowOrigin = "invalid-allow-origin"
    case preflightRedirect = "preflight-redirect"
    case preflightNotOK = "preflight-not-ok"
    case reflectsRequestedHeaders = "reflects-requested-headers"
}

/// What came back for one probe: the request's kind, the status and the fields that matter.
struct ScanEvidence: Sendable, Hashable, Codable {
    /// `GET` or `preflight`.
    var request: String
    /// The `Origin` sent, if any.
    var origin: String?
    var status: Int
    /// `Access-Control-*`, `Vary` and `Set-Cookie` fields, as received (several lines joined
    /// with ", " except Set-Cookie, listed separately).
    var headers: [String: String]
    var setCookies: [String]

    init(request: String, origin: String?, response: HTTPExchangeResponse) {
        self.request = request
        self.origin = origin
        self.status = response.status.code
        var headers: [String: String] = [:]
        var cookies: [String] = []
        for field in response.headerFields {
            let name = field.name.canonicalName
            if name == "set-cookie" {
                cookies.append(field.value)
            } else if name.hasPrefix("access-control-") || name == "vary" || name == "location"
                || name == "cache-control"
            {
                headers[field.name.rawName] = headers[field.name.rawName].map { $0 + ", " + field.value } ?? field.value
            }
        }
        self.headers = headers
        self.setCookies = cookies
    }
}

/// One finding: a stable code, a severity, the probe that showed it, the evidence, what it
/// means and how to fix it.
struct ScanFinding: Sendable, Hashable, Codable {
    var code: ScanFindingCode
    var severity: ScanSeverity
    var probeOrigin: String?
    var evidence: [ScanEvidence]
    var explanation: String
    var fix: String
}
