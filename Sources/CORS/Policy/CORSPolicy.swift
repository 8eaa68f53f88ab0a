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
/// The JSON form uses the keys of ``CORSPolicySettings``; decoding validates too, and refuses
/// unknown keys so that a typo never silently changes what is allowed.
@dynamicMemberLookup
public struct CORSPolicy: Sendable, Hashable {
    /// The validated settings. Each one reads directly on the policy too: `policy.allowOrigins`,
    /// `policy.maxAge` (see ``CORSPolicySettings`` for what each means).
    public let settings: CORSPolicySettings
    /// Decides origins that neither `allowOrigins` nor `allowOriginPatterns` trusts, such as
    /// tenants kept in a database. Not part of the JSON form.
    public let originPredicate: CORSOriginPredicate?

    /// Problems that do not prevent the policy from working but probably deserve attention,
    /// such as a `maxAge` above Chromium's cap or `*` origins.
    public let warnings: [CORSPolicyProblem]

    /// Validates and creates a policy from `settings`.
    ///
    /// - Throws: ``CORSPolicyError`` listing every error and warning when any rule is broken.
    public init(_ settings: CORSPolicySettings, originPredicate: CORSOriginPredicate? = nil) throws(CORSPolicyError) {
        let problems = PolicyValidator.problems(in: settings, hasOriginPredicate: originPredicate != nil)
        if problems.contains(where: { $0.severity == .error }) {
            throw CORSPolicyError(problems: problems)
        }
        self.settings = settings
        self.originPredicate = originPredicate
        self.warnings = problems
    }

    /// Validates and creates a policy; each argument is the setting of the same name in
    /// ``CORSPolicySettings``.
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
        let settings = CORSPolicySettings(
            allowOrigins: allowOrigins, allowOriginPatterns: allowOriginPatterns, allowCredentials: allowCredentials,
            allowMethods: allowMethods, allowHeaders: allowHeaders, exposeHeaders: exposeHeaders, maxAge: maxAge,
            allowPrivateNetwork: allowPrivateNetwork, preflightStatus: preflightStatus,
            dangerouslyAllowNullOrigin: dangerouslyAllowNullOrigin,
            dangerouslyAllowInsecureOriginsWithCredentials: dangerouslyAllowInsecureOriginsWithCredentials)
        try self.init(settings, originPredicate: originPredicate)
    }

    /// A setting of the policy: `policy.allowOrigins`.
    public subscript<Value>(dynamicMember keyPath: KeyPath<CORSPolicySettings, Value>) -> Value {
        settings[keyPath: keyPath]
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
        CORSPolicySettings(
            allowOrigins: allowOrigins, allowOriginPatterns: allowOriginPatterns, allowCredentials: allowCredentials,
            allowMethods: allowMethods, allowHeaders: allowHeaders, exposeHeaders: exposeHeaders, maxAge: maxAge,
            allowPrivateNetwork: allowPrivateNetwork, preflightStatus: preflightStatus,
            dangerouslyAllowNullOrigin: dangerouslyAllowNullOrigin,
            dangerouslyAllowInsecureOriginsWithCredentials: dangerouslyAllowInsecureOriginsWithCredentials
        ).problems()
    }
}

extension CORSPolicy {
    /// Equal when every setting is equal and both have, or both lack, an origin predicate
    /// (closures have no identity).
    public static func == (lhs: CORSPolicy, rhs: CORSPolicy) -> Bool {
        lhs.settings == rhs.settings && (lhs.originPredicate == nil) == (rhs.originPredicate == nil)
    }

    /// Hashes the settings consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(settings)
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
