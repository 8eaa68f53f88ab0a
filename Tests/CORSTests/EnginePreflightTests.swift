import HTTPTypes
import Testing

@testable import CORS

/// A preflight, what the engine must conclude, the status of its answer and every field.
struct PreflightCase: Sendable, CustomTestStringConvertible {
    var name: String
    var policy: PolicyInput
    var request: HTTPRequest
    var outcome: CORSDecision.Outcome
    var status: HTTPResponse.Status
    var fields: [String]
    var testDescription: String { name }
}

private let tutorialInput = PolicyInput(
    allowOrigins: ["https://app.example.com", "http://localhost:5173"], allowCredentials: true,
    allowMethods: ["GET", "POST", "PUT", "DELETE"], allowHeaders: ["Authorization", "Content-Type"],
    exposeHeaders: ["X-Request-Id"], maxAge: 600)

private let app = "https://app.example.com"
private let preflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

/// The tutorial's answer to an allowed preflight from `origin`.
private func tutorialAllowed(_ origin: String = app) -> [String] {
    lines([
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
        "Access-Control-Allow-Headers": "Authorization, Content-Type",
        "Access-Control-Max-Age": "600",
        "Vary": preflightVary,
    ])
}

/// The tutorial's answer to a trusted origin's refused preflight: the real lists, no Max-Age.
private let tutorialRefusedButTrusted = lines([
    "Access-Control-Allow-Origin": app,
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Vary": preflightVary,
])

private let untrustedFields = lines(["Vary": preflightVary])

let preflightCases: [PreflightCase] = [
    .init(
        name: "allowed: PUT with Authorization and Content-Type",
        policy: tutorialInput,
        request: preflight(origin: app, method: "PUT", headers: "authorization,content-type"),
        outcome: .preflightAllowed, status: .noContent, fields: tutorialAllowed()),
    .init(
        name: "allowed: DELETE without request headers, from the dev server",
        policy: tutorialInput, request: preflight(origin: "http://localhost:5173", method: "DELETE"),
        outcome: .preflightAllowed, status: .noContent, fields: tutorialAllowed("http://localhost:5173")),
    .init(
        name: "allowed: preflightStatus 200",
        policy: PolicyInput(
            allowOrigins: [app], allowMethods: ["PUT"], allowHeaders: ["X-Custom"], maxAge: 60,
            preflightStatus: 200),
        request: preflight(origin: app, method: "PUT", headers: "x-custom"),
        outcome: .preflightAllowed, status: .ok,
        fields: lines([
            "Access-Control-Allow-Origin": app,
            "Access-Control-Allow-Methods": "PUT",
            "Access-Control-Allow-Headers": "X-Custom",
            "Access-Control-Max-Age": "60",
            "Vary": preflightVary,
        ])),
    .init(
        name: "allowed: no maxAge means no Max-Age field, no lists means no list fields",
        policy: PolicyInput(allowOrigins: [app]),
        request: preflight(origin: app, method: "POST"),
        outcome: .preflightAllowed, status: .noContent,
        fields: lines(["Access-Control-Allow-Origin": app, "Vary": preflightVary])),
    .init(
        name: "allowed: safelisted GET passes though not listed",
        policy: PolicyInput(allowOrigins: [app], allowMethods: ["PUT"]),
        request: preflight(origin: app, method: "GET"),
        outcome: .preflightAllowed, status: .noContent,
        fields: lines(["Access-Control-Allow-Origin": app, "Access-Control-Allow-Methods": "PUT", "Vary": preflightVary])),
    .init(
        name: "allowed: safelisted POST and HEAD pass though not listed",
        policy: PolicyInput(allowOrigins: [app], allowMethods: ["PUT"]),
        request: preflight(origin: app, method: "HEAD"),
        outcome: .preflightAllowed, status: .noContent,
        fields: lines(["Access-Control-Allow-Origin": app, "Access-Control-Allow-Methods": "PUT", "Vary": preflightVary])),
    .init(
        name: "allowed: header names compared case-insensitively",
        policy: tutorialInput,
        request: preflight(origin: app, method: "PUT", headers: "AUTHORIZATION, content-type"),
        outcome: .preflightAllowed, status: .noContent, fields: tutorialAllowed()),
    .init(
        name: "denied: trusted origin asks PATCH, real lists still sent, no Max-Age",
        policy: tutorialInput, request: preflight(origin: app, method: "PATCH"),
        outcome: .preflightDenied(.methodNotAllowed(method: "PATCH")), status: .noContent,
        fields: tutorialRefusedButTrusted),
    .init(
        name: "denied: trusted origin asks X-Custom",
        policy: tutorialInput, request: preflight(origin: app, method: "PUT", headers: "authorization,x-custom"),
        outcome: .preflightDenied(.headerNotAllowed(name: "x-custom")), status: .noContent,
        fields: tutorialRefusedButTrusted),
    .init(
        name: "denied: header name reported lowercased",
        policy: tutorialInput, request: preflight(origin: app, method: "GET", headers: "X-Custom"),
        outcome: .preflightDenied(.headerNotAllowed(name: "x-custom")), status: .noContent,
        fields: tutorialRefusedButTrusted),
    .init(
        name: "denied: method comparison is case-sensitive (put vs PUT)",
        policy: tutorialInput, request: preflight(origin: app, method: "put"),
        outcome: .preflightDenied(.methodNotAllowed(method: "put")), status: .noContent,
        fields: tutorialRefusedButTrusted),
    .init(
        name: "denied: lowercase get is not the safelisted GET",
        policy: PolicyInput(allowOrigins: [app], allowMethods: ["PUT"]),
        request: preflight(origin: app, method: "get"),
        outcome: .preflightDenied(.methodNotAllowed(method: "get")), status: .noContent,
        fields: lines(["Access-Control-Allow-Origin": app, "Access-Control-Allow-Methods": "PUT", "Vary": preflightVary])),
    .init(
        name: "denied: malformed Access-Control-Request-Method",
        policy: tutorialInput, request: preflight(origin: app, method: "PUT, DELETE"),
        outcome: .preflightDenied(.malformedRequestMethod), status: .noContent,
        fields: tutorialRefusedButTrusted),
    .init(
        name: "denied: empty Access-Control-Request-Method",
        policy: tutorialInput, request: preflight(origin: app, method: ""),
        outcome: .preflightDenied(.malformedRequestMethod), status: .noContent,
        fields: tutorialRefusedButTrusted),
    .init(
        name: "denied: two Access-Control-Request-Method lines",
        policy: tutorialInput,
        request: preflight(
            origin: app, method: "PUT", extra: [HTTPField(name: .accessControlRequestMethod, value: "PUT")]),
        outcome: .preflightDenied(.malformedRequestMethod), status: .noContent,
        fields: tutorialRefusedButTrusted),
    .init(
        name: "untrusted origin: 403, no Access-Control-* at all, Vary present",
        policy: tutorialInput,
        request: preflight(origin: "https://evil.example", method: "PUT", headers: "authorization"),
        outcome: .preflightDenied(.originNotAllowed(origin: "https://evil.example")), status: .forbidden,
        fields: untrustedFields),
    .init(
        name: "untrusted origin asking a safelisted method: still 403",
        policy: tutorialInput, request: preflight(origin: "https://evil.example", method: "GET"),
        outcome: .preflightDenied(.originNotAllowed(origin: "https://evil.example")), status: .forbidden,
        fields: untrustedFields),
    .init(
        name: "several Origin lines: 403, nothing reflected",
        policy: tutorialInput,
        request: preflight(origin: app, method: "PUT", extra: [HTTPField(name: .origin, value: app)]),
        outcome: .preflightDenied(.multipleOrigins), status: .forbidden, fields: untrustedFields),
    .init(
        name: "`*` headers without credentials: any name",
        policy: Policies.wildcardLists,
        request: preflight(origin: app, method: "PATCH", headers: "x-anything,x-other"),
        outcome: .preflightAllowed, status: .noContent,
        fields: lines([
            "Access-Control-Allow-Origin": app,
            "Access-Control-Allow-Methods": "*",
            "Access-Control-Allow-Headers": "*",
            "Vary": preflightVary,
        ])),
    .init(
        name: "`*` headers never cover Authorization",
        policy: Policies.wildcardLists,
        request: preflight(origin: app, method: "GET", headers: "x-anything,authorization"),
        outcome: .preflightDenied(.headerNotAllowed(name: "authorization")), status: .noContent,
        fields: lines([
            "Access-Control-Allow-Origin": app,
            "Access-Control-Allow-Methods": "*",
            "Access-Control-Allow-Headers": "*",
            "Vary": preflightVary,
        ])),
    .init(
        name: "`*` headers with Authorization listed: Authorization allowed",
        policy: PolicyInput(allowOrigins: [app], allowMethods: ["*"], allowHeaders: ["*", "Authorization"]),
        request: preflight(origin: app, method: "GET", headers: "Authorization, X-Anything"),
        outcome: .preflightAllowed, status: .noContent,
        fields: lines([
            "Access-Control-Allow-Origin": app,
            "Access-Control-Allow-Methods": "*",
            "Access-Control-Allow-Headers": "*, Authorization",
            "Vary": preflightVary,
        ])),
    .init(
        name: "`*` methods: any token method, in any case",
        policy: Policies.wildcardLists, request: preflight(origin: app, method: "frobnicate"),
        outcome: .preflightAllowed, status: .noContent,
        fields: lines([
            "Access-Control-Allow-Origin": app,
            "Access-Control-Allow-Methods": "*",
            "Access-Control-Allow-Headers": "*",
            "Vary": preflightVary,
        ])),
    .init(
        name: "`*` origin policy: ACAO *, no credentials",
        policy: Policies.publicAPI,
        request: preflight(origin: "https://whoever.example", method: "POST", headers: "content-type"),
        outcome: .preflightAllowed, status: .noContent,
        fields: lines([
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": "GET, POST",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600",
            "Vary": preflightVary,
        ])),
    .init(
        name: "lowercase patch listed (warning) matches patch exactly, and is sent as written",
        policy: PolicyInput(allowOrigins: [app], allowMethods: ["PATCH", "patch"]),
        request: preflight(origin: app, method: "patch"),
        outcome: .preflightAllowed, status: .noContent,
        fields: lines([
            "Access-Control-Allow-Origin": app,
            "Access-Control-Allow-Methods": "PATCH, patch",
            "Vary": preflightVary,
        ])),
]

@Suite("Engine: preflights")
struct EnginePreflightTests {
    @Test("decision, status and exact fields", arguments: preflightCases)
    func decide(_ testCase: PreflightCase) throws {
        let engine = CORSEngine(policy: try validPolicy(testCase.policy))
        let decision = engine.decide(testCase.request)
        #expect(decision.outcome == testCase.outcome)
        #expect(decision.isPreflight)
        let response = decision.preflightResponse()
        #expect(response.status == testCase.status)
        #expect(fieldLines(response.headerFields) == testCase.fields)
        #expect(fieldLines(decision.headerFields) == testCase.fields)
        // Never Expose-Headers on a preflight, whatever the policy exposes.
        #expect(response.headerFields[.accessControlExposeHeaders] == nil)
        #expect(response.headerFields[values: .accessControlAllowOrigin].count <= 1)
    }

    @Test("isAllowed and denialReason follow the outcome")
    func decisionProperties() {
        let engine = CORSEngine(policy: .tutorial)
        let allowed = engine.decide(preflight(origin: app, method: "PUT"))
        #expect(allowed.isAllowed)
        #expect(allowed.isOriginTrusted)
        #expect(allowed.denialReason == nil)

        let denied = engine.decide(preflight(origin: app, method: "PATCH"))
        #expect(!denied.isAllowed)
        #expect(denied.isOriginTrusted)
        #expect(denied.denialReason == .methodNotAllowed(method: "PATCH"))
        #expect(denied.denialReason?.label == "method")
        #expect(denied.denialReason?.description == "method \"PATCH\" is not in allowMethods")

        let header = engine.decide(preflight(origin: app, method: "PUT", headers: "x-custom"))
        #expect(header.denialReason?.label == "header")
        #expect(header.denialReason?.description == "request header \"x-custom\" is not in allowHeaders")

        let untrusted = engine.decide(preflight(origin: "https://evil.example", method: "PUT"))
        #expect(!untrusted.isOriginTrusted)
        #expect(untrusted.preflightResponse().status == .forbidden)
    }

    @Test("the engine exposes the policy it compiled")
    func enginePolicy() {
        #expect(CORSEngine(policy: .tutorial).policy == .tutorial)
    }

    @Test("Private Network Access: ACRPN true gets ACAPN true when enabled")
    func privateNetworkAccess() throws {
        let policy = try CORSPolicy(
            allowOrigins: [app], allowMethods: ["PUT"], maxAge: 600, allowPrivateNetwork: true)
        #expect(policy.warnings.map(\.code) == [.privateNetworkAccessDeprecated])
        let engine = CORSEngine(policy: policy)
        let pnaVary = preflightVary + ", Access-Control-Request-Private-Network"

        let asked = engine.decide(
            preflight(
                origin: app, method: "PUT",
                extra: [HTTPField(name: .accessControlRequestPrivateNetwork, value: "true")]))
        #expect(asked.outcome == .preflightAllowed)
        #expect(
            fieldLines(asked.preflightResponse().headerFields)
                == lines([
                    "Access-Control-Allow-Origin": app,
                    "Access-Control-Allow-Methods": "PUT",
                    "Access-Control-Max-Age": "600",
                    "Access-Control-Allow-Private-Network": "true",
                    "Vary": pnaVary,
                ]))

        let notAsked = engine.decide(preflight(origin: app, method: "PUT"))
        #expect(notAsked.preflightResponse().headerFields[.accessControlAllowPrivateNetwork] == nil)
        #expect(notAsked.preflightResponse().headerFields[values: .vary] == [pnaVary])

        // Only the value `true` asks for it.
        let saidFalse = engine.decide(
            preflight(
                origin: app, method: "PUT",
                extra: [HTTPField(name: .accessControlRequestPrivateNetwork, value: "false")]))
        #expect(saidFalse.outcome == .preflightAllowed)
        #expect(saidFalse.preflightResponse().headerFields[.accessControlAllowPrivateNetwork] == nil)

        // Refused preflights never grant private network access.
        let refused = engine.decide(
            preflight(
                origin: app, method: "PATCH",
                extra: [HTTPField(name: .accessControlRequestPrivateNetwork, value: "true")]))
        #expect(refused.outcome == .preflightDenied(.methodNotAllowed(method: "PATCH")))
        #expect(refused.preflightResponse().headerFields[.accessControlAllowPrivateNetwork] == nil)
    }

    @Test("Private Network Access is never granted when the policy does not enable it")
    func privateNetworkAccessDisabled() {
        let decision = CORSEngine(policy: .tutorial).decide(
            preflight(
                origin: app, method: "PUT",
                extra: [HTTPField(name: .accessControlRequestPrivateNetwork, value: "true")]))
        #expect(decision.outcome == .preflightAllowed)
        let fields = decision.preflightResponse().headerFields
        #expect(fields[.accessControlAllowPrivateNetwork] == nil)
        #expect(fields[values: .vary] == [preflightVary])
    }
}
