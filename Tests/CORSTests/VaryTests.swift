import HTTPTypes
import Testing

@testable import CORS

private let app = "https://app.example.com"
private let preflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

@Suite("Vary")
struct VaryTests {
    /// The application's `Vary` lines before, and every `Vary` line after, for an actual request.
    @Test(
        "actual responses: appended to, never overwritten, never duplicated",
        arguments: [
            ([String](), ["Origin"]),
            (["Accept-Encoding"], ["Accept-Encoding", "Origin"]),
            (["Accept-Encoding, Accept-Language"], ["Accept-Encoding, Accept-Language", "Origin"]),
            (["Accept-Encoding", "Cookie"], ["Accept-Encoding", "Cookie", "Origin"]),
            (["Origin"], ["Origin"]),
            (["origin"], ["origin"]),
            (["ORIGIN"], ["ORIGIN"]),
            (["Accept-Encoding, origin"], ["Accept-Encoding, origin"]),
            (["Accept-Encoding,Origin"], ["Accept-Encoding,Origin"]),
            (["Accept-Encoding ,\tOrigin ,X"], ["Accept-Encoding ,\tOrigin ,X"]),
            (["X-Origin"], ["X-Origin", "Origin"]),
            (["Origins"], ["Origins", "Origin"]),
            (["*"], ["*"]),
            (["Accept-Encoding, *"], ["Accept-Encoding, *"]),
        ])
    func actualResponse(_ before: [String], _ after: [String]) {
        for origin in [app, "https://evil.example"] {
            var fields = HTTPFields(before.map { HTTPField(name: .vary, value: $0) })
            CORSEngine(policy: .tutorial).decide(actual(origin: origin)).apply(to: &fields)
            #expect(fields[values: .vary] == after, "origin \(origin)")
        }
        var noOrigin = HTTPFields(before.map { HTTPField(name: .vary, value: $0) })
        CORSEngine(policy: .tutorial).decide(actual(origin: nil)).apply(to: &noOrigin)
        #expect(noOrigin[values: .vary] == after, "no origin")
    }

    @Test(
        "preflight-shaped responses: only the missing names are appended",
        arguments: [
            ([String](), [preflightVary]),
            (["Accept-Encoding"], ["Accept-Encoding", preflightVary]),
            (["Origin"], ["Origin", "Access-Control-Request-Method, Access-Control-Request-Headers"]),
            (
                ["origin, access-control-request-headers"],
                ["origin, access-control-request-headers", "Access-Control-Request-Method"]
            ),
            ([preflightVary], [preflightVary]),
            (["*"], ["*"]),
        ])
    func preflightResponse(_ before: [String], _ after: [String]) {
        var fields = HTTPFields(before.map { HTTPField(name: .vary, value: $0) })
        CORSEngine(policy: .tutorial).decide(preflight(origin: app, method: "PUT")).apply(to: &fields)
        #expect(fields[values: .vary] == after)
        // A non-preflight OPTIONS shares its URL with preflights: same Vary.
        var options = HTTPFields(before.map { HTTPField(name: .vary, value: $0) })
        CORSEngine(policy: .tutorial).decide(makeRequest(.options, [HTTPField(name: .origin, value: app)]))
            .apply(to: &options)
        #expect(options[values: .vary] == after)
    }

    @Test("a `*` policy adds no Vary to actual responses and keeps the application's")
    func wildcardPolicy() throws {
        let engine = CORSEngine(policy: try validPolicy(Policies.publicAPI))
        for origin in [app, nil] {
            var fields = HTTPFields([HTTPField(name: .vary, value: "Accept-Encoding")])
            engine.decide(actual(origin: origin)).apply(to: &fields)
            #expect(fields[values: .vary] == ["Accept-Encoding"])
        }
    }

    @Test("applying the same decision twice changes nothing the second time")
    func idempotent() {
        let decision = CORSEngine(policy: .tutorial).decide(actual(origin: app))
        var fields = HTTPFields([HTTPField(name: .vary, value: "Accept-Encoding")])
        decision.apply(to: &fields)
        let once = fieldLines(fields)
        decision.apply(to: &fields)
        #expect(fieldLines(fields) == once)
        #expect(fields[values: .accessControlAllowOrigin] == [app])
    }
}
