public import CORS

/// The settings of a ``CORS/CORSPolicy`` before validation: what a policy file, a profile or
/// the environment says, which may still be wrong.
///
/// Loaders fill it in layer by layer (file, then overrides), then validate it once with the
/// core's own rules through ``problems()`` or ``policy()`` — one source of truth.
public struct CORSPolicySettings: Sendable, Hashable {
    /// See ``CORS/CORSPolicy/allowOrigins``.
    public var allowOrigins: [String] = []
    /// See ``CORS/CORSPolicy/allowOriginPatterns``.
    public var allowOriginPatterns: [String] = []
    /// See ``CORS/CORSPolicy/allowCredentials``.
    public var allowCredentials = false
    /// See ``CORS/CORSPolicy/allowMethods``.
    public var allowMethods: [String] = []
    /// See ``CORS/CORSPolicy/allowHeaders``.
    public var allowHeaders: [String] = []
    /// See ``CORS/CORSPolicy/exposeHeaders``.
    public var exposeHeaders: [String] = []
    /// See ``CORS/CORSPolicy/maxAge``.
    public var maxAge: Int?
    /// See ``CORS/CORSPolicy/allowPrivateNetwork``.
    public var allowPrivateNetwork = false
    /// See ``CORS/CORSPolicy/preflightStatus``.
    public var preflightStatus = 204
    /// See ``CORS/CORSPolicy/dangerouslyAllowNullOrigin``.
    public var dangerouslyAllowNullOrigin = false
    /// See ``CORS/CORSPolicy/dangerouslyAllowInsecureOriginsWithCredentials``.
    public var dangerouslyAllowInsecureOriginsWithCredentials = false

    /// Settings at the policy's defaults: nothing allowed.
    public init() {}

    /// The settings of an existing policy.
    public init(_ policy: CORSPolicy) {
        allowOrigins = policy.allowOrigins
        allowOriginPatterns = policy.allowOriginPatterns
        allowCredentials = policy.allowCredentials
        allowMethods = policy.allowMethods
        allowHeaders = policy.allowHeaders
        exposeHeaders = policy.exposeHeaders
        maxAge = policy.maxAge
        allowPrivateNetwork = policy.allowPrivateNetwork
        preflightStatus = policy.preflightStatus
        dangerouslyAllowNullOrigin = policy.dangerouslyAllowNullOrigin
        dangerouslyAllowInsecureOriginsWithCredentials = policy.dangerouslyAllowInsecureOriginsWithCredentials
    }

    /// Every error and warning the core validator finds, with paths relative to the policy
    /// (`allowOrigins[1]`). Empty when the settings make a clean policy.
    public func problems() -> [CORSPolicyProblem] {
        CORSPolicy.problems(
            allowOrigins: allowOrigins, allowOriginPatterns: allowOriginPatterns,
            allowCredentials: allowCredentials, allowMethods: allowMethods, allowHeaders: allowHeaders,
            exposeHeaders: exposeHeaders, maxAge: maxAge, allowPrivateNetwork: allowPrivateNetwork,
            preflightStatus: preflightStatus, dangerouslyAllowNullOrigin: dangerouslyAllowNullOrigin,
            dangerouslyAllowInsecureOriginsWithCredentials: dangerouslyAllowInsecureOriginsWithCredentials)
    }

    /// The validated policy.
    ///
    /// - Throws: ``CORS/CORSPolicyError`` listing every problem when the core refuses it.
    public func policy() throws(CORSPolicyError) -> CORSPolicy {
        try CORSPolicy(
            allowOrigins: allowOrigins, allowOriginPatterns: allowOriginPatterns,
            allowCredentials: allowCredentials, allowMethods: allowMethods, allowHeaders: allowHeaders,
            exposeHeaders: exposeHeaders, maxAge: maxAge, allowPrivateNetwork: allowPrivateNetwork,
            preflightStatus: preflightStatus, dangerouslyAllowNullOrigin: dangerouslyAllowNullOrigin,
            dangerouslyAllowInsecureOriginsWithCredentials: dangerouslyAllowInsecureOriginsWithCredentials)
    }
}
