/// The settings of a ``CORSPolicy`` before validation: what code, a policy file, a profile or
/// the environment says, which may still be wrong.
///
/// This is the one home of the policy's keys. Each setting is a stored property below and an
/// entry of ``keys``; everything else — ``CORSPolicy``'s properties, equality and hashing, the
/// JSON form, the policy-file reader, environment overrides, `cors lint` and the demo's
/// effective-policy document — derives from them. Adding a key means adding it here (the property,
/// its entry in ``keys`` and its argument in the initializer), giving it a rule in the
/// validator, and documenting it.
///
/// ```swift
/// var settings = CORSPolicySettings()
/// settings.allowOrigins = ["https://app.example.com"]
/// settings.allowCredentials = true
/// let policy = try settings.policy()
/// ```
public struct CORSPolicySettings: Sendable, Hashable {
    /// Exact serialized origins (`https://app.example.com`, `http://localhost:5173`), or `*` for
    /// any origin (only without credentials).
    public var allowOrigins: [String] = []
    /// Structured patterns: `https://*.example.com` (one or more subdomain labels; the bare
    /// domain only if listed in ``allowOrigins``) and `http://localhost:*` (any port).
    public var allowOriginPatterns: [String] = []
    /// Whether requests with cookies or HTTP authentication may read responses
    /// (`Access-Control-Allow-Credentials: true`).
    public var allowCredentials = false
    /// Methods a preflight may ask for, case-sensitive as browsers compare them. GET, HEAD and
    /// POST need no listing. `*` allows any method, only without credentials.
    public var allowMethods: [String] = []
    /// Request headers a preflight may ask for, case-insensitive. `*` allows any name except
    /// `Authorization` (which must be listed), only without credentials.
    public var allowHeaders: [String] = []
    /// Response headers that scripts may read beyond the safelisted ones. `*` exposes all,
    /// only without credentials.
    public var exposeHeaders: [String] = []
    /// How long, in seconds, a browser may cache a preflight result; `nil` sends no
    /// `Access-Control-Max-Age` (browsers then use 5 seconds). Chromium caps it at 7200,
    /// WebKit at 600, Firefox at 86400.
    public var maxAge: Int?
    /// Whether to answer Chromium's legacy Private Network Access preflights with
    /// `Access-Control-Allow-Private-Network: true`. PNA is on hold and was never enforced.
    public var allowPrivateNetwork = false
    /// The status of a successful preflight response: 204 (default) or 200.
    public var preflightStatus = 204
    /// Allows the origin `null`. Sandboxed iframes and `data:` documents of *any* site send it,
    /// so trusting it trusts everybody; hence the name.
    public var dangerouslyAllowNullOrigin = false
    /// Allows plain-`http` non-loopback origins together with credentials, which a network
    /// attacker can impersonate.
    public var dangerouslyAllowInsecureOriginsWithCredentials = false

    /// Every key of the policy, in the order of policy files and validation reports.
    public static let keys: [CORSPolicyKey] = [
        .list("allowOrigins", \.allowOrigins),
        .list("allowOriginPatterns", \.allowOriginPatterns),
        .flag("allowCredentials", \.allowCredentials),
        .list("allowMethods", \.allowMethods),
        .list("allowHeaders", \.allowHeaders),
        .list("exposeHeaders", \.exposeHeaders),
        .optionalInteger("maxAge", \.maxAge),
        .flag("allowPrivateNetwork", \.allowPrivateNetwork),
        .integer("preflightStatus", \.preflightStatus),
        .flag("dangerouslyAllowNullOrigin", \.dangerouslyAllowNullOrigin),
        .flag("dangerouslyAllowInsecureOriginsWithCredentials", \.dangerouslyAllowInsecureOriginsWithCredentials),
    ]

    /// Settings at the policy's defaults: nothing allowed.
    public init() {}

    /// Settings with the given values; each argument is the setting of the same name.
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
        dangerouslyAllowInsecureOriginsWithCredentials: Bool = false
    ) {
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
        self.dangerouslyAllowInsecureOriginsWithCredentials = dangerouslyAllowInsecureOriginsWithCredentials
    }

    /// The settings of an existing policy.
    public init(_ policy: CORSPolicy) {
        self = policy.settings
    }

    /// Every error and warning the validator finds, with paths relative to the policy
    /// (`allowOrigins[1]`). Empty when the settings make a clean policy.
    public func problems() -> [CORSPolicyProblem] {
        PolicyValidator.problems(in: self, hasOriginPredicate: false)
    }

    /// The validated policy.
    ///
    /// - Throws: ``CORSPolicyError`` listing every problem when a rule is broken.
    public func policy() throws(CORSPolicyError) -> CORSPolicy {
        try CORSPolicy(self)
    }

    /// The value of `key`.
    public subscript(key: CORSPolicyKey) -> CORSPolicyValue {
        get { key.read(self) }
        set { key.write(&self, newValue) }
    }
}
