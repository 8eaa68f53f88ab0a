import HTTPTypes
import Testing

@testable import CORS

@Suite("Origin patterns")
struct OriginPatternTests {
    static let patternPolicy = PolicyInput(
        allowOriginPatterns: ["https://*.example.com", "http://localhost:*"], allowCredentials: true,
        allowMethods: ["PUT"])

    static let matching = [
        "https://a.example.com",
        "https://a.b.example.com",
        "https://x-1.y2.example.com",
        "https://xn--bcher-kva.example.com",
        "http://localhost:5173",
        "http://localhost",
        "http://localhost:1",
        "http://localhost:65535",
    ]

    static let notMatching = [
        "https://example.com",
        "https://.example.com",
        "https://a..example.com",
        "https://evil-example.com",
        "https://evilexample.com",
        "https://a.example.com.evil.com",
        "https://a.example.co",
        "http://a.example.com",
        "wss://a.example.com",
        "https://A.example.com",
        "https://a.EXAMPLE.com",
        "https://a.example.com:8443",
        "https://a.example.com:443",
        "https://a.example.com/",
        "https://a.example.com.",
        "https://-a.example.com",
        "https://a_b.example.com",
        "https://a.example.com:",
        "https://" + String(repeating: "a", count: 64) + ".example.com",
        "https://а.example.com",  // Cyrillic а
        "http://localhost.evil.com",
        "http://localhost:0",
        "http://localhost:05173",
        "http://localhost:65536",
        "http://localhost:123456",
        "http://localhost:",
        "http://localhost:80a",
        "https://localhost:5173",
        "http://127.0.0.1:5173",
        "http://localhost:5173/",
        "null",
    ]

    @Test("trusted by a pattern: echoed with credentials", arguments: matching)
    func matches(_ origin: String) throws {
        let engine = CORSEngine(policy: try validPolicy(Self.patternPolicy))
        let decision = engine.decide(actual(origin: origin))
        #expect(decision.outcome == .actualAllowed)
        #expect(
            fieldLines(decision.headerFields)
                == lines([
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Credentials": "true",
                    "Vary": "Origin",
                ]))
        let pre = engine.decide(preflight(origin: origin, method: "PUT"))
        #expect(pre.outcome == .preflightAllowed)
        #expect(pre.preflightResponse().status == .noContent)
    }

    @Test("not trusted by any pattern: no Access-Control-* at all", arguments: notMatching)
    func doesNotMatch(_ origin: String) throws {
        let engine = CORSEngine(policy: try validPolicy(Self.patternPolicy))
        let decision = engine.decide(actual(origin: origin))
        #expect(decision.outcome == .actualDenied(.originNotAllowed(origin: origin)))
        #expect(fieldLines(decision.headerFields) == lines(["Vary": "Origin"]))
        let pre = engine.decide(preflight(origin: origin, method: "PUT"))
        #expect(pre.outcome == .preflightDenied(.originNotAllowed(origin: origin)))
        #expect(pre.preflightResponse().status == .forbidden)
        #expect(accessControlFields(pre.preflightResponse().headerFields).isEmpty)
    }

    @Test(
        "a loopback IP pattern with any port",
        arguments: [
            ("http://[::1]:5173", true), ("http://[::1]", true), ("http://127.0.0.1:5173", false),
            ("http://[::2]:5173", false),
        ])
    func ipv6Loopback(_ origin: String, _ trusted: Bool) throws {
        let input = PolicyInput(allowOriginPatterns: ["http://[::1]:*"], allowCredentials: true)
        let engine = CORSEngine(policy: try validPolicy(input))
        #expect(engine.decide(actual(origin: origin)).isOriginTrusted == trusted)
    }

    @Test("a 10,000-byte origin is denied even when every label would fit the pattern")
    func hugeOriginAgainstPattern() throws {
        let origin = "https://" + String(repeating: "a.", count: 4_990) + "example.com"
        #expect(origin.utf8.count == 9_999)
        let engine = CORSEngine(policy: try validPolicy(Self.patternPolicy))
        #expect(engine.decide(actual(origin: origin)).outcome == .actualDenied(.originNotAllowed(origin: origin)))
        #expect(engine.decide(actual(origin: "https://a.a.example.com")).outcome == .actualAllowed)
    }

    @Test("the bare domain is trusted only when listed in allowOrigins")
    func bareDomainOnlyWhenListed() throws {
        let input = PolicyInput(
            allowOrigins: ["https://example.com"], allowOriginPatterns: ["https://*.example.com"])
        let engine = CORSEngine(policy: try validPolicy(input))
        #expect(engine.decide(actual(origin: "https://example.com")).outcome == .actualAllowed)
        #expect(engine.decide(actual(origin: "https://www.example.com")).outcome == .actualAllowed)
    }

    @Test(
        "a pattern with an explicit port matches only that port",
        arguments: [
            ("https://a.example.com:8443", true),
            ("https://a.example.com", false),
            ("https://a.example.com:8444", false),
        ])
    func explicitPort(_ origin: String, _ trusted: Bool) throws {
        let engine = CORSEngine(policy: try validPolicy(PolicyInput(allowOriginPatterns: ["https://*.example.com:8443"])))
        #expect(engine.decide(actual(origin: origin)).isOriginTrusted == trusted)
    }

    @Test(
        "patterns broader than one registrable domain are refused",
        arguments: [
            "https://*", "http://*", "https://*.", "https://*.com", "https://*.co.uk", "https://*.github.io",
            "https://*.io", "https://*.herokuapp.com", "https://*.invalidtld",
        ])
    func tooBroad(_ pattern: String) {
        let problems = PolicyInput(allowOriginPatterns: [pattern]).problems()
        #expect(codesAndPaths(problems) == ["pattern-too-broad@allowOriginPatterns[0]"])
        #expect(problems.first?.severity == .error)
    }

    @Test(
        "malformed patterns are refused with a suggestion",
        arguments: [
            ("https://*example.com", "write https://*.example.com to allow every subdomain of example.com."),
            ("https://*.*.example.com", "write https://*.example.com to allow every subdomain of example.com."),
            ("https://app.example.com", "put it in allowOrigins, or write https://*.app.example.com or https://app.example.com:*."),
            ("https://*.192.168.0.1", "list the exact origins instead."),
        ])
    func invalid(_ pattern: String, _ fix: String) {
        let problems = PolicyInput(allowOriginPatterns: [pattern]).problems()
        #expect(codesAndPaths(problems) == ["pattern-invalid@allowOriginPatterns[0]"])
        #expect(problems.first?.fix == fix)
    }

    @Test(
        "patterns are spelled like origins",
        arguments: [
            ("https://*.example.com/", "origin-trailing-slash"),
            ("https://*.Example.com", "origin-uppercase"),
            ("https://*.example.com:443", "origin-default-port"),
            ("*.example.com", "origin-missing-scheme"),
        ])
    func spelledLikeOrigins(_ pattern: String, _ code: String) {
        let problems = PolicyInput(allowOriginPatterns: [pattern]).problems()
        #expect(codesAndPaths(problems) == ["\(code)@allowOriginPatterns[0]"])
        #expect(problems.first?.fix.hasSuffix("did you mean https://*.example.com?") == true)
    }

    @Test(
        "accepted patterns",
        arguments: [
            "https://*.example.com", "https://*.example.co.uk", "https://*.alice.github.io", "http://localhost:*",
            "https://*.example.com:*", "http://127.0.0.1:*",
        ])
    func accepted(_ pattern: String) throws {
        #expect(codesAndPaths(PolicyInput(allowOriginPatterns: [pattern]).problems()) == [])
    }

    @Test("a duplicated pattern is a warning")
    func duplicate() {
        let problems = PolicyInput(allowOriginPatterns: ["https://*.example.com", "https://*.example.com"]).problems()
        #expect(codesAndPaths(problems) == ["duplicate-origin@allowOriginPatterns[1]"])
        #expect(problems.first?.severity == .warning)
    }
}
