import HTTPTypes
import Testing

@testable import CORS

/// One validation rule, triggered on its own: the exact problems expected (code and path, in
/// order), the severity of the rule's problem, and a piece of its fix.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    var code: CORSPolicyProblem.Code
    var severity: CORSPolicyProblem.Severity
    var input: PolicyInput
    /// Every problem the input yields, as `code@path`, in order.
    var expected: [String]
    /// The path of the problem with `code` whose fix is checked.
    var path: String
    var fixContains: String

    var testDescription: String { "\(code.rawValue): \(input.testDescription)" }
}

private let app = "https://app.example.com"

private func origins(_ list: String..., credentials: Bool = false) -> PolicyInput {
    PolicyInput(allowOrigins: list, allowCredentials: credentials)
}

private func with(_ edit: (inout PolicyInput) -> Void) -> PolicyInput {
    var input = PolicyInput(allowOrigins: [app])
    edit(&input)
    return input
}

/// At least one case per code of `CORSPolicyProblem.Code` (but the loaders' `unknown-key` and
/// `invalid-value`); `everyValidatorCodeHasACase` keeps it that way.
let validationCases: [ValidationCase] = [
    // MARK: origins
    .init(
        code: .wildcardWithCredentials, severity: .error, input: origins("*", credentials: true),
        expected: ["wildcard-with-credentials@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "list the exact origins of your frontends"),
    .init(
        code: .wildcardOrigin, severity: .warning, input: origins("*"),
        expected: ["wildcard-origin@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "keep it only for a public API"),
    .init(
        code: .wildcardMixedWithOrigins, severity: .warning, input: origins(app, "*"),
        expected: ["wildcard-origin@allowOrigins[1]", "wildcard-mixed-with-origins@allowOrigins[1]"],
        path: "allowOrigins[1]", fixContains: "remove \"*\""),
    .init(
        code: .noOrigins, severity: .error, input: PolicyInput(allowMethods: ["PUT"]),
        expected: ["no-origins@allowOrigins"], path: "allowOrigins",
        fixContains: "\"allowOrigins\": [\"https://app.example.com\"]"),
    .init(
        code: .nullOrigin, severity: .error, input: origins(app, "null"),
        expected: ["null-origin@allowOrigins[1]"], path: "allowOrigins[1]",
        fixContains: "\"dangerouslyAllowNullOrigin\": true"),
    .init(
        code: .originWhitespace, severity: .error, input: origins(app, " https://app.example.com\t"),
        expected: ["origin-whitespace@allowOrigins[1]"], path: "allowOrigins[1]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originMissingScheme, severity: .error, input: origins("app.example.com"),
        expected: ["origin-missing-scheme@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originMissingScheme, severity: .error, input: origins("localhost:5173"),
        expected: ["origin-missing-scheme@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean http://localhost:5173?"),
    .init(
        code: .originInvalidScheme, severity: .error, input: origins("ht_tp://app.example.com"),
        expected: ["origin-invalid-scheme@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "start with https:// or http://"),
    .init(
        code: .originUppercase, severity: .error, input: origins("https://App.Example.COM"),
        expected: ["origin-uppercase@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originTrailingSlash, severity: .error, input: origins("https://ok.example.com", "https://app.example.com/"),
        expected: ["origin-trailing-slash@allowOrigins[1]"], path: "allowOrigins[1]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originPath, severity: .error, input: origins("https://app.example.com/api/v1"),
        expected: ["origin-path@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originQuery, severity: .error, input: origins("https://app.example.com?tab=1"),
        expected: ["origin-query@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originFragment, severity: .error, input: origins("https://app.example.com#top"),
        expected: ["origin-fragment@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originUserinfo, severity: .error, input: origins("https://user:secret@app.example.com"),
        expected: ["origin-userinfo@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originDefaultPort, severity: .error, input: origins("https://app.example.com:443"),
        expected: ["origin-default-port@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originDefaultPort, severity: .error, input: origins("http://localhost:80"),
        expected: ["origin-default-port@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean http://localhost?"),
    .init(
        code: .originInvalidPort, severity: .error, input: origins("https://app.example.com:99999"),
        expected: ["origin-invalid-port@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "write a valid port"),
    .init(
        code: .originInvalidPort, severity: .error, input: origins("https://app.example.com:http"),
        expected: ["origin-invalid-port@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "write a valid port"),
    .init(
        code: .originInvalidPort, severity: .error, input: origins("https://app.example.com:"),
        expected: ["origin-invalid-port@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "remove the ':' or add the port"),
    .init(
        code: .originInvalidPort, severity: .error, input: origins("https://app.example.com:08443"),
        expected: ["origin-invalid-port@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean https://app.example.com:8443?"),
    .init(
        code: .originInvalidHost, severity: .error, input: origins("https://exämple.com"),
        expected: ["origin-invalid-host@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "xn--"),
    .init(
        code: .originInvalidHost, severity: .error, input: origins("https://app..example.com"),
        expected: ["origin-invalid-host@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "write a domain name"),
    .init(
        code: .originInvalidHost, severity: .error, input: origins("https://app.example.com."),
        expected: ["origin-invalid-host@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "did you mean https://app.example.com?"),
    .init(
        code: .originOpaqueScheme, severity: .error, input: origins("file://"),
        expected: ["origin-opaque-scheme@allowOrigins[0]"], path: "allowOrigins[0]",
        fixContains: "http://localhost"),
    .init(
        code: .originOpaqueScheme, severity: .error, input: origins("file:///home/me/index.html"),
        expected: ["origin-path@allowOrigins[0]", "origin-opaque-scheme@allowOrigins[0]"],
        path: "allowOrigins[0]", fixContains: "serve the page from http://localhost instead"),
    .init(
        code: .duplicateOrigin, severity: .warning, input: origins(app, "https://b.example.com", app),
        expected: ["duplicate-origin@allowOrigins[2]"], path: "allowOrigins[2]",
        fixContains: "remove the duplicate"),
    .init(
        code: .insecureOriginWithCredentials, severity: .error,
        input: origins(app, "http://app.example.com", credentials: true),
        expected: ["insecure-origin-with-credentials@allowOrigins[1]"], path: "allowOrigins[1]",
        fixContains: "write \"https://app.example.com\""),
    .init(
        code: .insecureOriginWithCredentials, severity: .error,
        input: PolicyInput(allowOriginPatterns: ["http://*.example.com"], allowCredentials: true),
        expected: ["insecure-origin-with-credentials@allowOriginPatterns[0]"], path: "allowOriginPatterns[0]",
        fixContains: "https://*.example.com"),
    // MARK: patterns
    .init(
        code: .patternInvalid, severity: .error, input: PolicyInput(allowOriginPatterns: ["https://*example.com"]),
        expected: ["pattern-invalid@allowOriginPatterns[0]"], path: "allowOriginPatterns[0]",
        fixContains: "write https://*.example.com"),
    .init(
        code: .patternInvalid, severity: .error, input: PolicyInput(allowOriginPatterns: ["https://a.*.example.com"]),
        expected: ["pattern-invalid@allowOriginPatterns[0]"], path: "allowOriginPatterns[0]",
        fixContains: "write https://*.a.example.com"),
    .init(
        code: .patternInvalid, severity: .error, input: PolicyInput(allowOriginPatterns: ["https://app.example.com"]),
        expected: ["pattern-invalid@allowOriginPatterns[0]"], path: "allowOriginPatterns[0]",
        fixContains: "put it in allowOrigins"),
    .init(
        code: .patternTooBroad, severity: .error, input: PolicyInput(allowOriginPatterns: ["https://*"]),
        expected: ["pattern-too-broad@allowOriginPatterns[0]"], path: "allowOriginPatterns[0]",
        fixContains: "https://*.example.com"),
    .init(
        code: .patternTooBroad, severity: .error, input: PolicyInput(allowOriginPatterns: ["https://*.com"]),
        expected: ["pattern-too-broad@allowOriginPatterns[0]"], path: "allowOriginPatterns[0]",
        fixContains: "https://*.example.com"),
    .init(
        code: .patternTooBroad, severity: .error,
        input: PolicyInput(allowOrigins: [app], allowOriginPatterns: ["https://*.example.com", "https://*.co.uk"]),
        expected: ["pattern-too-broad@allowOriginPatterns[1]"], path: "allowOriginPatterns[1]",
        fixContains: "https://*.example.co.uk"),
    .init(
        code: .patternTooBroad, severity: .error, input: PolicyInput(allowOriginPatterns: ["https://*.github.io"]),
        expected: ["pattern-too-broad@allowOriginPatterns[0]"], path: "allowOriginPatterns[0]",
        fixContains: "https://*.example.github.io"),
    // MARK: methods
    .init(
        code: .invalidMethod, severity: .error, input: with { $0.allowMethods = ["GET", "PUT, DELETE"] },
        expected: ["invalid-method@allowMethods[1]"], path: "allowMethods[1]", fixContains: "one method per entry"),
    .init(
        code: .forbiddenMethod, severity: .error, input: with { $0.allowMethods = ["CONNECT"] },
        expected: ["forbidden-method@allowMethods[0]"], path: "allowMethods[0]", fixContains: "remove it"),
    .init(
        code: .forbiddenMethod, severity: .error, input: with { $0.allowMethods = ["GET", "TRACE"] },
        expected: ["forbidden-method@allowMethods[1]"], path: "allowMethods[1]", fixContains: "remove it"),
    .init(
        code: .forbiddenMethod, severity: .error, input: with { $0.allowMethods = ["TRACK"] },
        expected: ["forbidden-method@allowMethods[0]"], path: "allowMethods[0]", fixContains: "remove it"),
    .init(
        code: .methodCase, severity: .error, input: with { $0.allowMethods = ["GET", "put"] },
        expected: ["method-case@allowMethods[1]"], path: "allowMethods[1]", fixContains: "write \"PUT\""),
    .init(
        code: .methodCase, severity: .warning, input: with { $0.allowMethods = ["patch"] },
        expected: ["method-case@allowMethods[0]"], path: "allowMethods[0]", fixContains: "write \"PATCH\""),
    .init(
        code: .methodsWildcardWithCredentials, severity: .error,
        input: with {
            $0.allowCredentials = true
            $0.allowMethods = ["*"]
        },
        expected: ["methods-wildcard-with-credentials@allowMethods[0]"], path: "allowMethods[0]",
        fixContains: "[\"GET\", \"POST\", \"PUT\", \"DELETE\"]"),
    // MARK: request headers
    .init(
        code: .invalidHeaderName, severity: .error, input: with { $0.allowHeaders = ["Content-Type", "X Custom"] },
        expected: ["invalid-header-name@allowHeaders[1]"], path: "allowHeaders[1]",
        fixContains: "one name per entry"),
    .init(
        code: .invalidHeaderName, severity: .error, input: with { $0.exposeHeaders = ["X-Request-Id:"] },
        expected: ["invalid-header-name@exposeHeaders[0]"], path: "exposeHeaders[0]",
        fixContains: "one name per entry"),
    .init(
        code: .forbiddenHeaderName, severity: .error, input: with { $0.allowHeaders = ["Authorization", "Cookie"] },
        expected: ["forbidden-header-name@allowHeaders[1]"], path: "allowHeaders[1]",
        fixContains: "set allowCredentials instead"),
    .init(
        code: .forbiddenHeaderName, severity: .error, input: with { $0.allowHeaders = ["Host"] },
        expected: ["forbidden-header-name@allowHeaders[0]"], path: "allowHeaders[0]", fixContains: "remove it"),
    .init(
        code: .forbiddenHeaderName, severity: .error, input: with { $0.allowHeaders = ["Origin"] },
        expected: ["forbidden-header-name@allowHeaders[0]"], path: "allowHeaders[0]", fixContains: "remove it"),
    .init(
        code: .forbiddenHeaderName, severity: .error, input: with { $0.allowHeaders = ["Sec-Fetch-Mode"] },
        expected: ["forbidden-header-name@allowHeaders[0]"], path: "allowHeaders[0]", fixContains: "remove it"),
    .init(
        code: .forbiddenHeaderName, severity: .error, input: with { $0.allowHeaders = ["Proxy-Authorization"] },
        expected: ["forbidden-header-name@allowHeaders[0]"], path: "allowHeaders[0]", fixContains: "remove it"),
    .init(
        code: .headersWildcardWithCredentials, severity: .error,
        input: with {
            $0.allowCredentials = true
            $0.allowHeaders = ["Content-Type", "*"]
        },
        expected: ["headers-wildcard-with-credentials@allowHeaders[1]"], path: "allowHeaders[1]",
        fixContains: "[\"Authorization\", \"Content-Type\"]"),
    .init(
        code: .duplicateName, severity: .warning, input: with { $0.allowHeaders = ["Authorization", "authorization"] },
        expected: ["duplicate-name@allowHeaders[1]"], path: "allowHeaders[1]", fixContains: "remove the duplicate"),
    .init(
        code: .duplicateName, severity: .warning, input: with { $0.allowMethods = ["PUT", "DELETE", "PUT"] },
        expected: ["duplicate-name@allowMethods[2]"], path: "allowMethods[2]", fixContains: "remove the duplicate"),
    // MARK: response headers
    .init(
        code: .exposeSetCookie, severity: .error, input: with { $0.exposeHeaders = ["X-Request-Id", "Set-Cookie"] },
        expected: ["expose-set-cookie@exposeHeaders[1]"], path: "exposeHeaders[1]", fixContains: "credentials: \"include\""),
    .init(
        code: .exposeWildcardWithCredentials, severity: .error,
        input: with {
            $0.allowCredentials = true
            $0.exposeHeaders = ["*"]
        },
        expected: ["expose-wildcard-with-credentials@exposeHeaders[0]"], path: "exposeHeaders[0]",
        fixContains: "[\"X-Request-Id\"]"),
    .init(
        code: .exposeSafelistedHeader, severity: .warning, input: with { $0.exposeHeaders = ["X-Request-Id", "Content-Type"] },
        expected: ["expose-safelisted-header@exposeHeaders[1]"], path: "exposeHeaders[1]", fixContains: "remove it"),
    // MARK: preflight
    .init(
        code: .maxAgeOutOfRange, severity: .error, input: with { $0.maxAge = -1 },
        expected: ["max-age-out-of-range@maxAge"], path: "maxAge", fixContains: "write 0 to disable preflight caching"),
    .init(
        code: .maxAgeOutOfRange, severity: .error, input: with { $0.maxAge = 86401 },
        expected: ["max-age-out-of-range@maxAge"], path: "maxAge", fixContains: "write 7200"),
    .init(
        code: .maxAgeAboveBrowserCap, severity: .warning, input: with { $0.maxAge = 7201 },
        expected: ["max-age-above-browser-cap@maxAge"], path: "maxAge", fixContains: "write 7200 or less"),
    .init(
        code: .invalidPreflightStatus, severity: .error, input: with { $0.preflightStatus = 302 },
        expected: ["invalid-preflight-status@preflightStatus"], path: "preflightStatus",
        fixContains: "write 204 (the default) or 200"),
    .init(
        code: .privateNetworkAccessDeprecated, severity: .warning, input: with { $0.allowPrivateNetwork = true },
        expected: ["private-network-access-deprecated@allowPrivateNetwork"], path: "allowPrivateNetwork",
        fixContains: "Access-Control-Request-Private-Network"),
]

@Suite("Policy validation")
struct PolicyValidationTests {
    @Test("every validator code has a case")
    func everyValidatorCodeHasACase() {
        let loaderCodes: Set<CORSPolicyProblem.Code> = [.unknownKey, .invalidValue]
        let covered = Set(validationCases.map(\.code))
        let missing = Set(CORSPolicyProblem.Code.allCases).subtracting(loaderCodes).subtracting(covered)
        #expect(missing.isEmpty, "codes without a test case: \(missing.map(\.rawValue).sorted())")
    }

    @Test("each rule reports exactly its problem, with path, severity and fix", arguments: validationCases)
    func rule(_ testCase: ValidationCase) throws {
        let problems = testCase.input.problems()
        #expect(codesAndPaths(problems) == testCase.expected)
        let problem = try #require(problems.first { $0.code == testCase.code && $0.path == testCase.path })
        #expect(problem.severity == testCase.severity)
        #expect(problem.fix.contains(testCase.fixContains), "fix was: \(problem.fix)")
        #expect(!problem.message.isEmpty)
        #expect(problem.description.hasPrefix("\(testCase.severity.rawValue)[\(testCase.code.rawValue)] \(testCase.path): "))

        switch testCase.severity {
        case .error:
            let error = #expect(throws: CORSPolicyError.self) { try testCase.input.make() }
            #expect(error?.problems == problems)
            #expect(error?.errors.contains(problem) == true)
        case .warning:
            // Warnings are returned, never thrown.
            let policy = try validPolicy(testCase.input)
            #expect(policy.warnings == problems)
        }
    }

    static let validInputs: [PolicyInput] = [
        PolicyInput(
            allowOrigins: ["https://app.example.com", "http://localhost:5173"], allowCredentials: true,
            allowMethods: ["GET", "POST", "PUT", "DELETE"], allowHeaders: ["Authorization", "Content-Type"],
            exposeHeaders: ["X-Request-Id"], maxAge: 600),
        PolicyInput(allowOrigins: ["http://localhost:5173"], allowCredentials: true),
        PolicyInput(allowOrigins: ["http://127.0.0.1:8080"], allowCredentials: true),
        PolicyInput(allowOrigins: ["http://[::1]:3000"], allowCredentials: true),
        PolicyInput(allowOrigins: ["http://dev.localhost:3000"], allowCredentials: true),
        PolicyInput(allowOriginPatterns: ["http://localhost:*"], allowCredentials: true),
        PolicyInput(
            allowOrigins: ["http://intranet.example.com"], allowCredentials: true,
            dangerouslyAllowInsecureOriginsWithCredentials: true),
        PolicyInput(allowOrigins: ["http://intranet.example.com"]),
        PolicyInput(allowOrigins: ["null"], dangerouslyAllowNullOrigin: true),
        PolicyInput(allowOriginPatterns: ["https://*.example.com"], allowCredentials: true),
        PolicyInput(allowOriginPatterns: ["https://*.example.co.uk", "https://*.me.github.io:8443"]),
        PolicyInput(allowOrigins: ["https://app.example.com:8443", "https://192.168.1.10"]),
        PolicyInput(
            allowOrigins: ["https://app.example.com"], allowMethods: ["*"], allowHeaders: ["*"],
            exposeHeaders: ["*"]),
        PolicyInput(allowOrigins: ["https://app.example.com"], allowMethods: ["PATCH"], maxAge: 0),
        PolicyInput(allowOrigins: ["https://app.example.com"], maxAge: 7200, preflightStatus: 200),
        PolicyInput(allowOrigins: ["https://xn--exmple-cua.com"]),
    ]

    @Test("valid policies have no problem at all", arguments: validInputs)
    func valid(_ input: PolicyInput) throws {
        #expect(codesAndPaths(input.problems()) == [])
        let policy = try validPolicy(input)
        #expect(policy.warnings == [])
    }

    @Test("the tutorial policy is valid with no warnings and says what the tutorial says")
    func tutorial() {
        let policy = CORSPolicy.tutorial
        #expect(policy.warnings == [])
        #expect(policy.allowOrigins == ["https://app.example.com", "http://localhost:5173"])
        #expect(policy.allowOriginPatterns == [])
        #expect(policy.allowCredentials)
        #expect(policy.allowMethods == ["GET", "POST", "PUT", "DELETE"])
        #expect(policy.allowHeaders == ["Authorization", "Content-Type"])
        #expect(policy.exposeHeaders == ["X-Request-Id"])
        #expect(policy.maxAge == 600)
        #expect(!policy.allowPrivateNetwork)
        #expect(policy.preflightStatus == 204)
    }

    @Test("one error lists every problem")
    func oneErrorListsEveryProblem() {
        let input = PolicyInput(
            allowOrigins: ["https://app.example.com", "https://app.example.com/"],
            allowCredentials: true,
            allowMethods: ["GET", "TRACE"],
            allowHeaders: ["Authorization", "Cookie"],
            exposeHeaders: ["Set-Cookie"],
            maxAge: 90000)
        let error = #expect(throws: CORSPolicyError.self) { try input.make() }
        #expect(
            codesAndPaths(error?.problems ?? []) == [
                "origin-trailing-slash@allowOrigins[1]",
                "forbidden-method@allowMethods[1]",
                "forbidden-header-name@allowHeaders[1]",
                "expose-set-cookie@exposeHeaders[0]",
                "max-age-out-of-range@maxAge",
            ])
        #expect(error?.errors.count == 5)
        let description = error?.description ?? ""
        #expect(description.hasPrefix("invalid CORS policy: 5 errors\n"))
        #expect(description.split(separator: "\n").count == 6)
        #expect(description.contains("did you mean https://app.example.com?"))
    }

    @Test("errors and warnings travel together in the error")
    func errorsAndWarningsTogether() {
        let input = PolicyInput(allowOrigins: ["*"], allowMethods: ["patch"], maxAge: 86401)
        let error = #expect(throws: CORSPolicyError.self) { try input.make() }
        #expect(
            codesAndPaths(error?.problems ?? []) == [
                "wildcard-origin@allowOrigins[0]", "method-case@allowMethods[0]", "max-age-out-of-range@maxAge",
            ])
        #expect(error?.errors.map(\.code) == [.maxAgeOutOfRange])
        #expect(error?.description.hasPrefix("invalid CORS policy: 1 error\n") == true)
    }

    @Test("warnings are returned, not thrown: `*` origin and maxAge above 7200")
    func warningsReturned() throws {
        let policy = try validPolicy(PolicyInput(allowOrigins: ["*"], maxAge: 7201))
        #expect(codesAndPaths(policy.warnings) == ["wildcard-origin@allowOrigins[0]", "max-age-above-browser-cap@maxAge"])
        #expect(policy.warnings.allSatisfy { $0.severity == .warning })
    }

    @Test("the dangerous opt-ins permit what they name, and nothing else")
    func optInsAreNarrow() {
        // The null opt-in does not excuse an insecure origin with credentials, and vice versa.
        let nullOnly = PolicyInput(
            allowOrigins: ["null", "http://intranet.example.com"], allowCredentials: true,
            dangerouslyAllowNullOrigin: true)
        #expect(codesAndPaths(nullOnly.problems()) == ["insecure-origin-with-credentials@allowOrigins[1]"])
        let insecureOnly = PolicyInput(
            allowOrigins: ["null", "http://intranet.example.com"], allowCredentials: true,
            dangerouslyAllowInsecureOriginsWithCredentials: true)
        #expect(codesAndPaths(insecureOnly.problems()) == ["null-origin@allowOrigins[0]"])
    }

    @Test(
        "wildcards in the lists are errors only with credentials",
        arguments: [
            (PolicyInput(allowOrigins: [app], allowMethods: ["*"]), [String]()),
            (PolicyInput(allowOrigins: [app], allowHeaders: ["*"]), []),
            (PolicyInput(allowOrigins: [app], exposeHeaders: ["*"]), []),
            (
                PolicyInput(
                    allowOrigins: [app], allowCredentials: true, allowMethods: ["*"], allowHeaders: ["*"],
                    exposeHeaders: ["*"]),
                [
                    "methods-wildcard-with-credentials@allowMethods[0]",
                    "headers-wildcard-with-credentials@allowHeaders[0]",
                    "expose-wildcard-with-credentials@exposeHeaders[0]",
                ]
            ),
        ])
    func listWildcards(_ input: PolicyInput, _ expected: [String]) {
        #expect(codesAndPaths(input.problems()) == expected)
    }
}
