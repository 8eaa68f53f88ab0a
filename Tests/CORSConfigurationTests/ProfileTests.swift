import CORS
import CORSConfiguration
import Testing

/// Profiles files, profile selection, and the stricter production profile.
@Suite("Profiles")
struct ProfileTests {
    static let file = """
        {
          "setsCookies": true,
          "profiles": {
            "development": {
              "allowOrigins": ["http://localhost:5173"],
              "allowCredentials": true
            },
            "production": {
              "allowOrigins": ["https://app.example.com"],
              "allowCredentials": true,
              "maxAge": 600
            },
            "staging": {
              "allowOrigins": ["*"]
            }
          }
        }
        """

    static func policyFile(_ json: String = file) throws -> CORSPolicyFile {
        try CORSPolicyFile(json: json, name: "cors.json")
    }

    static func summary(_ findings: [CORSPolicyFinding]) -> [String] {
        findings.map { "\($0.severity.rawValue) \($0.code.rawValue) \($0.path)" }
    }

    @Test func profileNamesAreListedInOrder() throws {
        #expect(try Self.policyFile().profileNames == ["development", "production", "staging"])
        #expect(try Self.policyFile(#"{"allowOrigins": ["https://a.example.com"]}"#).profileNames == nil)
    }

    @Test func eachProfileIsItsOwnPolicy() throws {
        let file = try Self.policyFile()
        let development = try file.policy(profile: "development")
        #expect(development.allowOrigins == ["http://localhost:5173"])
        let production = try file.policy(profile: "production")
        #expect(production.allowOrigins == ["https://app.example.com"])
        #expect(production.maxAge == 600)
    }

    @Test func productionIsTheDefault() throws {
        #expect(CORSPolicyFile.selectedProfileName(nil, environment: [:]) == "production")
        #expect(try Self.policyFile().profile(CORSPolicyFile.selectedProfileName(nil, environment: [:])).name == "production")
    }

    @Test func corsProfileSelectsTheProfileUnlessOneIsGiven() throws {
        #expect(CORSPolicyFile.selectedProfileName(nil, environment: ["CORS_PROFILE": "development"]) == "development")
        #expect(CORSPolicyFile.selectedProfileName("staging", environment: ["CORS_PROFILE": "development"]) == "staging")
        #expect(CORSPolicyFile.selectedProfileName(nil, environment: ["CORS_PROFILE": ""]) == "production")
    }

    @Test func missingProfileIsAnErrorListingTheOthers() throws {
        let error = try #require(throws: CORSConfigurationError.self) { try Self.policyFile().profile("qa") }
        #expect(error == .profileNotFound(file: "cors.json", profile: "qa", available: ["development", "production", "staging"]))
        #expect(
            error.description
                == #"cors.json has no profile "qa" under "profiles" (it has development, production, staging); choose one with --profile or CORS_PROFILE"#)
    }

    @Test func findingsInAProfileArePrefixedWithItsPath() throws {
        let json = #"{"profiles": {"production": {"allowOrigins": ["https://app.example.com/"]}, "my profile": {}}}"#
        let findings = try Self.policyFile(json).profile("production").findings
        #expect(Self.summary(findings) == ["error origin-trailing-slash profiles.production.allowOrigins[0]"])
        let odd = try Self.policyFile(json).profile("my profile").findings
        #expect(Self.summary(odd) == [#"error no-origins profiles["my profile"].allowOrigins"#])
    }

    @Test func productionWarnsAboutDevelopmentAndPlainHTTPOrigins() throws {
        let json = """
            {"profiles": {"production": {
              "allowOrigins": ["https://app.example.com", "http://localhost:5173", "http://127.0.0.1:8080", "http://[::1]:3000", "http://admin.example.com"],
              "allowOriginPatterns": ["http://localhost:*", "https://*.localhost"]
            }}}
            """
        let findings = try Self.policyFile(json).profile("production").findings
        #expect(
            Self.summary(findings) == [
                "warning production-localhost-origin profiles.production.allowOrigins[1]",
                "warning production-localhost-origin profiles.production.allowOrigins[2]",
                "warning production-localhost-origin profiles.production.allowOrigins[3]",
                "warning production-insecure-origin profiles.production.allowOrigins[4]",
                "warning production-localhost-origin profiles.production.allowOriginPatterns[0]",
                "warning production-localhost-origin profiles.production.allowOriginPatterns[1]",
            ])
        #expect(findings[3].fix == "serve that frontend over https and write \"https://admin.example.com\".")
        #expect(try Self.policyFile(json.replacingOccurrences(of: "production", with: "development")).profile("development").findings == [])
    }

    @Test func wildcardOnAnAPIThatSetsCookiesIsAnErrorInProduction() throws {
        let json = #"{"setsCookies": true, "profiles": {"production": {"allowOrigins": ["*"]}, "staging": {"allowOrigins": ["*"]}}}"#
        let production = try Self.policyFile(json).profile("production")
        #expect(production.setsCookies)
        #expect(
            Self.summary(production.findings) == [
                "warning wildcard-origin profiles.production.allowOrigins[0]",
                "error production-wildcard-with-cookies profiles.production.allowOrigins[0]",
            ])
        #expect(throws: CORSConfigurationError.self) { try production.policy() }
        // Other profiles are not held to the production rules.
        #expect(Self.summary(try Self.policyFile(json).profile("staging").findings) == ["warning wildcard-origin profiles.staging.allowOrigins[0]"])
    }

    @Test func aProfileCanOverrideSetsCookies() throws {
        let json = #"{"setsCookies": true, "profiles": {"production": {"setsCookies": false, "allowOrigins": ["*"]}}}"#
        let production = try Self.policyFile(json).profile("production")
        #expect(!production.setsCookies)
        #expect(Self.summary(production.findings) == ["warning wildcard-origin profiles.production.allowOrigins[0]"])
    }

    @Test func wildcardWithCredentialsIsReportedOnceEvenWithSetsCookies() throws {
        let json = #"{"allowOrigins": ["*"], "allowCredentials": true, "setsCookies": true}"#
        #expect(Self.summary(try Self.policyFile(json).profile("production").findings) == ["error wildcard-with-credentials allowOrigins[0]"])
    }

    @Test func policyKeysAtTheTopOfAProfilesFileAreRefused() throws {
        let json = #"{"allowCredentials": true, "profile": {}, "profiles": {"production": {"allowOrigins": ["https://a.example.com"]}}}"#
        let findings = try Self.policyFile(json).profile("production").findings
        #expect(Self.summary(findings) == ["error unknown-key allowCredentials", "error unknown-key profile"])
        #expect(
            findings[0].fix
                == "move it into each profile under \"profiles\"; the top level holds only \"profiles\" and \"setsCookies\".")
        #expect(findings[1].fix == "did you mean \"profiles\"?")
    }

    @Test func aProfileThatIsNotAnObject() throws {
        let findings = try Self.policyFile(#"{"profiles": {"production": ["https://a.example.com"]}}"#).profile().findings
        #expect(Self.summary(findings) == ["error invalid-profile profiles.production"])
    }

    @Test func profilesThatIsNotAnObject() throws {
        let file = try Self.policyFile(#"{"profiles": ["production"]}"#)
        #expect(file.profileNames == [])
        #expect(Self.summary(try file.profile("production").findings) == ["error invalid-value profiles"])
    }

    @Test func duplicateProfilesAreErrors() throws {
        let json = #"{"profiles": {"production": {"allowOrigins": ["https://a.example.com"]}, "production": {"allowOrigins": ["https://b.example.com"]}}}"#
        let profile = try Self.policyFile(json).profile("production")
        #expect(Self.summary(profile.findings) == ["error duplicate-key profiles.production"])
        #expect(profile.settings.allowOrigins == ["https://b.example.com"])
    }
}
