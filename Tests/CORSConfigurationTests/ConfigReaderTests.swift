import CORS
import CORSConfiguration
import Configuration
import Foundation
import Testing

/// Environment overrides and `CORSPolicy(config:)` through swift-configuration.
@Suite("Configuration and environment overrides")
struct ConfigReaderTests {
    static func environment(_ variables: [String: String]) -> ConfigReader {
        ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: variables))
    }

    static func summary(_ findings: [CORSPolicyFinding]) -> [String] {
        findings.map { "\($0.severity.rawValue) \($0.code.rawValue) \($0.path)" }
    }

    /// A policy file in a fresh temporary directory.
    static func temporaryFile(_ json: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("cors.json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    @Test func everyEnvironmentVariable() throws {
        let policy = try CORSPolicy(
            config: Self.environment([
                "CORS_ALLOW_ORIGINS": "https://a.example.com, https://b.example.com",
                "CORS_ALLOW_ORIGIN_PATTERNS": "https://*.example.org",
                "CORS_ALLOW_CREDENTIALS": "true",
                "CORS_ALLOW_METHODS": "GET,PUT",
                "CORS_ALLOW_HEADERS": "Authorization,Content-Type",
                "CORS_EXPOSE_HEADERS": "X-Request-Id",
                "CORS_MAX_AGE": "600",
                "CORS_ALLOW_PRIVATE_NETWORK": "1",
                "CORS_PREFLIGHT_STATUS": "200",
            ]))
        #expect(policy.allowOrigins == ["https://a.example.com", "https://b.example.com"])
        #expect(policy.allowOriginPatterns == ["https://*.example.org"])
        #expect(policy.allowCredentials)
        #expect(policy.allowMethods == ["GET", "PUT"])
        #expect(policy.allowHeaders == ["Authorization", "Content-Type"])
        #expect(policy.exposeHeaders == ["X-Request-Id"])
        #expect(policy.maxAge == 600)
        #expect(policy.allowPrivateNetwork)
        #expect(policy.preflightStatus == 200)
    }

    @Test func environmentOverridesTheFileKeyByKey() throws {
        let path = try Self.temporaryFile("""
            {"profiles": {
              "production": {"allowOrigins": ["https://app.example.com"], "allowCredentials": true, "maxAge": 600},
              "development": {"allowOrigins": ["http://localhost:5173"]}
            }}
            """)
        let policy = try CORSPolicy(
            config: Self.environment([
                "CORS_POLICY_FILE": path, "CORS_ALLOW_ORIGINS": "https://app.example.com,https://admin.example.com",
            ]))
        #expect(policy.allowOrigins == ["https://app.example.com", "https://admin.example.com"])
        #expect(policy.allowCredentials)
        #expect(policy.maxAge == 600)

        let development = try CORSPolicy(config: Self.environment(["CORS_POLICY_FILE": path, "CORS_PROFILE": "development"]))
        #expect(development.allowOrigins == ["http://localhost:5173"])
        let explicit = try CORSPolicy(
            config: Self.environment(["CORS_PROFILE": "production"]), file: path, profile: "development")
        #expect(explicit.allowOrigins == ["http://localhost:5173"])
    }

    @Test func findingsAboutOverridesNameTheConfigurationKey() throws {
        let path = try Self.temporaryFile(#"{"allowOrigins": ["https://app.example.com"], "allowCredentials": true}"#)
        let profile = try CORSPolicyProfile.load(
            config: Self.environment(["CORS_ALLOW_ORIGINS": "https://app.example.com,*"]), file: path)
        #expect(
            Self.summary(profile.findings) == [
                "error wildcard-with-credentials cors.allowOrigins[1]",
                "warning wildcard-mixed-with-origins cors.allowOrigins[1]",
            ])
        #expect(profile.findings.first?.position == nil)
        let error = try #require(throws: CORSConfigurationError.self) {
            try CORSPolicy(config: Self.environment(["CORS_ALLOW_ORIGINS": "https://app.example.com,*"]), file: path)
        }
        #expect(error.findings.map(\.code) == [.init(.wildcardWithCredentials), .init(.wildcardMixedWithOrigins)])
    }

    @Test func valuesOfTheWrongTypeAreErrorsNamingTheVariable() throws {
        let profile = try CORSPolicyProfile.load(
            config: Self.environment([
                "CORS_ALLOW_ORIGINS": "https://app.example.com", "CORS_MAX_AGE": "ten minutes",
                "CORS_ALLOW_CREDENTIALS": "maybe",
            ]))
        #expect(
            profile.findings == [
                CORSPolicyFinding(
                    severity: .error, code: CORSPolicyFinding.Code(.invalidValue), path: "cors.allowCredentials",
                    message: "cors.allowCredentials (environment variable CORS_ALLOW_CREDENTIALS) is \"maybe\", which is not true or false.",
                    fix: "set CORS_ALLOW_CREDENTIALS=true or CORS_ALLOW_CREDENTIALS=false."),
                CORSPolicyFinding(
                    severity: .error, code: CORSPolicyFinding.Code(.invalidValue), path: "cors.maxAge",
                    message: "cors.maxAge (environment variable CORS_MAX_AGE) is \"ten minutes\", which is not a whole number.",
                    fix: "set CORS_MAX_AGE to a whole number, e.g. CORS_MAX_AGE=600."),
            ])
    }

    @Test func withoutAFileMissingOriginsAreReportedUnderTheScope() throws {
        let profile = try CORSPolicyProfile.load(config: Self.environment([:]))
        #expect(Self.summary(profile.findings) == ["error no-origins cors.allowOrigins"])
    }

    @Test func emptyListEntriesAreDroppedAndAnEmptyValueClearsTheList() throws {
        let path = try Self.temporaryFile(
            #"{"allowOrigins": ["https://app.example.com"], "allowOriginPatterns": ["https://*.example.com"]}"#)
        let policy = try CORSPolicy(
            config: Self.environment([
                "CORS_ALLOW_ORIGIN_PATTERNS": "", "CORS_ALLOW_METHODS": "GET,,PUT,",
            ]), file: path)
        #expect(policy.allowOriginPatterns == [])
        #expect(policy.allowMethods == ["GET", "PUT"])
    }

    @Test func inMemoryProviderWithTypedValues() throws {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "cors.allowOrigins": .init(.stringArray(["https://app.example.com"]), isSecret: false),
                "cors.allowCredentials": .init(.bool(true), isSecret: false),
                "cors.maxAge": .init(.int(300), isSecret: false),
                "cors.allowHeaders": .init(.string("Authorization, Content-Type"), isSecret: false),
            ]))
        let policy = try CORSPolicy(config: config)
        #expect(policy.allowOrigins == ["https://app.example.com"])
        #expect(policy.allowCredentials)
        #expect(policy.maxAge == 300)
        #expect(policy.allowHeaders == ["Authorization", "Content-Type"])
    }

    @Test func aCustomScopeAndTheProductionRules() throws {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "http.cors.allowOrigins": .init(.stringArray(["*"]), isSecret: false),
                "http.cors.setsCookies": .init(.bool(true), isSecret: false),
            ]))
        let profile = try CORSPolicyProfile.load(config: config, scope: "http.cors")
        #expect(
            Self.summary(profile.findings) == [
                "warning wildcard-origin http.cors.allowOrigins[0]",
                "error production-wildcard-with-cookies http.cors.allowOrigins[0]",
            ])
        let development = try CORSPolicyProfile.load(config: config, scope: "http.cors", profile: "development")
        #expect(Self.summary(development.findings) == ["warning wildcard-origin http.cors.allowOrigins[0]"])
    }

    @Test func applyingOverridesToAProfileMadeInCode() throws {
        var profile = CORSPolicyProfile(
            name: "development", settings: CORSPolicySettings(.tutorial))
        profile.applyOverrides(from: Self.environment(["CORS_MAX_AGE": "60"]))
        #expect(try profile.policy().maxAge == 60)
        #expect(try profile.policy().allowOrigins == CORSPolicy.tutorial.allowOrigins)
    }

    @Test func aBrokenPolicyFileNamedByTheEnvironmentIsReported() throws {
        let path = try Self.temporaryFile("{\"allowOrigins\": [}")
        let error = try #require(throws: CORSConfigurationError.self) {
            try CORSPolicy(config: Self.environment(["CORS_POLICY_FILE": path]))
        }
        #expect(error == .syntax(file: path, position: .init(line: 1, column: 19), message: "unexpected '}'; expected a value (object, array, string, number, true, false or null)"))
    }
}
