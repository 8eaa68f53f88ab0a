import HTTPTypes
import Testing

@testable import CORS

/// A non-preflight request, what the engine must conclude, and every field it must set.
struct ActualCase: Sendable, CustomTestStringConvertible {
    var name: String
    var policy: PolicyInput
    var request: HTTPRequest
    var outcome: CORSDecision.Outcome
    var fields: [String]
    var testDescription: String { name }
}

private let tutorialInput = PolicyInput(
    allowOrigins: ["https://app.example.com", "http://localhost:5173"], allowCredentials: true,
    allowMethods: ["GET", "POST", "PUT", "DELETE"], allowHeaders: ["Authorization", "Content-Type"],
    exposeHeaders: ["X-Request-Id"], maxAge: 600)

let actualCases: [ActualCase] = [
    .init(
        name: "trusted origin: echoed, credentials, exposed headers, Vary: Origin",
        policy: tutorialInput, request: actual(.get, origin: "https://app.example.com"),
        outcome: .actualAllowed,
        fields: lines([
            "Access-Control-Allow-Origin": "https://app.example.com",
            "Access-Control-Allow-Credentials": "true",
            "Access-Control-Expose-Headers": "X-Request-Id",
            "Vary": "Origin",
        ])),
    .init(
        name: "second trusted origin (loopback dev server), PUT",
        policy: tutorialInput, request: actual(.put, origin: "http://localhost:5173"),
        outcome: .actualAllowed,
        fields: lines([
            "Access-Control-Allow-Origin": "http://localhost:5173",
            "Access-Control-Allow-Credentials": "true",
            "Access-Control-Expose-Headers": "X-Request-Id",
            "Vary": "Origin",
        ])),
    .init(
        name: "untrusted origin: no Access-Control-* at all, Vary: Origin",
        policy: tutorialInput, request: actual(.get, origin: "https://evil.example"),
        outcome: .actualDenied(.originNotAllowed(origin: "https://evil.example")),
        fields: lines(["Vary": "Origin"])),
    .init(
        name: "no Origin, origin-dependent policy: not CORS, Vary: Origin",
        policy: tutorialInput, request: actual(.get, origin: nil),
        outcome: .notCORS, fields: lines(["Vary": "Origin"])),
    .init(
        name: "no Origin, `*` policy: ACAO * and no Vary",
        policy: Policies.publicAPI, request: actual(.get, origin: nil),
        outcome: .notCORS,
        fields: lines(["Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Request-Id"])),
    .init(
        name: "any origin, `*` policy: ACAO * and no Vary",
        policy: Policies.publicAPI, request: actual(.post, origin: "https://whoever.example"),
        outcome: .actualAllowed,
        fields: lines(["Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Request-Id"])),
    .init(
        name: "trusted origin without credentials: echoed, no ACAC",
        policy: PolicyInput(allowOrigins: ["https://app.example.com"], exposeHeaders: ["X-Request-Id", "ETag"]),
        request: actual(.get, origin: "https://app.example.com"),
        outcome: .actualAllowed,
        fields: lines([
            "Access-Control-Allow-Origin": "https://app.example.com",
            "Access-Control-Expose-Headers": "X-Request-Id, ETag",
            "Vary": "Origin",
        ])),
    .init(
        name: "OPTIONS without Access-Control-Request-Method is an actual request",
        policy: tutorialInput,
        request: makeRequest(.options, [HTTPField(name: .origin, value: "https://app.example.com")]),
        outcome: .actualAllowed,
        fields: lines([
            "Access-Control-Allow-Origin": "https://app.example.com",
            "Access-Control-Allow-Credentials": "true",
            "Access-Control-Expose-Headers": "X-Request-Id",
            "Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        ])),
    .init(
        name: "OPTIONS without Origin is not CORS, even with Access-Control-Request-Method",
        policy: tutorialInput,
        request: makeRequest(.options, [HTTPField(name: .accessControlRequestMethod, value: "PUT")]),
        outcome: .notCORS,
        fields: lines(["Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"])),
    .init(
        name: "GET carrying Access-Control-Request-Method is still an actual request",
        policy: tutorialInput,
        request: makeRequest(
            .get,
            [
                HTTPField(name: .origin, value: "https://app.example.com"),
                HTTPField(name: .accessControlRequestMethod, value: "PATCH"),
            ]),
        outcome: .actualAllowed,
        fields: lines([
            "Access-Control-Allow-Origin": "https://app.example.com",
            "Access-Control-Allow-Credentials": "true",
            "Access-Control-Expose-Headers": "X-Request-Id",
            "Vary": "Origin",
        ])),
    .init(
        name: "several Origin field lines: denied, nothing reflected",
        policy: tutorialInput,
        request: makeRequest(
            .get,
            [
                HTTPField(name: .origin, value: "https://app.example.com"),
                HTTPField(name: .origin, value: "https://evil.example"),
            ]),
        outcome: .actualDenied(.multipleOrigins), fields: lines(["Vary": "Origin"])),
    .init(
        name: "two identical Origin field lines: still denied",
        policy: tutorialInput,
        request: makeRequest(
            .get,
            [
                HTTPField(name: .origin, value: "https://app.example.com"),
                HTTPField(name: .origin, value: "https://app.example.com"),
            ]),
        outcome: .actualDenied(.multipleOrigins), fields: lines(["Vary": "Origin"])),
    .init(
        name: "null origin with the dangerous opt-in: echoed as null",
        policy: PolicyInput(allowOrigins: ["null"], dangerouslyAllowNullOrigin: true),
        request: actual(.get, origin: "null"),
        outcome: .actualAllowed,
        fields: lines(["Access-Control-Allow-Origin": "null", "Vary": "Origin"])),
]

@Suite("Engine: actual requests")
struct EngineActualRequestTests {
    @Test("decision and exact fields", arguments: actualCases)
    func decide(_ testCase: ActualCase) throws {
        let engine = CORSEngine(policy: try validPolicy(testCase.policy))
        let decision = engine.decide(testCase.request)
        #expect(decision.outcome == testCase.outcome)
        #expect(!decision.isPreflight)
        #expect(fieldLines(decision.headerFields) == testCase.fields)

        // Applying to a response the application produced gives the same fields, plus its own.
        var response = HTTPFields([HTTPField(name: .contentType, value: "application/json")])
        decision.apply(to: &response)
        #expect(fieldLines(response) == (testCase.fields + ["content-type: application/json"]).sorted())
        // Never preflight-only fields on an actual response.
        for name in [HTTPField.Name.accessControlAllowMethods, .accessControlAllowHeaders, .accessControlMaxAge] {
            #expect(response[name] == nil)
        }
    }

    @Test("decision properties for a trusted, an untrusted and a non-CORS request")
    func properties() {
        let engine = CORSEngine(policy: .tutorial)
        let trusted = engine.decide(actual(origin: "https://app.example.com"))
        #expect(trusted.isAllowed)
        #expect(trusted.isOriginTrusted)
        #expect(trusted.origin == "https://app.example.com")
        #expect(trusted.denialReason == nil)

        let untrusted = engine.decide(actual(origin: "https://evil.example"))
        #expect(!untrusted.isAllowed)
        #expect(!untrusted.isOriginTrusted)
        #expect(untrusted.origin == "https://evil.example")
        #expect(untrusted.denialReason == .originNotAllowed(origin: "https://evil.example"))
        #expect(untrusted.denialReason?.label == "origin")

        let none = engine.decide(actual(origin: nil))
        #expect(none.outcome == .notCORS)
        #expect(none.isAllowed)
        #expect(none.origin == nil)
        #expect(!none.isOriginTrusted)

        let multiple = engine.decide(
            makeRequest(
                .get,
                [
                    HTTPField(name: .origin, value: "https://app.example.com"),
                    HTTPField(name: .origin, value: "https://app.example.com"),
                ]))
        #expect(multiple.origin == nil)
        #expect(!multiple.isOriginTrusted)
        #expect(multiple.denialReason?.label == "multiple-origins")
    }

    @Test("fields the application set are replaced: exactly one ACAO, the right one")
    func applicationFieldsReplaced() {
        let engine = CORSEngine(policy: .tutorial)
        let appFields = [
            HTTPField(name: .accessControlAllowOrigin, value: "*"),
            HTTPField(name: .accessControlAllowOrigin, value: "https://other.example"),
            HTTPField(name: .accessControlAllowCredentials, value: "false"),
            HTTPField(name: .accessControlExposeHeaders, value: "Set-Cookie"),
            HTTPField(name: .accessControlAllowMethods, value: "*"),
            HTTPField(name: .accessControlMaxAge, value: "99999"),
            HTTPField(name: .contentType, value: "text/plain"),
        ]
        var trusted = HTTPFields(appFields)
        engine.decide(actual(origin: "https://app.example.com")).apply(to: &trusted)
        #expect(trusted[values: .accessControlAllowOrigin] == ["https://app.example.com"])
        #expect(
            fieldLines(trusted)
                == lines([
                    "Access-Control-Allow-Origin": "https://app.example.com",
                    "Access-Control-Allow-Credentials": "true",
                    "Access-Control-Expose-Headers": "X-Request-Id",
                    "Content-Type": "text/plain",
                    "Vary": "Origin",
                ]))

        // An untrusted origin must not inherit what the application set.
        var untrusted = HTTPFields(appFields)
        engine.decide(actual(origin: "https://evil.example")).apply(to: &untrusted)
        #expect(fieldLines(untrusted) == lines(["Content-Type": "text/plain", "Vary": "Origin"]))
    }

    @Test(
        "exact origins match byte for byte; near misses are denied",
        arguments: [
            "https://app.example.com/",
            "https://APP.example.com",
            "HTTPS://app.example.com",
            "https://app.example.com:443",
            "https://app.example.com:8443",
            "http://app.example.com",
            "https://app.example.com.",
            "https://app.example.co",
            "https://app.example.comx",
            "https://xapp.example.com",
            "https://app.example.com.evil.com",
            "null",
            "",
            "https://аpp.example.com",  // Cyrillic а
            "https://app.exаmple.com",  // Cyrillic а
            "https://ａｐｐ.example.com",  // fullwidth
            "https://app.example.com\u{200B}",  // zero-width space
            "https://app.example.com" + String(repeating: "/", count: 10_000 - 23),
            "https://" + String(repeating: "a", count: 9_988) + ".com",
        ])
    func exactOriginByteExactness(_ origin: String) {
        let engine = CORSEngine(policy: .tutorial)
        let decision = engine.decide(actual(origin: origin))
        #expect(decision.outcome == .actualDenied(.originNotAllowed(origin: origin)))
        #expect(!decision.isOriginTrusted)
        #expect(accessControlFields(decision.headerFields).isEmpty)
        #expect(decision.headerFields[values: .vary] == ["Origin"])
    }

    @Test("a 10,000-byte origin is denied and reported as sent")
    func hugeOrigin() {
        let origin = "https://" + String(repeating: "a", count: 9_988) + ".com"
        #expect(origin.utf8.count == 10_000)
        let decision = CORSEngine(policy: .tutorial).decide(actual(origin: origin))
        #expect(decision.outcome == .actualDenied(.originNotAllowed(origin: origin)))
        // The log line stays short whatever the client sent.
        #expect(decision.denialReason!.description.utf8.count < 400)
    }
}
