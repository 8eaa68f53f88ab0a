public import CORS
public import Configuration

@available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
extension CORSPolicy {
    /// Builds the policy from the `ConfigReader` an application already uses: the policy file
    /// and profile it names (if any), then every CORS setting it has under `scope`.
    ///
    /// ```swift
    /// import Configuration
    /// import CORSConfiguration
    /// import CORSHummingbird
    ///
    /// let config = ConfigReader(providers: [EnvironmentVariablesProvider(), InMemoryProvider(values: defaults)])
    /// let policy = try CORSPolicy(config: config)   // reads cors.* = CORS_* variables
    /// router.add(middleware: CORSPolicyMiddleware(policy: policy))
    /// ```
    ///
    /// With the default scope `cors` and `EnvironmentVariablesProvider`: `CORS_POLICY_FILE`,
    /// `CORS_PROFILE` (default `production`), `CORS_ALLOW_ORIGINS`, `CORS_ALLOW_CREDENTIALS`, …
    /// — see ``CORSPolicyProfile/applyOverrides(from:scope:)`` for every key. Validation is
    /// the core's, plus the file's checks and the stricter production profile.
    ///
    /// - Parameters:
    ///   - config: The application's configuration.
    ///   - scope: The key prefix of the CORS settings; `nil` reads them at the top level.
    ///   - file: A policy file to start from, instead of `<scope>.policyFile`.
    ///   - profile: The profile to use, instead of `<scope>.profile` or `production`.
    /// - Throws: ``CORSConfigurationError`` naming every problem, each with its key path and fix.
    public init(
        config: ConfigReader, scope: String? = "cors", file: String? = nil, profile: String? = nil
    ) throws(CORSConfigurationError) {
        self = try CORSPolicyProfile.load(config: config, scope: scope, file: file, profile: profile).policy()
    }
}
