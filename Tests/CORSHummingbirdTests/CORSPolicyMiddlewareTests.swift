import CORS
import CORSHummingbird
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Hummingbird CORSPolicyMiddleware")
struct CORSPolicyMiddlewareTests {
    static let trusted = "https://app.example.com"
    static let untrusted = "https://evil.example"

    struct Unexpected: Error {}

    struct Teapot: HTTPResponseError {
        var status: HTTPResponse.Status { .init(code: 418) }
        func response(from request: Request, context: some RequestContext) throws -> Response {
            Response(status: status, headers: [HTTPField.Name("X-Teapot")!: "yes"])
        }
    }

    static func makeApplication(policy: CORSPolicy = .tutorial) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: CORSPolicyMiddleware(policy: policy))
        router.get("me") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", HTTPField.Name("X-Request-Id")!: "42"])
        }
        router.get("vary") { _, _ in Response(status: .ok, headers: [.vary: "Accept-Encoding"]) }
        router.get("vary-origin") { _, _ in Response(status: .ok, headers: [.vary: "origin"]) }
        router.get("boom") { _, _ -> Response in throw Unexpected() }
        router.get("teapot") { _, _ -> Response in throw Teapot() }
        router.get("forbidden") { _, _ -> Response in
            throw HTTPError(.forbidden, headers: [HTTPField.Name("X-Reason")!: "nope"], message: "no")
        }
        router.get("own-cors") { _, _ in
            Response(status: .ok, headers: [.accessControlAllowOrigin: "*"])
        }
        router.on("options-route", method: .options) { _, _ in
            Response(status: .ok, headers: [HTTPField.Name("X-Handled-By")!: "app"])
        }
        return Application(router: router)
    }

    static func execute(
        _ uri: String, _ method: HTTPRequest.Method = .get, headers: HTTPFields = [:],
        policy: CORSPolicy = .tutorial
    ) async throws -> TestResponse {
        try await makeApplication(policy: policy).test(.router) { client in
            try await client.execute(uri: uri, method: method, headers: headers)
        }
    }

    static func preflight(_ method: String, headers requested: String? = nil, origin: String = trusted) -> HTTPFields {
        var fields: HTTPFields = [.origin: origin, .accessControlRequestMethod: method]
        if let requested { fields[.accessControlRequestHeaders] = requested }
        return fields
    }

    static func corsFields(_ response: TestResponse) -> [String: String] {
        var result: [String: String] = [:]
        for field in response.headers where field.name.canonicalName.hasPrefix("access-control-") || field.name == .vary {
            result[field.name.canonicalName, default: ""] += result[field.name.canonicalName] == nil ? field.value : ", " + field.value
        }
        return result
    }

    @Test func simpleRequestFromTrustedOrigin() async throws {
        let response = try await Self.execute("/me", headers: [.origin: Self.trusted])
        #expect(response.status == .ok)
        #expect(
            Self.corsFields(response) == [
                "access-control-allow-origin": Self.trusted,
                "access-control-allow-credentials": "true",
                "access-control-expose-headers": "X-Request-Id",
                "vary": "Origin",
            ])
        #expect(response.headers[HTTPField.Name("X-Request-Id")!] == "42")
    }

    @Test func allowedPreflightIsAnsweredByTheMiddleware() async throws {
        let response = try await Self.execute(
            "/me", .options, headers: Self.preflight("PUT", headers: "authorization,content-type"))
        #expect(response.status == .noContent)
        #expect(
            Self.corsFields(response) == [
                "access-control-allow-origin": Self.trusted,
                "access-control-allow-credentials": "true",
                "access-control-allow-methods": "GET, POST, PUT, DELETE",
                "access-control-allow-headers": "Authorization, Content-Type",
                "access-control-max-age": "600",
                "vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
            ])
        #expect(response.body.readableBytes == 0)
    }

    @Test func preflightForAPathWithoutAnOptionsRouteOrWithoutAnyRoute() async throws {
        for path in ["/boom", "/does-not-exist"] {
            let response = try await Self.execute(path, .options, headers: Self.preflight("DELETE"))
            #expect(response.status == .noContent, "\(path)")
            #expect(response.headers[.accessControlAllowOrigin] == Self.trusted)
        }
    }

    @Test func deniedMethodStillNamesThePolicysRealMethods() async throws {
        let response = try await Self.execute("/me", .options, headers: Self.preflight("PATCH"))
        #expect(response.status == .noContent)
        #expect(response.headers[.accessControlAllowOrigin] == Self.trusted)
        #expect(response.headers[.accessControlAllowMethods] == "GET, POST, PUT, DELETE")
        #expect(response.headers[.accessControlMaxAge] == nil)
    }

    @Test func deniedHeaderStillNamesThePolicysRealHeaders() async throws {
        let response = try await Self.execute("/me", .options, headers: Self.preflight("GET", headers: "x-custom"))
        #expect(response.status == .noContent)
        #expect(response.headers[.accessControlAllowHeaders] == "Authorization, Content-Type")
        #expect(response.headers[.accessControlMaxAge] == nil)
    }

    @Test func untrustedOriginGetsNoAccessControlHeaders() async throws {
        let actual = try await Self.execute("/me", headers: [.origin: Self.untrusted])
        #expect(actual.status == .ok)
        #expect(Self.corsFields(actual) == ["vary": "Origin"])

        let preflight = try await Self.execute("/me", .options, headers: Self.preflight("PUT", origin: Self.untrusted))
        #expect(preflight.status == .forbidden)
        #expect(
            Self.corsFields(preflight) == [
                "vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
            ])
    }

    @Test func unknownRouteIsA404WithCORSHeaders() async throws {
        let response = try await Self.execute("/nowhere", headers: [.origin: Self.trusted])
        #expect(response.status == .notFound)
        #expect(response.headers[.accessControlAllowOrigin] == Self.trusted)
        #expect(response.headers[.accessControlAllowCredentials] == "true")
        #expect(response.headers[.vary] == "Origin")
    }

    @Test func thrownErrorOfAnyTypeIsA500WithCORSHeaders() async throws {
        let response = try await Self.execute("/boom", headers: [.origin: Self.trusted])
        #expect(response.status == .internalServerError)
        #expect(response.headers[.accessControlAllowOrigin] == Self.trusted)
        #expect(response.headers[.accessControlExposeHeaders] == "X-Request-Id")
    }

    @Test func responseErrorKeepsItsStatusAndHeaders() async throws {
        let response = try await Self.execute("/teapot", headers: [.origin: Self.trusted])
        #expect(response.status.code == 418)
        #expect(response.headers[HTTPField.Name("X-Teapot")!] == "yes")
        #expect(response.headers[.accessControlAllowOrigin] == Self.trusted)
    }

    @Test func httpErrorKeepsItsHeadersAndBody() async throws {
        let response = try await Self.execute("/forbidden", headers: [.origin: Self.trusted])
        #expect(response.status == .forbidden)
        #expect(response.headers[HTTPField.Name("X-Reason")!] == "nope")
        #expect(response.headers[.accessControlAllowOrigin] == Self.trusted)
        #expect(String(buffer: response.body) == #"{"error":{"message":"no"}}"#)
    }

    @Test func optionsWithoutRequestMethodReachesTheApplication() async throws {
        let response = try await Self.execute("/options-route", .options, headers: [.origin: Self.trusted])
        #expect(response.status == .ok)
        #expect(response.headers[HTTPField.Name("X-Handled-By")!] == "app")
        #expect(response.headers[.accessControlAllowOrigin] == Self.trusted)
        #expect(response.headers[.vary] == "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
    }

    @Test func varyIsAppendedNeverOverwrittenNeverDuplicated() async throws {
        let appended = try await Self.execute("/vary", headers: [.origin: Self.trusted])
        #expect(appended.headers[values: .vary] == ["Accept-Encoding", "Origin"])
        let kept = try await Self.execute("/vary-origin", headers: [.origin: Self.trusted])
        #expect(kept.headers[values: .vary] == ["origin"])
        let noOrigin = try await Self.execute("/vary")
        #expect(noOrigin.headers[values: .vary] == ["Accept-Encoding", "Origin"])
        #expect(noOrigin.headers[.accessControlAllowOrigin] == nil)
    }

    @Test func applicationSetAllowOriginIsReplaced() async throws {
        let response = try await Self.execute("/own-cors", headers: [.origin: Self.untrusted])
        #expect(response.headers[values: .accessControlAllowOrigin] == [])
        let trusted = try await Self.execute("/own-cors", headers: [.origin: Self.trusted])
        #expect(trusted.headers[values: .accessControlAllowOrigin] == [Self.trusted])
    }

    @Test(arguments: [
        String(repeating: ",", count: 6000),
        String(repeating: "x", count: 1 << 20),
        (0..<300).map { "x-h\($0)" }.joined(separator: ","),
    ])
    func hostileRequestHeadersGetABoundedDenial(value: String) async throws {
        let response = try await Self.execute("/me", .options, headers: Self.preflight("PUT", headers: value))
        #expect(response.status == .noContent)
        #expect(response.headers[.accessControlAllowOrigin] == Self.trusted)
        #expect(response.headers[.accessControlMaxAge] == nil)
        #expect(response.headers[.accessControlAllowHeaders] == "Authorization, Content-Type")
    }
}
