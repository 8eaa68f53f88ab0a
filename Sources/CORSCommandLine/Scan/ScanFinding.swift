import HTTPTypes

/// How much a finding matters on its axis.
enum ScanSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case info, low, medium, high

    static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a finding costs: an attacker reading what they should not (exposure), or the API's own
/// frontend blocked by the browser (breakage). Each has its own severity scale and threshold.
enum ScanAxis: String, Sendable, Hashable, Codable, CaseIterable {
    case exposure, breakage
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
    case portReflection = "port-reflection"
    case httpOriginTrusted = "http-origin-trusted"
    case hostingPlatformOrigin = "hosting-platform-origin"
    case crlfInjection = "crlf-injection"
    case cachePoisoningRisk = "cache-poisoning-risk"
    case wildcard
    case wildcardWithCredentials = "wildcard-with-credentials"
    case missingVaryOrigin = "missing-vary-origin"
    case invalidAllowOrigin = "invalid-allow-origin"
    case preflightRedirect = "preflight-redirect"
    case preflightNotOK = "preflight-not-ok"
    case preflightWithoutCORS = "preflight-without-cors"
    case missingCORSOnError = "missing-cors-on-error"
    /// With `--websocket PATH`: an upgrade from an untrusted origin got 101 (CWE-1385).
    case websocketOrigin = "websocket-origin"
    /// With `--state-changing METHOD:PATH`: a cross-site form reached the route (CWE-352).
    case csrfUnprotected = "csrf-unprotected"

    /// Which axis the class is rated on.
    var axis: ScanAxis {
        switch self {
        case .wildcardWithCredentials, .missingVaryOrigin, .invalidAllowOrigin, .preflightRedirect, .preflightNotOK,
            .preflightWithoutCORS, .missingCORSOnError:
            .breakage
        default: .exposure
        }
    }

    /// Whether the class is an untrusted origin the server granted (a probe origin's grant).
    var isGrant: Bool {
        switch self {
        case .originReflection, .nullOrigin, .prefixMatch, .suffixMatch, .substringMatch, .unescapedDot,
            .specialCharacters, .anySubdomain, .portReflection, .httpOriginTrusted, .hostingPlatformOrigin:
            true
        default: false
        }
    }
}

/// What came back for one probe: the request, the status and the fields that matter.
struct ScanEvidence: Sendable, Hashable, Codable {
    /// `GET`, `preflight`, or another method (`TRACE`, `POST`) for the error probes.
    var request: String
    /// The `Origin` sent, if any.
    var origin: String?
    /// The request method on the wire (`OPTIONS` for a preflight).
    var method: String
    /// The path and query the request was sent to.
    var target: String
    /// The request fields that matter (`Origin`, `Access-Control-Request-*`).
    var requestHeaders: [String: String]
    var status: Int
    /// `Access-Control-*`, `Vary`, `Location`, `Cache-Control`, `Allow` and cache-hit fields, as
    /// received (several lines joined with ", " except Set-Cookie, listed separately).
    var headers: [String: String]
    var setCookies: [String]

    /// Fields of a response worth showing as evidence.
    static func isEvidence(_ name: String) -> Bool {
        name.hasPrefix("access-control-") || name.hasPrefix("x-cors-probe") || ["vary", "location", "cache-control", "allow", "age", "x-cache", "x-cache-status", "cf-cache-status"].contains(name)
    }

    init(request: String, origin: String?, method: String = "GET", target: String = "/", requestHeaders: [String: String] = [:], response: HTTPExchangeResponse) {
        self.request = request
        self.origin = origin
        self.method = method
        self.target = target
        self.requestHeaders = requestHeaders
        self.status = response.status.code
        var headers: [String: String] = [:]
        var cookies: [String] = []
        for field in response.headerFields {
            let name = field.name.canonicalName
            if name == "set-cookie" {
                cookies.append(field.value)
            } else if Self.isEvidence(name) {
                headers[field.name.rawName] = headers[field.name.rawName].map { $0 + ", " + field.value } ?? field.value
            }
        }
        self.headers = headers
        self.setCookies = cookies
    }
}

/// One finding: one thing the server does wrong, with a stable code, its axis and severity, the
/// probe that shows it best, every probe that showed it, what it means and how to fix it.
struct ScanFinding: Sendable, Hashable, Codable {
    var code: ScanFindingCode
    var severity: ScanSeverity
    var axis: ScanAxis { code.axis }
    /// The probe origin that shows the problem best (the root cause's own probe).
    var probeOrigin: String?
    /// Every response that showed it, the root cause's own probe first.
    var evidence: [ScanEvidence]
    /// Other classes whose probes the same root cause explains (a reflection of any origin also
    /// grants `null` and every look-alike): evidence, not findings of their own.
    var alsoShownBy: [ScanFindingCode] = []
    var explanation: String
    var fix: String
    /// What the finding is anchored to, stable across runs (never the random probe token):
    /// the origin the probe was derived from, or the class alone.
    var anchor: String = ""
}
