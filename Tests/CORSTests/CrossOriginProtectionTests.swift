import HTTPTypes
import Testing

@testable import CORS

/// Go 1.25's `net/http` tests of `CrossOriginProtection` (src/net/http/csrf_test.go, with the
/// go.dev/issue/75054 cases), as tables: the same requests, the same expected statuses. A
/// trusted origin is one the policy names.
@Suite("Cross-origin protection: Go's CrossOriginProtection cases")
struct CrossOriginProtectionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method: HTTPRequest.Method = .post
        var path = "/"
        var secFetchSite: String?
        var origin: String?
        var host = "example.com"
        var expectedStatus: Int

        var testDescription: String { name }

        var request: HTTPRequest {
            var fields = HTTPFields()
            if let secFetchSite { fields.append(HTTPField(name: HTTPField.Name("Sec-Fetch-Site")!, value: secFetchSite)) }
            if let origin { fields.append(HTTPField(name: .origin, value: origin)) }
            return HTTPRequest(method: method, scheme: nil, authority: host, path: path, headerFields: fields)
        }
    }

    /// Go's `NewCrossOriginProtection()` has no trusted origin; a policy needs one, so it trusts
    /// an origin no case sends.
    static let untrustingEngine = CORSEngine(policy: try! CORSPolicy(allowOrigins: ["https://unrelated.example"]))
    static let trustingEngine = CORSEngine(policy: try! CORSPolicy(allowOrigins: ["https://trusted.example"]))

    static func status(_ verdict: CrossOriginVerdict) -> Int { verdict.isAllowed ? 200 : 403 }

    /// TestCrossOriginProtectionSecFetchSite
    static let secFetchSiteCases: [Case] = [
        Case(name: "same-origin allowed", secFetchSite: "same-origin", expectedStatus: 200),
        Case(name: "none allowed", secFetchSite: "none", expectedStatus: 200),
        Case(name: "cross-site blocked", secFetchSite: "cross-site", expectedStatus: 403),
        Case(name: "same-site blocked", secFetchSite: "same-site", expectedStatus: 403),
        Case(name: "no header with no origin", expectedStatus: 200),
        Case(name: "no header with matching origin", origin: "https://example.com", expectedStatus: 200),
        Case(name: "no header with mismatched origin", origin: "https://attacker.example", expectedStatus: 403),
        Case(name: "no header with null origin", origin: "null", expectedStatus: 403),
        Case(name: "GET allowed", method: .get, secFetchSite: "cross-site", expectedStatus: 200),
        Case(name: "HEAD allowed", method: .head, secFetchSite: "cross-site", expectedStatus: 200),
        Case(name: "OPTIONS allowed", method: .options, secFetchSite: "cross-site", expectedStatus: 200),
        Case(name: "PUT blocked", method: .put, secFetchSite: "cross-site", expectedStatus: 403),
    ]

    @Test("TestCrossOriginProtectionSecFetchSite", arguments: secFetchSiteCases)
    func secFetchSite(_ testCase: Case) async throws {
        let protection = CrossOriginProtection()
        #expect(Self.status(await protection.check(testCase.request, engine: Self.untrustingEngine)) == testCase.expectedStatus)
        #expect(Self.status(protection.checkStatically(testCase.request, engine: Self.untrustingEngine)) == testCase.expectedStatus)
    }

    /// TestCrossOriginProtectionTrustedOriginBypass
    static let trustedOriginCases: [Case] = [
        Case(name: "trusted origin without sec-fetch-site", origin: "https://trusted.example", expectedStatus: 200),
        Case(name: "trusted origin with cross-site", secFetchSite: "cross-site", origin: "https://trusted.example", expectedStatus: 200),
        Case(name: "untrusted origin without sec-fetch-site", origin: "https://attacker.example", expectedStatus: 403),
        Case(name: "untrusted origin with cross-site", secFetchSite: "cross-site", origin: "https://attacker.example", expectedStatus: 403),
    ]

    @Test("TestCrossOriginProtectionTrustedOriginBypass", arguments: trustedOriginCases)
    func trustedOrigin(_ testCase: Case) async throws {
        let protection = CrossOriginProtection()
        #expect(Self.status(await protection.check(testCase.request, engine: Self.trustingEngine)) == testCase.expectedStatus)
    }

    /// TestCrossOriginProtectionPatternBypass: every request is a POST from https://attacker.example.
    static let patternCases: [Case] = [
        Case(name: "bypass path without sec-fetch-site", path: "/bypass/", expectedStatus: 200),
        Case(name: "bypass path with cross-site", path: "/bypass/", secFetchSite: "cross-site", expectedStatus: 200),
        Case(name: "non-bypass path without sec-fetch-site", path: "/api/", expectedStatus: 403),
        Case(name: "non-bypass path with cross-site", path: "/api/", secFetchSite: "cross-site", expectedStatus: 403),
        Case(name: "redirect to bypass path without ..", path: "/foo/../bypass/bar", expectedStatus: 403),
        Case(name: "redirect to bypass path with trailing slash", path: "/bypass", expectedStatus: 403),
        Case(name: "redirect to non-bypass path with ..", path: "/foo/../api/bar", expectedStatus: 403),
        Case(name: "redirect to non-bypass path with trailing slash", path: "/api", expectedStatus: 403),
        Case(name: "wildcard bypass", path: "/only/123", expectedStatus: 200),
        Case(name: "non-wildcard", path: "/only/123/foo", expectedStatus: 403),
        Case(name: "no trailing slash exact match", path: "/no-trailing", expectedStatus: 200),
        Case(name: "no trailing slash with slash", path: "/no-trailing/", expectedStatus: 403),
        Case(name: "yes trailing slash exact match", path: "/yes-trailing/", expectedStatus: 200),
        Case(name: "yes trailing slash without slash", path: "/yes-trailing", expectedStatus: 403),
        Case(name: "method-specific hit", path: "/post-only/", expectedStatus: 200),
        Case(name: "method-specific miss (PUT)", path: "/put-only/", expectedStatus: 403),
        Case(name: "method-specific miss (GET)", path: "/get-only/", expectedStatus: 403),
    ]

    @Test("TestCrossOriginProtectionPatternBypass", arguments: patternCases)
    func patternBypass(_ testCase: Case) async throws {
        let protection = try CrossOriginProtection(bypassing: [
            "/bypass/", "/only/{foo}", "/no-trailing", "/yes-trailing/", "PUT /put-only/", "GET /get-only/",
            "POST /post-only/",
        ])
        var testCase = testCase
        testCase.origin = "https://attacker.example"
        #expect(Self.status(await protection.check(testCase.request, engine: Self.untrustingEngine)) == testCase.expectedStatus)
    }

    /// TestCrossOriginProtectionServer: a real server's URL is http://127.0.0.1:PORT.
    static let serverCases: [Case] = [
        Case(name: "cross-site", secFetchSite: "cross-site", origin: "https://attacker.example", host: "127.0.0.1:8080", expectedStatus: 403),
        Case(name: "same-origin", secFetchSite: "same-origin", host: "127.0.0.1:8080", expectedStatus: 200),
        Case(name: "origin matches host", origin: "http://127.0.0.1:8080", host: "127.0.0.1:8080", expectedStatus: 200),
        Case(name: "trusted origin", origin: "https://trusted.example", host: "127.0.0.1:8080", expectedStatus: 200),
        Case(name: "untrusted origin", origin: "https://attacker.example", host: "127.0.0.1:8080", expectedStatus: 403),
        Case(name: "bypass path", path: "/bypass/", origin: "https://attacker.example", host: "127.0.0.1:8080", expectedStatus: 200),
    ]

    @Test("TestCrossOriginProtectionServer", arguments: serverCases)
    func server(_ testCase: Case) async throws {
        let protection = try CrossOriginProtection(bypassing: ["/bypass/"])
        #expect(Self.status(await protection.check(testCase.request, engine: Self.trustingEngine)) == testCase.expectedStatus)
    }

    @Test("refusals name Go's two reasons; the body repeats nothing the client sent")
    func refusalReasons() async throws {
        let protection = CrossOriginProtection()
        let crossSite = Case(name: "", secFetchSite: "cross-site", origin: "https://attacker.example", expectedStatus: 403)
        let refusal = try #require(await protection.check(crossSite.request, engine: Self.untrustingEngine).refusal)
        #expect(refusal.label == "sec-fetch-site")
        #expect(refusal.origin == "https://attacker.example")
        #expect(refusal.message == "Forbidden: cross-origin request refused (Sec-Fetch-Site is not same-origin, and the origin is not trusted)\n")
        let old = Case(name: "", origin: "https://attacker.example", expectedStatus: 403)
        let oldRefusal = try #require(await protection.check(old.request, engine: Self.untrustingEngine).refusal)
        #expect(oldRefusal.label == "origin-mismatch")
        #expect(!oldRefusal.message.contains("attacker"))
    }

    @Test("the policy's patterns and predicate trust writes; * and null never do")
    func policyTrust() async throws {
        let patterns = CORSEngine(policy: try CORSPolicy(allowOriginPatterns: ["https://*.example.com"]))
        let fromSub = Case(name: "", secFetchSite: "cross-site", origin: "https://app.example.com", expectedStatus: 200)
        #expect(await CrossOriginProtection().check(fromSub.request, engine: patterns) == .allowed(.trustedOrigin))
        let predicate = CORSEngine(
            policy: try CORSPolicy(
                allowOrigins: ["https://unrelated.example"],
                originPredicate: .sync { $0 == "https://tenant.example" }))
        let tenant = Case(name: "", secFetchSite: "cross-site", origin: "https://tenant.example", expectedStatus: 200)
        #expect(await CrossOriginProtection().check(tenant.request, engine: predicate).isAllowed)
        #expect(!CrossOriginProtection().checkStatically(tenant.request, engine: predicate).isAllowed)
        let any = CORSEngine(policy: try CORSPolicy(allowOrigins: ["*"]))
        let anySite = Case(name: "", secFetchSite: "cross-site", origin: "https://attacker.example", expectedStatus: 403)
        #expect(await CrossOriginProtection().check(anySite.request, engine: any).refusal?.label == "sec-fetch-site")
    }

    @Test("malformed bypass patterns are refused with the reason")
    func invalidPatterns() {
        #expect(throws: CrossOriginBypassPattern.InvalidPattern.self) { try CrossOriginBypassPattern("hooks/") }
        #expect(throws: CrossOriginBypassPattern.InvalidPattern.self) { try CrossOriginBypassPattern("/a/{rest...}/b") }
        #expect(throws: CrossOriginBypassPattern.InvalidPattern.self) { try CrossOriginBypassPattern("/a/x{id}") }
        #expect(throws: CrossOriginBypassPattern.InvalidPattern.self) { try CrossOriginBypassPattern("P@ST /a") }
        #expect(throws: Never.self) { try CrossOriginBypassPattern("/files/{rest...}") }
        let rest = try? CrossOriginBypassPattern("/files/{rest...}")
        #expect(rest?.matches(method: .post, path: "/files/a/b") == true)
        let exact = try? CrossOriginBypassPattern("/exact/{$}")
        #expect(exact?.matches(method: .post, path: "/exact/") == true)
        #expect(exact?.matches(method: .post, path: "/exact/x") == false)
        let root = try? CrossOriginBypassPattern("/")
        #expect(root?.matches(method: .post, path: "/anything?x=1") == true)
    }
}

@Suite("WebSocket origin guard")
struct WebSocketOriginGuardTests {
    static let engine = CORSEngine(policy: .tutorial)

    static func upgrade(origin: [String], host: String = "api.example.com") -> HTTPRequest {
        var fields: HTTPFields = [.upgrade: "websocket", .connection: "Upgrade"]
        for value in origin { fields.append(HTTPField(name: .origin, value: value)) }
        return HTTPRequest(method: .get, scheme: nil, authority: host, path: "/ws", headerFields: fields)
    }

    @Test func verdicts() async {
        let guardDefault = WebSocketOriginGuard()
        #expect(await guardDefault.check(Self.upgrade(origin: ["https://app.example.com"]), engine: Self.engine) == .allowed(.trustedOrigin))
        #expect(
            await guardDefault.check(Self.upgrade(origin: ["https://evil.example"]), engine: Self.engine)
                == .refused(.originNotTrusted(origin: "https://evil.example")))
        #expect(await guardDefault.check(Self.upgrade(origin: []), engine: Self.engine) == .allowed(.noOrigin))
        #expect(await guardDefault.check(Self.upgrade(origin: ["https://api.example.com"]), engine: Self.engine) == .allowed(.sameOrigin))
        #expect(
            await guardDefault.check(Self.upgrade(origin: ["https://app.example.com", "https://evil.example"]), engine: Self.engine)
                == .refused(.multipleOrigins))
        let strict = WebSocketOriginGuard(allowsMissingOrigin: false, allowsSameOrigin: false)
        #expect(await strict.check(Self.upgrade(origin: []), engine: Self.engine) == .refused(.originMissing))
        #expect(
            strict.checkStatically(Self.upgrade(origin: ["https://api.example.com"]), engine: Self.engine)
                == .refused(.originNotTrusted(origin: "https://api.example.com")))
        #expect(await strict.check(Self.upgrade(origin: ["null"]), engine: Self.engine).refusal?.label == "origin-not-trusted")
    }

    @Test func upgradeDetection() {
        #expect(WebSocketOriginGuard.isUpgrade([.upgrade: "websocket"]))
        #expect(WebSocketOriginGuard.isUpgrade([.upgrade: "h2c, WebSocket"]))
        #expect(!WebSocketOriginGuard.isUpgrade([.upgrade: "h2c"]))
        #expect(!WebSocketOriginGuard.isUpgrade([:]))
    }
}

@Suite("Report-only comparison")
struct ReportOnlyComparisonTests {
    static let engine = CORSEngine(policy: .tutorial)

    @Test("an answer that allows an origin the policy does not trust: would deny")
    func wouldDeny() {
        let request = actual(.get, origin: "https://evil.example")
        let decision = Self.engine.decide(request)
        let difference = decision.difference(
            for: request, observedStatus: .ok, observedFields: [.accessControlAllowOrigin: "*"])
        #expect(difference == .wouldDeny)
    }

    @Test("an answer without CORS fields for a trusted origin: would allow")
    func wouldAllow() {
        let request = actual(.get, origin: "https://app.example.com")
        let decision = Self.engine.decide(request)
        #expect(decision.difference(for: request, observedStatus: .ok, observedFields: [:]) == .wouldAllow)
        let preflightRequest = preflight(origin: "https://app.example.com", method: "PUT", headers: "authorization")
        let preflightDecision = Self.engine.decide(preflightRequest)
        // Hummingbird's router answers an OPTIONS it has no route for with 404.
        #expect(preflightDecision.difference(for: preflightRequest, observedStatus: .notFound, observedFields: [:]) == .wouldAllow)
    }

    @Test("both allow, but the policy would send other fields: would change headers")
    func wouldChangeHeaders() {
        let request = actual(.get, origin: "https://app.example.com")
        let decision = Self.engine.decide(request)
        let observed: HTTPFields = [.accessControlAllowOrigin: "https://app.example.com"]
        #expect(
            decision.difference(for: request, observedStatus: .ok, observedFields: observed)
                == .wouldChangeHeaders(["access-control-allow-credentials", "access-control-expose-headers", "vary"]))
    }

    @Test("the policy's own answer: no difference")
    func same() {
        for request in [
            actual(.get, origin: "https://app.example.com"), actual(.get, origin: "https://evil.example"), actual(.get, origin: nil),
        ] {
            let decision = Self.engine.decide(request)
            var fields: HTTPFields = [.contentType: "application/json"]
            decision.apply(to: &fields)
            #expect(decision.difference(for: request, observedStatus: .ok, observedFields: fields) == nil)
        }
        let preflightRequest = preflight(origin: "https://app.example.com", method: "PUT")
        let decision = Self.engine.decide(preflightRequest)
        #expect(
            decision.difference(
                for: preflightRequest, observedStatus: decision.preflightStatus, observedFields: decision.preflightHeaderFields) == nil)
    }

    @Test("a preflight answer that does not cover the asked method blocks, as in the browser")
    func preflightMethodCoverage() {
        let request = preflight(origin: "https://app.example.com", method: "PUT")
        let decision = Self.engine.decide(request)
        let observed: HTTPFields = [.accessControlAllowOrigin: "https://app.example.com", .accessControlAllowMethods: "GET"]
        #expect(decision.difference(for: request, observedStatus: .noContent, observedFields: observed) == .wouldAllow)
    }
}
