/// A validated, immutable CORS policy: which origins may read responses, with or without
/// credentials, and what their preflights may ask for.
///
/// A policy that would be impossible or dangerous is refused at construction, with every
/// problem listed and its fix:
///
/// ```swift
/// let policy = try CORSPolicy(
///     allowOrigins: ["https://app.example.com", "http://localhost:5173"],
///     allowCredentials: true,
///     allowMethods: ["GET", "POST", "PUT", "DELETE"],
///     allowHeaders: ["Authorization", "Content-Type"],
///     exposeHeaders: ["X-Request-Id"],
///     maxAge: 600
/// )
/// ```
///
/// The JSON form uses the same keys (see ``CodingKeys``); decoding validates too, and refuses
/// unknown keys so that a typo never silently changes what is allowed.
public struct CORSPolicy: Sendable, Hashable {
    // Hashable compares the settings, and only whether an origin predicate is set: closures
    // have no identity.
    /// Exact serialized origins (`https://app.example.com`, `http://localhost:5173`), or `*` for
    /// any origin (only without credentials).
    public let allowOrigins: [String]
    /// Structured patterns: `https://*.example.com` (one or more subdomain labels; the bare
    /// domain only if listed in ``allowOrigins``) and `http://localhost:*` (any port).
    public let allowOriginPatterns: [String]
    /// Whether requests with cookies or HTTP authentication may read responses
    /// (`Access-Control-Allow-Credentials: true`).
    public let allowCredentials: Bool
    /// Methods a preflight may ask for, case-sensitive as browsers compare them. GET, HEAD and
    /// POST need no listing. `*` allows any method, only without credentials.
    public let allowMethods: [String]
    /// Request headers a preflight may ask for, case-insensitive. `*` allows any name except
    /// `Authorization` (which must be listed), only without credentials.
    public let allowHeaders: [String]
    /// Response headers that scripts may read beyond the safelisted ones. `*` exposes all,
    /// only without credentials.
    public let exposeHeaders: [String]
    /// How long, in seconds, a browser may cache a preflight result; `nil` sends no
    /// `Access-Control-Max-Age` (browsers then use 5 seconds). Chromium caps it at 7200.
    public let maxAge: Int?
    /// Whether to answer Chromium's legacy Private Network Access preflights with
    /// `Access-Control-Allow-Private-Network: true`. PNA is on hold and was never enforced.
    public let allowPrivateNetwork: Bool
    /// The status of a successful preflight response: 204 (default) or 200.
    public let preflightStatus: Int
    /// Allows the origin `null`. Sandboxed iframes and `data:` documents of *any* site send it,
    /// so trusting it trusts everybody; hence the name.
    public let dangerouslyAllowNullOrigin: Bool
    /// Allows plain-`http` non-loopback origins together with credentials, which a network
    /// attacker can impersonate.
    public let dangerouslyAllowInsecureOriginsWithCredentials: Bool
    /// Decides origins that neither ``allowOrigins`` nor ``allowOriginPatterns`` trusts, such
    /// as tenants kept in a database. Not part of the JSON form.
    public let originPredicate: CORSOriginPredicate?

    /// Problems that do not prevent the policy from working but probably deserve attention,
    /// such as a `maxAge` above Chromium's cap or `*` origins.
    public private(set) var warnings: [CORSPolicyProblem] = []

    /// Validates and creates a policy.
    ///
    /// - Throws: ``CORSPolicyError`` listing every error and warning when any rule is broken.
    public init(
        allowOrigins: [String] = [],
        allowOriginPatterns: [String] = [],
        allowCredentials: Bool = false,
        allowMethods: [String] = [],
        allowHeaders: [String] = [],
        exposeHeaders: [String] = [],
        maxAge: Int? = nil,
        allowPrivateNetwork: Bool = false,
        preflightStatus: Int = 204,
        dangerouslyAllowNullOrigin: Bool = false,
        dangerouslyAllowInsecureOriginsWithCredentials: Bool = false,
        originPredicate: CORSOriginPredicate? = nil
    ) throws(CORSPolicyError) {
        self.allowOrigins = allowOrigins
        self.allowOriginPatterns = allowOriginPatterns
        self.allowCredentials = allowCredentials
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
        self.allowPrivateNetwork = allowPrivateNetwork
        self.preflightStatus = preflightStatus
        self.dangerouslyAllowNullOrigin = dangerouslyAllowNullOrigin
        self.dangerouslyAllowInsecureOriginsWithCredentials =
            dangerouslyAllowInsecureOriginsWithCredentials
        self.originPredicate = originPredicate
        let problems = PolicyValidator.problems(in: self)
        if problems.contains(where: { $0.severity == .error }) {
            throw CORSPolicyError(problems: problems)
        }
        self.warnings = problems
    }

    /// Validates a policy without throwing: every error and warning, in the order of the keys.
    /// An empty result means the policy is clean.
    public static func problems(
        allowOrigins: [String] = [],
        allowOriginPatterns: [String] = [],
        allowCredentials: Bool = false,
        allowMethods: [String] = [],
        allowHeaders: [String] = [],
        exposeHeaders: [String] = [],
        maxAge: Int? = nil,
        allowPrivateNetwork: Bool = false,
        preflightStatus: Int = 204,
        dangerouslyAllowNullOrigin: Bool = false,
        dangerouslyAllowInsecureOriginsWithCredentials: Bool = false
    ) -> [CORSPolicyProblem] {
        do {
            let policy = try CORSPolicy(
                allowOrigins: allowOrigins, allowOriginPatterns: allowOriginPatterns,
                allowCredentials: allowCredentials, allowMethods: allowMethods,
                allowHeaders: allowHeaders, exposeHeaders: exposeHeaders, maxAge: maxAge,
                allowPrivateNetwork: allowPrivateNetwork, preflightStatus: preflightStatus,
                dangerouslyAllowNullOrigin: dangerouslyAllowNullOrigin,
                dangerouslyAllowInsecureOriginsWithCredentials:
                    dangerouslyAllowInsecureOriginsWithCredentials)
            return policy.warnings
        } catch {
            return error.problems
        }
    }
}

extension CORSPolicy {
    /// Equal when every setting is equal and both have, or both lack, an origin predicate.
    public static func == (lhs: CORSPolicy, rhs: CORSPolicy) -> Bool {
        lhs.allowOrigins == rhs.allowOrigins && lhs.allowOriginPatterns == rhs.allowOriginPatterns
            && lhs.allowCredentials == rhs.allowCredentials && lhs.allowMethods == rhs.allowMethods
            && lhs.allowHeaders == rhs.allowHeaders && lhs.exposeHeaders == rhs.exposeHeaders
            && lhs.maxAge == rhs.maxAge && lhs.allowPrivateNetwork == rhs.allowPrivateNetwork
            && lhs.preflightStatus == rhs.preflightStatus
            && lhs.dangerouslyAllowNullOrigin == rhs.dangerouslyAllowNullOrigin
            && lhs.dangerouslyAllowInsecureOriginsWithCredentials
                == rhs.dangerouslyAllowInsecureOriginsWithCredentials
            && (lhs.originPredicate == nil) == (rhs.originPredicate == nil)
    }

    /// Hashes the settings consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(allowOrigins)
        hasher.combine(allowOriginPatterns)
        hasher.combine(allowCredentials)
        hasher.combine(allowMethods)
        hasher.combine(allowHeaders)
        hasher.combine(exposeHeaders)
        hasher.combine(maxAge)
        hasher.combine(allowPrivateNetwork)
        hasher.combine(preflightStatus)
        hasher.combine(dangerouslyAllowNullOrigin)
        hasher.combine(dangerouslyAllowInsecureOriginsWithCredentials)
        hasher.combine(originPredicate == nil)
    }
}

extension CORSPolicy {
    /// The policy of the tutorial this project started from: a single-page app on
    /// `https://app.example.com` and its dev server on `http://localhost:5173`, cookies and
    /// `Authorization`, JSON bodies, and the `X-Request-Id` header readable by the page.
    public static var tutorial: CORSPolicy {
        // The literal is valid; a failure here is a bug in the validator, caught by the tests.
        // swiftlint:disable:next force_try
        try! CORSPolicy(
            allowOrigins: ["https://app.example.com", "http://localhost:5173"],
            allowCredentials: true,
            allowMethods: ["GET", "POST", "PUT", "DELETE"],
            allowHeaders: ["Authorization", "Content-Type"],
            exposeHeaders: ["X-Request-Id"],
            maxAge: 600
        )
    }
}
