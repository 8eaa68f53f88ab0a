import HTTPTypes
import Testing

@testable import CORS

/// The minimal adapter for another framework from the Architecture article of the `CORS`
/// documentation (`Sources/CORS/CORS.docc/Architecture.md`), verbatim in its logic: it compiles,
/// answers a preflight itself and decorates every other response.
@Suite("The Architecture article's minimal adapter")
struct MinimalAdapterExampleTests {
    let engine: CORSEngine

    init() throws {
        engine = CORSEngine(
            policy: try CORSPolicy(
                allowOrigins: ["https://app.example.com"], allowCredentials: true,
                allowMethods: ["GET", "PUT"], allowHeaders: ["Authorization", "Content-Type"]))
    }

    func handle(_ request: HTTPRequest, next: (HTTPRequest) async -> HTTPResponse) async -> HTTPResponse {
        let decision = await engine.decide(request)
        if decision.isPreflight {
            return HTTPResponse(status: decision.preflightStatus, headerFields: decision.preflightHeaderFields)
        }
        var response = await next(request)
        decision.apply(to: &response.headerFields)
        return response
    }

    @Test("a trusted preflight is answered without the application; an actual request is decorated")
    func minimalAdapter() async {
        var calls = 0
        let preflight = HTTPRequest(
            method: .options, scheme: "https", authority: "api.example.com", path: "/me",
            headerFields: [
                .origin: "https://app.example.com", .accessControlRequestMethod: "PUT",
                .accessControlRequestHeaders: "authorization",
            ])
        let answer = await handle(preflight) { _ in
            calls += 1
            return HTTPResponse(status: .notFound)
        }
        #expect(calls == 0)
        #expect(answer.status == .noContent)
        #expect(answer.headerFields[.accessControlAllowOrigin] == "https://app.example.com")
        #expect(answer.headerFields[.accessControlAllowMethods] == "GET, PUT")
        #expect(answer.headerFields[.vary] == "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")

        let get = HTTPRequest(
            method: .get, scheme: "https", authority: "api.example.com", path: "/me",
            headerFields: [.origin: "https://evil.example"])
        let denied = await handle(get) { _ in
            calls += 1
            return HTTPResponse(status: .ok, headerFields: [.accessControlAllowOrigin: "*"])
        }
        #expect(calls == 1)
        #expect(denied.headerFields[.accessControlAllowOrigin] == nil, "the application's own grant is replaced")
        #expect(denied.headerFields[.vary] == "Origin")
    }
}
