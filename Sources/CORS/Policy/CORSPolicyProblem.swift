/// One thing wrong, or worth a second look, in a ``CORSPolicy``.
///
/// Every problem names the setting it is about (``path``, such as `allowOrigins[1]`), says what
/// is wrong (``message``) and what to write instead (``fix``). The ``code`` is stable: tools and
/// tests may match on it.
public struct CORSPolicyProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious a problem is.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        /// The policy is refused: it is impossible, dangerous, or not what a browser understands.
        case error
        /// The policy works, but probably not as intended.
        case warning

        public static func < (lhs: Self, rhs: Self) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    /// Stable identifiers of every rule the validator applies.
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        // Origins
        /// `*` in `allowOrigins` together with `allowCredentials: true`.
        case wildcardWithCredentials = "wildcard-with-credentials"
        /// `*` in `allowOrigins`: any site may read the responses (fine only for public, cookie-less APIs).
        case wildcardOrigin = "wildcard-origin"
        /// `*` beside other origins, which it already covers.
        case wildcardMixedWithOrigins = "wildcard-mixed-with-origins"
        /// Neither an origin nor a pattern: nothing would be allowed.
        case noOrigins = "no-origins"
        /// `null` as an origin: sandboxed iframes and `data:` documents of any site send it.
        case nullOrigin = "null-origin"
        /// Leading or trailing whitespace around an origin.
        case originWhitespace = "origin-whitespace"
        /// An origin without `scheme://`.
        case originMissingScheme = "origin-missing-scheme"
        /// A scheme that is not a URL scheme (letters, digits, `+`, `-`, `.`, starting with a letter).
        case originInvalidScheme = "origin-invalid-scheme"
        /// An origin with uppercase letters; browsers send scheme and host in lowercase.
        case originUppercase = "origin-uppercase"
        /// An origin ending in `/`.
        case originTrailingSlash = "origin-trailing-slash"
        /// An origin with a path.
        case originPath = "origin-path"
        /// An origin with a query (`?…`).
        case originQuery = "origin-query"
        /// An origin with a fragment (`#…`).
        case originFragment = "origin-fragment"
        /// An origin with `user:password@`.
        case originUserinfo = "origin-userinfo"
        /// An origin with its scheme's default port, which browsers never send.
        case originDefaultPort = "origin-default-port"
        /// A port that is not a number from 1 to 65535.
        case originInvalidPort = "origin-invalid-port"
        /// A host that is not a valid DNS name or IP literal, or is not in its ASCII form.
        case originInvalidHost = "origin-invalid-host"
        /// A scheme whose pages have an opaque (`null`) origin, such as `file`.
        case originOpaqueScheme = "origin-opaque-scheme"
        /// The same origin or pattern listed twice.
        case duplicateOrigin = "duplicate-origin"
        /// A plain-`http` origin that is not loopback, together with credentials.
        case insecureOriginWithCredentials = "insecure-origin-with-credentials"
        // Patterns
        /// A pattern that is not of the form `scheme://*.domain[:port]` or `scheme://host:*`.
        case patternInvalid = "pattern-invalid"
        /// A pattern whose wildcard covers a whole public suffix (`*.com`, `*.co.uk`, `*.github.io`).
        case patternTooBroad = "pattern-too-broad"
        // Methods
        /// A method that is not an HTTP token.
        case invalidMethod = "invalid-method"
        /// CONNECT, TRACE or TRACK, which browsers never send.
        case forbiddenMethod = "forbidden-method"
        /// A lowercase spelling of a method that browsers always send in uppercase.
        case methodCase = "method-case"
        /// `*` in `allowMethods` together with credentials: the browser reads it as a method named `*`.
        case methodsWildcardWithCredentials = "methods-wildcard-with-credentials"
        // Request headers
        /// A header name that is not an HTTP token.
        case invalidHeaderName = "invalid-header-name"
        /// A request header that pages can never set (Cookie, Host, Origin, `Sec-*`, `Proxy-*`, …).
        case forbiddenHeaderName = "forbidden-header-name"
        /// `*` in `allowHeaders` together with credentials: the browser reads it as a header named `*`.
        case headersWildcardWithCredentials = "headers-wildcard-with-credentials"
        /// The same header or method listed twice.
        case duplicateName = "duplicate-name"
        // Response headers
        /// `Set-Cookie` in `exposeHeaders`: browsers never let scripts read it.
        case exposeSetCookie = "expose-set-cookie"
        /// `*` in `exposeHeaders` together with credentials: the browser reads it as a header named `*`.
        case exposeWildcardWithCredentials = "expose-wildcard-with-credentials"
        /// A response header that scripts can read anyway (Content-Type, Cache-Control, …).
        case exposeSafelistedHeader = "expose-safelisted-header"
        // Preflight
        /// `maxAge` below 0 or above 86400.
        case maxAgeOutOfRange = "max-age-out-of-range"
        /// `maxAge` above Chromium's 7200-second cap.
        case maxAgeAboveBrowserCap = "max-age-above-browser-cap"
        /// A preflight status other than 200 or 204.
        case invalidPreflightStatus = "invalid-preflight-status"
        /// `allowPrivateNetwork`: Private Network Access never shipped beyond warnings and is on hold.
        case privateNetworkAccessDeprecated = "private-network-access-deprecated"
        // Files (used by policy loaders)
        /// A key the policy does not know: a typo must never silently change what is allowed.
        case unknownKey = "unknown-key"
        /// A value of the wrong JSON type.
        case invalidValue = "invalid-value"
    }

    /// The stable rule identifier.
    public var code: Code
    /// Whether the policy is refused (``Severity/error``) or merely suspicious.
    public var severity: Severity
    /// The setting concerned, as a key path: `allowOrigins[1]`, `maxAge`.
    public var path: String
    /// What is wrong, in a sentence.
    public var message: String
    /// What to write instead.
    public var fix: String

    /// Creates a problem. Validators and loaders use this; applications rarely need to.
    public init(code: Code, severity: Severity, path: String, message: String, fix: String) {
        self.code = code
        self.severity = severity
        self.path = path
        self.message = message
        self.fix = fix
    }

    /// `error[wildcard-with-credentials] allowOrigins[0]: … Fix: …`
    public var description: String {
        "\(severity.rawValue)[\(code.rawValue)] \(path): \(message) Fix: \(fix)"
    }
}
