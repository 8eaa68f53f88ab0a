import CORS
import CORSVapor
import Foundation
import Testing
import VaporTesting

@Suite("Vapor CORSPolicyMiddleware")
struct CORSPolicyMiddlewareTests {
    static let trusted = "https://app.example.com"
    static let untrusted = "https://evil.example"
    static let preflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

    struct Unexpected: Error {}

    /// Where the test installs the middleware.
    enum Placement: Sendable {
        /// `app.middleware.use(corsPolicy:)`: first.
        case recommended
        /// `app.middleware.use(CORSPolicyMiddleware(…))`: after Vapor's ErrorMiddleware.
        case afterErrorMiddleware
        /// On a route group.
        case routeGroup
    }

    static func withApp<T>(
        policy: CORSPolicy = .tutorial, placement: Placement = .recommended, logs: LogStore? = nil,
        _ body: (Application) async throws -> T
    ) async throws -> T {
        let app: Application
        if let logs {
            var logger = Logger(label: "test") { _ in CapturingLogHandler(store: logs) }
            logger.logLevel = .debug
            app = try await Application.make(.testing, logger: logger)
        } else {
            app = try await Application.make(.testing, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        }
        var routes: any RoutesBuilder = app
        switch placement {
        case .recommended: app.middleware.use(corsPolicy: policy)
        case .afterErrorMiddleware: app.middleware.use(CORSPolicyMiddleware(policy: policy))
        case .routeGroup: routes = app.grouped(CORSPolicyMiddleware(policy: policy))
        }
        routes.get("me") { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = .json
            headers.add(name: "X-Request-Id", value: "42")
            return Response(status: .ok, headers: headers, body: .init(string: #"{"user":"alice"}"#))
        }
        routes.get("vary") { _ in Response(status: .ok, headers: ["Vary": "Accept-Encoding"]) }
        routes.get("vary-origin") { _ in Response(status: .ok, headers: ["Vary": "origin"]) }
        routes.get("boom") { _ -> Response in throw Unexpected() }
        routes.get("abort") { _ -> Response in
            throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer"], reason: "log in first")
        }
        routes.get("own-cors") { _ in Response(status: .ok, headers: ["Access-Control-Allow-Origin": "*"]) }
        routes.on(.OPTIONS, "options-route") { _ in Response(status: .ok, headers: ["X-Handled-By": "app"]) }
        do {
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    static func execute(
        _ path: String, _ method: HTTPMethod = .GET, headers: HTTPHeaders = [:], policy: CORSPolicy = .tutorial,
        placement: Placement = .recommended
    ) async throws -> TestingHTTPResponse {
        try await withApp(policy: policy, placement: placement) { app in
            try await app.testing().sendRequest(method, path, headers: headers)
        }
    }

    static func preflight(_ method: String, headers requested: String? = nil, origin: String = trusted) -> HTTPHeaders {
        var headers: HTTPHeaders = ["Origin": origin, "Access-Control-Request-Method": method]
        if let requested { headers.add(name: "Access-Control-Request-Headers", value: requested) }
        return headers
    }

    /// The response's `Access-Control-*` and `Vary` fields, lowercased names, values of repeated
    /// fields joined with ", ".
    static func corsFields(_ response: TestingHTTPResponse) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in response.headers {
            let lower = name.lowercased()
            guard lower.hasPrefix("access-control-") || lower == "vary" else { continue }
            result[lower] = result[lower].map { $0 + ", " + value } ?? value
        }
        return result
    }

    /// The response body as a JSON object (Vapor's error bodies have no fixed key order).
    static func json(_ response: TestingHTTPResponse) throws -> NSDictionary {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? NSDictionary)
    }

    @Test func simpleRequestFromTrustedOrigin() async throws {
        let response = try await Self.execute("/me", headers: ["Origin": Self.trusted])
        #expect(response.status == .ok)
        #expect(
            Self.corsFields(response) == [
                "access-control-allow-origin": Self.trusted,
                "access-control-allow-credentials": "true",
                "access-control-expose-headers": "X-Request-Id",
                "vary": "Origin",
            ])
        #expect(response.headers.first(name: "X-Request-Id") == "42")
        #expect(response.body.string == #"{"user":"alice"}"#)
    }

    @Test func allowedPreflightIsAnsweredByTheMiddleware() async throws {
        let response = try await Self.execute(
            "/me", .OPTIONS, headers: Self.preflight("PUT", headers: "authorization,content-type"))
        #expect(response.status == .noContent)
        #expect(
            Self.corsFields(response) == [
                "access-control-allow-origin": Self.trusted,
                "access-control-allow-credentials": "true",
                "access-control-allow-methods": "GET, POST, PUT, DELETE",
                "access-control-allow-headers": "Authorization, Content-Type",
                "access-control-max-age": "600",
                "vary": Self.preflightVary,
            ])
        #expect(response.body.readableBytes == 0)
    }

    @Test func preflightForAPathWithoutAnOptionsRouteOrWithoutAnyRoute() async throws {
        for path in ["/boom", "/does-not-exist"] {
            let response = try await Self.execute(path, .OPTIONS, headers: Self.preflight("DELETE"))
            #expect(response.status == .noContent, "\(path)")
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") == Self.trusted)
        }
    }

    @Test func deniedMethodStillNamesThePolicysRealMethods() async throws {
        let response = try await Self.execute("/me", .OPTIONS, headers: Self.preflight("PATCH"))
        #expect(response.status == .noContent)
        #expect(
            Self.corsFields(response) == [
                "access-control-allow-origin": Self.trusted,
                "access-control-allow-credentials": "true",
                "access-control-allow-methods": "GET, POST, PUT, DELETE",
                "access-control-allow-headers": "Authorization, Content-Type",
                "vary": Self.preflightVary,
            ])
    }

    @Test func deniedHeaderStillNamesThePolicysRealHeaders() async throws {
        let response = try await Self.execute("/me", .OPTIONS, headers: Self.preflight("GET", headers: "x-custom"))
        #expect(response.status == .noContent)
        #expect(response.headers.first(name: "Access-Control-Allow-Headers") == "Authorization, Content-Type")
        #expect(response.headers.first(name: "Access-Control-Max-Age") == nil)
    }

    @Test func untrustedOriginGetsNoAccessControlHeaders() async throws {
        let actual = try await Self.execute("/me", headers: ["Origin": Self.untrusted])
        #expect(actual.status == .ok)
        #expect(Self.corsFields(actual) == ["vary": "Origin"])

        let preflight = try await Self.execute("/me", .OPTIONS, headers: Self.preflight("PUT", origin: Self.untrusted))
        #expect(preflight.status == .forbidden)
        #expect(Self.corsFields(preflight) == ["vary": Self.preflightVary])
        #expect(preflight.body.readableBytes == 0)
    }

    @Test func unknownRouteIsA404WithCORSHeaders() async throws {
        let response = try await Self.execute("/nowhere", headers: ["Origin": Self.trusted])
        #expect(response.status == .notFound)
        #expect(
            Self.corsFields(response) == [
                "access-control-allow-origin": Self.trusted,
                "access-control-allow-credentials": "true",
                "access-control-expose-headers": "X-Request-Id",
                "vary": "Origin",
            ])
    }

    @Test func thrownErrorOfAnyTypeIsA500WithCORSHeaders() async throws {
        let response = try await Self.execute("/boom", headers: ["Origin": Self.trusted])
        #expect(response.status == .internalServerError)
        #expect(response.headers.first(name: "Access-Control-Allow-Origin") == Self.trusted)
        #expect(response.headers.first(name: "Access-Control-Expose-Headers") == "X-Request-Id")
        #expect(response.headers.first(name: "Vary") == "Origin")
    }

    @Test func abortKeepsItsStatusHeadersAndBody() async throws {
        let response = try await Self.execute("/abort", headers: ["Origin": Self.trusted])
        #expect(response.status == .unauthorized)
        #expect(response.headers.first(name: "WWW-Authenticate") == "Bearer")
        #expect(response.headers.first(name: "Access-Control-Allow-Origin") == Self.trusted)
        #expect(try Self.json(response) == ["error": true, "reason": "log in first"])
    }

    @Test func optionsWithoutRequestMethodReachesTheApplication() async throws {
        let response = try await Self.execute("/options-route", .OPTIONS, headers: ["Origin": Self.trusted])
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "X-Handled-By") == "app")
        #expect(response.headers.first(name: "Access-Control-Allow-Origin") == Self.trusted)
        #expect(response.headers.first(name: "Vary") == Self.preflightVary)
    }

    @Test func varyIsAppendedNeverOverwrittenNeverDuplicated() async throws {
        let appended = try await Self.execute("/vary", headers: ["Origin": Self.trusted])
        #expect(appended.headers["Vary"] == ["Accept-Encoding", "Origin"])
        let kept = try await Self.execute("/vary-origin", headers: ["Origin": Self.trusted])
        #expect(kept.headers["Vary"] == ["origin"])
        let noOrigin = try await Self.execute("/vary")
        #expect(noOrigin.headers["Vary"] == ["Accept-Encoding", "Origin"])
        #expect(noOrigin.headers["Access-Control-Allow-Origin"] == [])
    }

    @Test func applicationSetAllowOriginIsReplaced() async throws {
        let untrusted = try await Self.execute("/own-cors", headers: ["Origin": Self.untrusted])
        #expect(untrusted.headers["Access-Control-Allow-Origin"] == [])
        let trusted = try await Self.execute("/own-cors", headers: ["Origin": Self.trusted])
        #expect(trusted.headers["Access-Control-Allow-Origin"] == [Self.trusted])
    }

    @Test func mixedCaseRequestFieldNamesAreRecognised() async throws {
        let response = try await Self.execute(
            "/me", .OPTIONS,
            headers: ["oRiGiN": Self.trusted, "ACCESS-CONTROL-REQUEST-METHOD": "PUT", "access-control-request-headers": "Authorization"])
        #expect(response.status == .noContent)
        #expect(response.headers.first(name: "Access-Control-Max-Age") == "600")
    }

    @Test(arguments: [
        String(repeating: ",", count: 6000),
        String(repeating: "x", count: 1 << 20),
        (0..<300).map { "x-h\($0)" }.joined(separator: ","),
    ])
    func hostileRequestHeadersGetABoundedDenial(value: String) async throws {
        let response = try await Self.execute("/me", .OPTIONS, headers: Self.preflight("PUT", headers: value))
        #expect(response.status == .noContent)
        #expect(response.headers.first(name: "Access-Control-Allow-Origin") == Self.trusted)
        #expect(response.headers.first(name: "Access-Control-Max-Age") == nil)
        #expect(response.headers.first(name: "Access-Control-Allow-Headers") == "Authorization, Content-Type")
    }

    // MARK: - Placement

    @Test func installsItselfAheadOfErrorMiddleware() async throws {
        try await Self.withApp { app in
            let chain = app.middleware.resolve()
            #expect(chain.first is CORSPolicyMiddleware)
            #expect(chain.contains { $0 is ErrorMiddleware })
        }
    }

    @Test(arguments: ["/boom", "/abort", "/nowhere"])
    func errorsGetCORSHeadersEvenAfterErrorMiddleware(path: String) async throws {
        let wrong = try await Self.execute(path, headers: ["Origin": Self.trusted], placement: .afterErrorMiddleware)
        let right = try await Self.execute(path, headers: ["Origin": Self.trusted])
        #expect(wrong.status == right.status)
        #expect(Self.corsFields(wrong) == Self.corsFields(right))
        #expect(wrong.headers.first(name: "Access-Control-Allow-Origin") == Self.trusted)
        #expect(try Self.json(wrong) == Self.json(right))
        #expect(wrong.headers.first(name: "WWW-Authenticate") == right.headers.first(name: "WWW-Authenticate"))
    }

    @Test func warnsOnceWhenItRunsAfterErrorMiddleware() async throws {
        let logs = LogStore()
        try await Self.withApp(placement: .afterErrorMiddleware, logs: logs) { app in
            let tester = try app.testing()
            for _ in 0..<3 {
                _ = try await tester.sendRequest(.GET, "/me", headers: ["Origin": Self.trusted])
            }
        }
        let warnings = logs.messages(at: .warning)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("CORSPolicyMiddleware runs after ErrorMiddleware (middleware 2 vs 1).") == true)
    }

    @Test func warnsOnceWhenItIsOnARouteGroup() async throws {
        let logs = LogStore()
        try await Self.withApp(placement: .routeGroup, logs: logs) { app in
            let tester = try app.testing()
            let routed = try await tester.sendRequest(.GET, "/me", headers: ["Origin": Self.trusted])
            #expect(routed.headers.first(name: "Access-Control-Allow-Origin") == Self.trusted)
            _ = try await tester.sendRequest(.GET, "/me", headers: ["Origin": Self.trusted])
        }
        let warnings = logs.messages(at: .warning)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("CORSPolicyMiddleware is not in app.middleware (added to a route group?).") == true)
    }

    @Test func noWarningWhenInstalledTheRecommendedWay() async throws {
        let logs = LogStore()
        try await Self.withApp(logs: logs) { app in
            _ = try await app.testing().sendRequest(.GET, "/me", headers: ["Origin": Self.trusted])
        }
        #expect(logs.messages(at: .warning) == [])
    }

    @Test func customErrorMiddlewareRendersErrorsThatReachTheCORSLayer() async throws {
        let app = try await Application.make(.testing)
        app.middleware = Middlewares()
        let teapot = ErrorMiddleware { _, _ in Response(status: .init(statusCode: 418), headers: ["X-Teapot": "yes"]) }
        app.middleware.use(corsPolicy: .tutorial, errorMiddleware: teapot)
        app.get("boom") { _ -> Response in throw Unexpected() }
        let response = try await app.testing().sendRequest(.GET, "/boom", headers: ["Origin": Self.trusted])
        try await app.asyncShutdown()
        #expect(response.status.code == 418)
        #expect(response.headers.first(name: "X-Teapot") == "yes")
        #expect(response.headers.first(name: "Access-Control-Allow-Origin") == Self.trusted)
    }

    // MARK: - Logging

    @Test func denialsAreLoggedAtDebugLevelWithTheirReason() async throws {
        let logs = LogStore()
        try await Self.withApp(logs: logs) { app in
            _ = try await app.testing().sendRequest(.GET, "/me", headers: ["Origin": Self.untrusted])
            _ = try await app.testing().sendRequest(.OPTIONS, "/me", headers: Self.preflight("PATCH"))
        }
        let denials = logs.entries.filter { $0.level == .debug && $0.message.hasPrefix("CORS ") }
        #expect(
            denials.map(\.message) == [
                "CORS actual request denied: origin \"https://evil.example\" is not allowed (not in allowOrigins, matches no allowOriginPatterns)",
                "CORS preflight request denied: method \"PATCH\" is not in allowMethods",
            ])
        #expect(denials.map { $0.metadata["cors.reason"] } == ["origin", "method"])
        #expect(denials.map { $0.metadata["cors.decision"] } == ["actual-denied", "preflight-denied"])
    }
}
