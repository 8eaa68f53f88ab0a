import HTTPTypes
import Testing

@testable import CORS

private let app = "https://app.example.com"

/// Access-Control-Request-Headers as one or more field lines.
private func preflight(headerLines: [String], method: String = "PUT") -> HTTPRequest {
    makeRequest(
        .options,
        [
            HTTPField(name: .origin, value: app),
            HTTPField(name: .accessControlRequestMethod, value: method),
        ] + headerLines.map { HTTPField(name: .accessControlRequestHeaders, value: $0) })
}

@Suite("Access-Control-Request-Headers")
struct RequestHeadersTests {
    @Test(
        "tolerant parsing: case, spaces, tabs, empty elements, several field lines",
        arguments: [
            ["authorization,content-type"],
            ["Authorization, Content-Type"],
            ["AUTHORIZATION, content-type"],
            ["content-type,authorization"],
            ["  authorization ,\tcontent-type  "],
            ["authorization,,content-type"],
            [",authorization,"],
            [",,,"],
            [""],
            [" "],
            ["authorization", "content-type"],
            ["authorization,", ",content-type"],
            ["authorization, authorization, AUTHORIZATION"],
        ])
    func tolerant(_ headerLines: [String]) {
        let decision = CORSEngine(policy: .tutorial).decide(preflight(headerLines: headerLines))
        #expect(decision.outcome == .preflightAllowed)
        #expect(decision.preflightResponse().status == .noContent)
        #expect(decision.preflightResponse().headerFields[.accessControlMaxAge] == "600")
    }

    @Test(
        "the first name not allowed is reported, lowercased, whichever line it is on",
        arguments: [
            (["authorization, X-Custom"], "x-custom"),
            (["authorization", "X-Custom"], "x-custom"),
            (["X-B, X-A"], "x-b"),
            (["authorizationx"], "authorizationx"),
            (["content-typ"], "content-typ"),
            (["*"], "*"),
            (["cookie"], "cookie"),
        ])
    func notAllowed(_ headerLines: [String], _ name: String) {
        let decision = CORSEngine(policy: .tutorial).decide(preflight(headerLines: headerLines))
        #expect(decision.outcome == .preflightDenied(.headerNotAllowed(name: name)))
        #expect(decision.preflightResponse().status == .noContent)
    }

    @Test(
        "not a list of tokens: malformed",
        arguments: [
            ["authorization, x custom"],
            ["authorization;content-type"],
            ["authorization, x@y"],
            ["x-é"],
            ["\"authorization\""],
            ["authorization", "content-type:"],
        ])
    func malformed(_ headerLines: [String]) {
        let decision = CORSEngine(policy: .tutorial).decide(preflight(headerLines: headerLines))
        #expect(decision.outcome == .preflightDenied(.malformedRequestHeaders))
        #expect(decision.denialReason?.label == "malformed-headers")
    }

    // MARK: hostile values. These only check the verdict; the work is bounded by construction.

    @Test("6,000 commas: too large")
    func sixThousandCommas() {
        let value = String(repeating: ",", count: 6_000)
        let decision = CORSEngine(policy: .tutorial).decide(preflight(headerLines: [value]))
        #expect(decision.outcome == .preflightDenied(.requestHeadersTooLarge(byteCount: 6_000)))
        #expect(decision.denialReason?.label == "headers-too-large")
        // A trusted origin's refusal still carries the real lists, and no Max-Age.
        let fields = decision.preflightResponse().headerFields
        #expect(fields[.accessControlAllowHeaders] == "Authorization, Content-Type")
        #expect(fields[.accessControlMaxAge] == nil)
    }

    @Test("1 MB value: too large")
    func oneMegabyte() {
        let value = String(repeating: "authorization,", count: 1 << 20 / 14) + "x"
        let decision = CORSEngine(policy: .tutorial).decide(preflight(headerLines: [value]))
        #expect(decision.outcome == .preflightDenied(.requestHeadersTooLarge(byteCount: value.utf8.count)))
        #expect(value.utf8.count > 1_000_000)
    }

    @Test("1 MB of one name: too large")
    func oneMegabyteName() {
        let value = String(repeating: "a", count: 1 << 20)
        let decision = CORSEngine(policy: .tutorial).decide(preflight(headerLines: [value]))
        #expect(decision.outcome == .preflightDenied(.requestHeadersTooLarge(byteCount: 1 << 20)))
    }

    @Test("many field lines count together")
    func manyLines() {
        let lines = Array(repeating: "authorization", count: 400)  // 5,200 bytes in all
        let decision = CORSEngine(policy: .tutorial).decide(preflight(headerLines: lines))
        #expect(decision.outcome == .preflightDenied(.requestHeadersTooLarge(byteCount: 400 * 13)))
    }

    @Test("200 distinct names that `*` would allow: too many elements")
    func twoHundredNames() throws {
        let value = (0..<200).map { "x-h\($0)" }.joined(separator: ",")
        #expect(value.utf8.count < RequestHeadersScanner.maximumBytes)
        let engine = CORSEngine(policy: try validPolicy(Policies.wildcardLists))
        let decision = engine.decide(preflight(headerLines: [value]))
        #expect(decision.outcome == .preflightDenied(.requestHeadersTooLarge(byteCount: value.utf8.count)))
        #expect(decision.preflightResponse().headerFields[.accessControlMaxAge] == nil)

        // 128 names are still fine.
        let limit = (0..<128).map { "x-h\($0)" }.joined(separator: ",")
        #expect(engine.decide(preflight(headerLines: [limit])).outcome == .preflightAllowed)
    }

    @Test("200 distinct names the tutorial does not allow: refused at the first")
    func twoHundredNamesTutorial() {
        let value = (0..<200).map { "x-h\($0)" }.joined(separator: ",")
        let decision = CORSEngine(policy: .tutorial).decide(preflight(headerLines: [value]))
        #expect(decision.outcome == .preflightDenied(.headerNotAllowed(name: "x-h0")))
    }

    @Test("a non-token byte after allowed names: malformed")
    func nonTokenByte() {
        let value = "authorization,content-type,x\u{7F}y"
        let decision = CORSEngine(policy: .tutorial).decide(preflight(headerLines: [value]))
        #expect(decision.outcome == .preflightDenied(.malformedRequestHeaders))
    }

    @Test("at the byte limit: still read; one byte over: refused")
    func byteLimit() throws {
        let engine = CORSEngine(policy: try validPolicy(Policies.wildcardLists))
        // 100 names of 39 bytes, then one of 96: exactly 4,096 bytes in 101 elements.
        let names = (0..<100).map { "x-" + format3($0) + String(repeating: "a", count: 34) }
        let value = names.joined(separator: ",") + ",x-" + String(repeating: "b", count: 94)
        #expect(value.utf8.count == 4_096)
        #expect(engine.decide(preflight(headerLines: [value])).outcome == .preflightAllowed)
        let over = value + "z"
        #expect(
            engine.decide(preflight(headerLines: [over])).outcome
                == .preflightDenied(.requestHeadersTooLarge(byteCount: 4_097)))
    }

    @Test("request headers of an untrusted origin are not even read")
    func untrusted() {
        let value = String(repeating: ",", count: 6_000)
        let request = makeRequest(
            .options,
            [
                HTTPField(name: .origin, value: "https://evil.example"),
                HTTPField(name: .accessControlRequestMethod, value: "PUT"),
                HTTPField(name: .accessControlRequestHeaders, value: value),
            ])
        let decision = CORSEngine(policy: .tutorial).decide(request)
        #expect(decision.outcome == .preflightDenied(.originNotAllowed(origin: "https://evil.example")))
    }
}

/// `7` → `"007"`.
private func format3(_ number: Int) -> String {
    let digits = String(number)
    return String(repeating: "0", count: 3 - digits.count) + digits
}
