import Foundation
import Testing

@testable import CORS

private func decode(_ json: String) throws -> CORSPolicy {
    try JSONDecoder().decode(CORSPolicy.self, from: Data(json.utf8))
}

/// The policy file example of DESIGN.md, verbatim.
private let designExample = """
    {
      "allowOrigins": ["https://app.example.com", "http://localhost:5173"],
      "allowOriginPatterns": ["https://*.example.com"],
      "allowCredentials": true,
      "allowMethods": ["GET", "POST", "PUT", "DELETE"],
      "allowHeaders": ["Authorization", "Content-Type"],
      "exposeHeaders": ["X-Request-Id"],
      "maxAge": 600,
      "allowPrivateNetwork": false
    }
    """

@Suite("Policy JSON")
struct PolicyCodableTests {
    @Test("the DESIGN.md example decodes to exactly what it says")
    func designExampleDecodes() throws {
        let policy = try decode(designExample)
        #expect(policy.allowOrigins == ["https://app.example.com", "http://localhost:5173"])
        #expect(policy.allowOriginPatterns == ["https://*.example.com"])
        #expect(policy.allowCredentials)
        #expect(policy.allowMethods == ["GET", "POST", "PUT", "DELETE"])
        #expect(policy.allowHeaders == ["Authorization", "Content-Type"])
        #expect(policy.exposeHeaders == ["X-Request-Id"])
        #expect(policy.maxAge == 600)
        #expect(!policy.allowPrivateNetwork)
        #expect(policy.preflightStatus == 204)
        #expect(!policy.dangerouslyAllowNullOrigin)
        #expect(!policy.dangerouslyAllowInsecureOriginsWithCredentials)
        #expect(policy.warnings == [])
        // And it behaves: a subdomain is trusted through the pattern.
        let decision = CORSEngine(policy: policy).decide(actual(origin: "https://api.example.com"))
        #expect(decision.outcome == .actualAllowed)
    }

    @Test("defaults: only allowOrigins is needed")
    func defaults() throws {
        let policy = try decode(#"{"allowOrigins": ["https://app.example.com"]}"#)
        #expect(
            policy
                == (try CORSPolicy(allowOrigins: ["https://app.example.com"])))
        #expect(policy.maxAge == nil)
        #expect(policy.preflightStatus == 204)
    }

    static let roundTripPolicies: [PolicyInput] = [
        PolicyInput(
            allowOrigins: ["https://app.example.com", "http://localhost:5173"], allowCredentials: true,
            allowMethods: ["GET", "POST", "PUT", "DELETE"], allowHeaders: ["Authorization", "Content-Type"],
            exposeHeaders: ["X-Request-Id"], maxAge: 600),
        PolicyInput(
            allowOrigins: ["null", "http://intranet.example.com"], allowOriginPatterns: ["https://*.example.com"],
            allowCredentials: true, allowMethods: ["PATCH"], maxAge: 0, allowPrivateNetwork: true,
            preflightStatus: 200, dangerouslyAllowNullOrigin: true,
            dangerouslyAllowInsecureOriginsWithCredentials: true),
        PolicyInput(allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"], exposeHeaders: ["*"], maxAge: 7201),
    ]

    @Test("encode then decode gives the same policy", arguments: roundTripPolicies)
    func roundTrip(_ input: PolicyInput) throws {
        let policy = try validPolicy(input)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(policy)
        let decoded = try JSONDecoder().decode(CORSPolicy.self, from: data)
        #expect(decoded == policy)
        #expect(decoded.warnings == policy.warnings)
        #expect(try encoder.encode(decoded) == data)
    }

    @Test("the encoding uses the policy file's keys and leaves defaults out")
    func encodedKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(CORSPolicy.tutorial), as: UTF8.self)
        #expect(
            json
                == #"{"allowCredentials":true,"allowHeaders":["Authorization","Content-Type"],"allowMethods":["GET","POST","PUT","DELETE"],"allowOrigins":["https:\/\/app.example.com","http:\/\/localhost:5173"],"allowPrivateNetwork":false,"exposeHeaders":["X-Request-Id"],"maxAge":600}"#
        )
    }

    @Test(
        "unknown keys are refused with unknown-key and the closest key",
        arguments: [
            ("allowOrigin", "did you mean \"allowOrigins\"?"),
            ("AllowOrigins", "did you mean \"allowOrigins\"?"),
            ("allowCredential", "did you mean \"allowCredentials\"?"),
            ("maxage", "did you mean \"maxAge\"?"),
            ("allow_headers", "did you mean \"allowHeaders\"?"),
            ("origins", "remove it; the known keys are allowOrigins, allowOriginPatterns, allowCredentials, allowMethods, allowHeaders, exposeHeaders, maxAge, allowPrivateNetwork, preflightStatus, dangerouslyAllowNullOrigin, dangerouslyAllowInsecureOriginsWithCredentials."),
        ])
    func unknownKey(_ key: String, _ fix: String) throws {
        let json = #"{"allowOrigins": ["https://app.example.com"], "\#(key)": true}"#
        let error = #expect(throws: CORSPolicyError.self) { try decode(json) }
        let problems = try #require(error?.problems)
        #expect(codesAndPaths(problems) == ["unknown-key@\(key)"])
        #expect(problems.first?.severity == .error)
        #expect(problems.first?.fix == fix)
    }

    @Test("a misspelt allowOrigins: unknown-key suggesting allowOrigins, and no-origins")
    func misspeltAllowOrigins() throws {
        let error = #expect(throws: CORSPolicyError.self) {
            try decode(#"{"allowOrigin": ["https://app.example.com"], "allowCredentials": true}"#)
        }
        let problems = try #require(error?.problems)
        #expect(codesAndPaths(problems) == ["unknown-key@allowOrigin", "no-origins@allowOrigins"])
        #expect(problems.first?.fix.contains("allowOrigins") == true)
    }

    @Test("an unknown key next to warnings keeps the warnings in the error")
    func unknownKeyAndWarnings() throws {
        let error = #expect(throws: CORSPolicyError.self) {
            try decode(#"{"allowOrigins": ["*"], "maxAge": 9000, "colour": "blue"}"#)
        }
        #expect(
            codesAndPaths(error?.problems ?? [])
                == ["unknown-key@colour", "wildcard-origin@allowOrigins[0]", "max-age-above-browser-cap@maxAge"])
        #expect(error?.errors.map(\.code) == [.unknownKey])
    }

    @Test("an invalid policy file throws one CORSPolicyError listing every problem")
    func invalidPolicyListsEverything() throws {
        let json = """
            {
              "allowOrigins": ["*", "https://app.example.com/"],
              "allowOriginPatterns": ["https://*.com"],
              "allowCredentials": true,
              "allowMethods": ["GET", "put", "TRACE"],
              "allowHeaders": ["Authorization", "Cookie", "*"],
              "exposeHeaders": ["Set-Cookie"],
              "maxAge": -1,
              "preflightStatus": 302
            }
            """
        let error = #expect(throws: CORSPolicyError.self) { try decode(json) }
        #expect(
            codesAndPaths(error?.problems ?? []) == [
                "wildcard-with-credentials@allowOrigins[0]",
                "wildcard-mixed-with-origins@allowOrigins[0]",
                "origin-trailing-slash@allowOrigins[1]",
                "pattern-too-broad@allowOriginPatterns[0]",
                "method-case@allowMethods[1]",
                "forbidden-method@allowMethods[2]",
                "forbidden-header-name@allowHeaders[1]",
                "headers-wildcard-with-credentials@allowHeaders[2]",
                "expose-set-cookie@exposeHeaders[0]",
                "max-age-out-of-range@maxAge",
                "invalid-preflight-status@preflightStatus",
            ])
    }

    @Test("the tutorial's first pitfall as a file")
    func wildcardWithCredentialsFile() throws {
        let error = #expect(throws: CORSPolicyError.self) {
            try decode(#"{"allowOrigins": ["*"], "allowCredentials": true}"#)
        }
        #expect(codesAndPaths(error?.problems ?? []) == ["wildcard-with-credentials@allowOrigins[0]"])
        #expect(error?.description.contains("error[wildcard-with-credentials] allowOrigins[0]:") == true)
    }

    @Test(
        "wrong JSON types are the decoder's errors",
        arguments: [
            #"{"allowOrigins": "https://app.example.com"}"#,
            #"{"allowOrigins": ["https://app.example.com"], "maxAge": "600"}"#,
            #"{"allowOrigins": ["https://app.example.com"], "allowCredentials": "true"}"#,
            #"["https://app.example.com"]"#,
        ])
    func wrongTypes(_ json: String) {
        #expect(throws: DecodingError.self) { try decode(json) }
    }

    @Test("problems are Codable too, with their stable codes")
    func problemsEncode() throws {
        let problem = PolicyInput(allowOrigins: ["*"], allowCredentials: true).problems()[0]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(problem), as: UTF8.self)
        #expect(json.hasPrefix(#"{"code":"wildcard-with-credentials","fix":"#))
        #expect(json.contains(#""path":"allowOrigins[0]","severity":"error"}"#))
        #expect(try JSONDecoder().decode(CORSPolicyProblem.self, from: Data(json.utf8)) == problem)
    }
}
