import CORS
import CORSConfiguration
import Foundation
import Testing

/// Plain policy files: keys, types, positions, and agreement with the core's own decoding.
@Suite("Policy files")
struct PolicyFileTests {
    static func profile(_ json: String, name: String = "production") throws -> CORSPolicyProfile {
        try CORSPolicyFile(json: json, name: "cors.json").profile(name)
    }

    static func summary(_ findings: [CORSPolicyFinding]) -> [String] {
        findings.map { f in
            "\(f.severity.rawValue) \(f.code.rawValue) \(f.path)" + (f.position.map { " @\($0.line):\($0.column)" } ?? "")
        }
    }

    @Test func validFileGivesTheSamePolicyAsTheCoresDecoder() throws {
        let json = """
            {
              "allowOrigins": ["https://app.example.com"],
              "allowOriginPatterns": ["https://*.example.com"],
              "allowCredentials": true,
              "allowMethods": ["GET", "POST", "PUT", "DELETE"],
              "allowHeaders": ["Authorization", "Content-Type"],
              "exposeHeaders": ["X-Request-Id"],
              "maxAge": 600,
              "allowPrivateNetwork": false,
              "preflightStatus": 200
            }
            """
        let profile = try Self.profile(json)
        #expect(profile.findings == [])
        let policy = try profile.policy()
        #expect(policy == (try JSONDecoder().decode(CORSPolicy.self, from: Data(json.utf8))))
        #expect(policy.preflightStatus == 200)
        #expect(policy.allowOriginPatterns == ["https://*.example.com"])
    }

    @Test func unknownKeyNamesThePathThePositionAndTheClosestKey() throws {
        let profile = try Self.profile("""
            {
              "allowOrigins": ["https://app.example.com"],
              "allowCredential": true
            }
            """)
        #expect(
            profile.findings == [
                CORSPolicyFinding(
                    severity: .error, code: CORSPolicyFinding.Code(.unknownKey), path: "allowCredential",
                    message: "\"allowCredential\" is not a policy setting; ignoring it could silently allow nothing or everything.",
                    fix: "did you mean \"allowCredentials\"?", position: CORSSourcePosition(line: 3, column: 3))
            ])
        #expect(throws: CORSConfigurationError.self) { try profile.policy() }
    }

    @Test func unknownKeyCloseToSetsCookiesSuggestsIt() throws {
        let findings = try Self.profile(#"{"allowOrigins": ["https://app.example.com"], "setCookies": true}"#).findings
        #expect(findings.map(\.fix) == ["did you mean \"setsCookies\"?"])
    }

    @Test func unknownKeyFarFromEverythingListsTheKnownKeys() throws {
        let findings = try Self.profile(#"{"allowOrigins": ["https://app.example.com"], "banana": 1}"#).findings
        #expect(findings.map(\.code) == [CORSPolicyFinding.Code(.unknownKey)])
        #expect(findings.first?.fix.hasPrefix("remove it; the known keys are allowOrigins, allowOriginPatterns,") == true)
    }

    @Test func wrongTypesAreReportedAtTheirKeyPath() throws {
        let profile = try Self.profile("""
            {
              "allowOrigins": ["https://app.example.com", 5, "https://b.example.com/"],
              "allowCredentials": "true",
              "allowMethods": "GET, POST",
              "maxAge": "600"
            }
            """)
        #expect(
            Self.summary(profile.findings) == [
                "error invalid-value allowOrigins[1] @2:47",
                "error origin-trailing-slash allowOrigins[2] @2:50",
                "error invalid-value allowCredentials @3:23",
                "error invalid-value allowMethods @4:19",
                "error invalid-value maxAge @5:13",
            ])
        let fixes = profile.findings.map(\.fix)
        #expect(fixes[0] == "write it as a string, \"5\", or remove it.")
        #expect(fixes[2] == "write true without quotes.")
        #expect(fixes[3] == "write an array, even for one entry: [\"GET, POST\"], one entry per string.")
        #expect(fixes[4] == "write 600 without quotes.")
        #expect(profile.findings[3].message == "expected an array of strings, found a string (\"GET, POST\").")
    }

    @Test func aWrongTypeForTheOriginsDoesNotAlsoReportNoOrigins() throws {
        let findings = try Self.profile(#"{"allowOrigins": "https://app.example.com"}"#).findings
        #expect(Self.summary(findings) == ["error invalid-value allowOrigins @1:18"])
        #expect(findings.first?.fix == "write an array, even for one entry: [\"https://app.example.com\"].")
    }

    @Test func fractionalAndNullValues() throws {
        let findings = try Self.profile(#"{"allowOrigins": ["https://app.example.com"], "maxAge": 1.5, "allowMethods": null}"#)
            .findings
        #expect(Self.summary(findings) == ["error invalid-value maxAge @1:57", "error invalid-value allowMethods @1:78"])
        #expect(findings[0].message == "1.5 is not a whole number that maxAge can hold.")
        #expect(findings[1].fix == "remove the key to use the default, or write an array of strings.")
    }

    @Test func duplicateKeysAreErrors() throws {
        let findings = try Self.profile("""
            {"allowOrigins": ["https://a.example.com"],
             "allowOrigins": ["https://b.example.com"]}
            """).findings
        #expect(Self.summary(findings) == ["error duplicate-key allowOrigins @2:2"])
        #expect(
            findings.first?.message
                == "\"allowOrigins\" is written twice in this object (first at line 1, column 2); JSON readers silently keep only one of them.")
    }

    @Test func coreProblemsArePlacedAtTheirElement() throws {
        let findings = try Self.profile("""
            {
              "allowOrigins": [
                "*"
              ],
              "allowCredentials": true
            }
            """).findings
        #expect(Self.summary(findings) == ["error wildcard-with-credentials allowOrigins[0] @3:5"])
    }

    @Test func missingKeysAreReportedWithoutAPosition() throws {
        let findings = try Self.profile(#"{"allowMethods": ["GET"]}"#).findings
        #expect(Self.summary(findings) == ["error no-origins allowOrigins"])
    }

    @Test func aPlainFileIsCheckedAsTheChosenProfile() throws {
        let json = #"{"allowOrigins": ["https://app.example.com", "http://localhost:5173"]}"#
        #expect(Self.summary(try Self.profile(json).findings) == ["warning production-localhost-origin allowOrigins[1] @1:46"])
        #expect(try Self.profile(json, name: "development").findings == [])
    }

    @Test func errorDescriptionNamesFilePlaceProblemAndFix() throws {
        let profile = try Self.profile(#"{"allowOrigins": ["https://app.example.com/"]}"#)
        let error = try #require(throws: CORSConfigurationError.self) { try profile.policy() }
        #expect(
            error.description == """
                cors.json (profile production) is invalid: 1 error
                  - cors.json:1:19: error[origin-trailing-slash] allowOrigins[0]: "https://app.example.com/" ends with a slash; the Origin header never does, so this entry would match nothing. Fix: remove the trailing slash: did you mean https://app.example.com?
                """)
    }

    @Test func unreadableFilesAreNamed() throws {
        let missing = try #require(throws: CORSConfigurationError.self) {
            try CORSPolicyFile(contentsOfFile: "/nonexistent/cors.json")
        }
        #expect(missing == .unreadable(file: "/nonexistent/cors.json", reason: "no such file"))
        #expect(missing.description == "cannot read policy file /nonexistent/cors.json: no such file")
        let directory = try #require(throws: CORSConfigurationError.self) {
            try CORSPolicyFile(contentsOfFile: FileManager.default.temporaryDirectory.path)
        }
        #expect(directory == .unreadable(file: FileManager.default.temporaryDirectory.path, reason: "it is a directory"))
    }

    @Test func aTopLevelThatIsNotAnObjectIsNotAPolicyFile() throws {
        let error = try #require(throws: CORSConfigurationError.self) {
            try CORSPolicyFile(json: #"["https://app.example.com"]"#, name: "cors.json")
        }
        #expect(
            error.description
                == #"cors.json is not a policy file: its top level is an array; a policy file holds a JSON object such as {"allowOrigins": ["https://app.example.com"]}"#)
    }
}
