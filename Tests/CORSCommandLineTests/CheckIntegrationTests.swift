import CORS
import CORSBrowserModel
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import CORSCommandLine
import CORSTestSupport

/// `cors check` over real HTTP (AsyncHTTPClient) against servers on 127.0.0.1: the tutorial's
/// demo API, and small servers broken in each of the tutorial's ways.
@Suite("cors check against live servers")
struct CheckIntegrationTests {
    static let frontend = "http://localhost:5173"

    // MARK: The demo API

    @Test("Demo API, tutorial policy: the frontend's calls pass, a header it does not allow fails, evil.example fails")
    func demoWithTutorialPolicy() async throws {
        try await withCheckDemo(policy: .tutorial) { server in try await demoWithTutorialPolicy(server) }
    }

    func demoWithTutorialPolicy(_ server: CheckServer) async throws {
        let me = "\(server.baseURL)/me"

        let get = try await runCheck([me, "--origin", Self.frontend, "--credentials", "include", "--json"])
        #expect(get.exitCode == 0)
        let getJSON = try checkParseJSON(get.output)
        #expect(getJSON["verdict"] as? String == "allowed")
        #expect(getJSON["exposedHeaders"] as? [String] == ["content-length", "content-type", "x-request-id"])
        #expect(getJSON["fixes"] as? [String] == [])
        #expect(getJSON["warnings"] as? [String] == [])

        let put = try await runCheck([
            me, "--origin", Self.frontend, "--method", "PUT", "-H", "X-Api-Key: k", "-H", "Content-Type: application/json",
            "--credentials", "include",
        ])
        #expect(put.exitCode == 1)
        let putReport = try #require(put.report)
        #expect(putReport.failure == CORSFailure(.headerDisallowedByPreflightResponse, failedParameter: "x-api-key"))
        #expect(
            putReport.consoleMessage
                == "Access to fetch at '\(me)' from origin 'http://localhost:5173' has been blocked by CORS policy: Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response."
        )
        #expect(putReport.pitfalls == [.headerNotAllowed])
        #expect(
            putReport.fixes.flatMap(\.lines) == [
                "Send the response header 'Access-Control-Allow-Headers: Authorization, Content-Type, X-Api-Key'.",
                #"swift-cors CORSPolicy: "allowHeaders": ["Authorization", "Content-Type", "X-Api-Key"]"#,
                #"FastAPI/Starlette: CORSMiddleware(..., allow_headers=["Authorization", "Content-Type", "X-Api-Key"])"#,
                "Or stop sending 'X-Api-Key' from the client.",
            ])
        #expect(put.output.contains("    ✗ request header 'x-api-key' is not allowed by Access-Control-Allow-Headers ('Authorization, Content-Type')"))
        #expect(put.output.contains("Verdict: BLOCKED — HeaderDisallowedByPreflightResponse ('x-api-key')"))
        #expect(putReport.steps.count == 1)

        let evil = try await runCheck([me, "--origin", "https://evil.example"])
        #expect(evil.exitCode == 1)
        #expect(evil.report?.failure == CORSFailure(.missingAllowOriginHeader))
        #expect(
            evil.report?.consoleMessage
                == "Access to fetch at '\(me)' from origin 'https://evil.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
        )
        #expect(
            evil.report?.fixes.flatMap(\.lines) == [
                "Send the response header 'Access-Control-Allow-Origin: https://evil.example'.",
                "Send the response header 'Vary: Origin'.",
                #"swift-cors CORSPolicy: add "https://evil.example" to allowOrigins."#,
                #"FastAPI/Starlette: app.add_middleware(CORSMiddleware, allow_origins=[..., "https://evil.example"])"#,
            ])

        // The demo's handler error still carries the CORS headers: the page sees the 500.
        let boom = try await runCheck(["\(server.baseURL)/boom", "--origin", Self.frontend])
        #expect(boom.exitCode == 0)
        #expect(boom.report?.readable?.status.code == 500)

        // Both cookies are set; only the one without SameSite=None is the pitfall.
        let login = try await runCheck([
            "\(server.baseURL)/login", "--origin", Self.frontend, "--method", "POST", "--credentials", "include",
        ])
        #expect(login.exitCode == 0)
        let loginReport = try #require(login.report)
        #expect(loginReport.pitfalls == [.cookieWithoutSameSiteNone])
        #expect(
            loginReport.warnings == [
                "cookie-without-samesite-none: Set-Cookie 'legacy' lacks 'SameSite=None; Secure': the browser will not send that cookie cross-site."
            ])
        #expect(loginReport.fixes.first?.headers == ["Set-Cookie: legacy=alice; Path=/; HttpOnly; SameSite=None; Secure"])
        #expect(loginReport.fixes.first?.fastAPI == #"response.set_cookie("legacy", value, samesite="none", secure=True)"#)

        // The demo's /redirect works (the hop carries CORS headers) but is named as a pitfall.
        let redirect = try await runCheck(["\(server.baseURL)/redirect", "--origin", Self.frontend])
        #expect(redirect.exitCode == 0)
        #expect(redirect.report?.pitfalls == [.redirect])
        #expect(redirect.report?.fixes.first?.other == ["Call '\(me)' directly from the page instead of '\(server.baseURL)/redirect'."])
    }

    @Test("Demo API, a policy trusting the test origin: a credentialed PUT with Authorization passes after its preflight")
    func demoWithPolicyTrustingTheTestOrigin() async throws {
        let origin = "https://test.example"
        let policy = try CORSPolicy(
            allowOrigins: [origin], allowCredentials: true, allowMethods: ["PUT", "DELETE"],
            allowHeaders: ["Authorization", "Content-Type"], exposeHeaders: ["X-Request-Id"], maxAge: 60)
        try await withCheckDemo(policy: policy) { server in try await demoTrustingTheTestOrigin(server, origin: origin) }
    }

    func demoTrustingTheTestOrigin(_ server: CheckServer, origin: String) async throws {
        let put = try await runCheck([
            "\(server.baseURL)/me", "--origin", origin, "--method", "PUT", "-H", "Authorization: Bearer t", "-H",
            "Content-Type: application/json", "--credentials", "include", "--json",
        ])
        #expect(put.exitCode == 0)
        let json = try checkParseJSON(put.output)
        #expect(json["verdict"] as? String == "allowed")
        let preflight = try #require(json["preflight"] as? [String: Any])
        let preflightResponse = try #require(preflight["response"] as? [String: Any])
        #expect(preflightResponse["status"] as? Int == 204)
        let headers = try #require(preflightResponse["headers"] as? [String: String])
        #expect(headers["Access-Control-Allow-Origin"] == origin)
        #expect(headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type")
        #expect(headers["Access-Control-Max-Age"] == "60")
        let actual = try #require(json["actual"] as? [String: Any])
        #expect((actual["response"] as? [String: Any])?["status"] as? Int == 200)

        let delete = try await runCheck([
            "\(server.baseURL)/me", "--origin", origin, "--method", "DELETE", "--credentials", "include",
        ])
        #expect(delete.exitCode == 0)
        #expect(delete.report?.readable?.status.code == 204)
        #expect(delete.report?.steps.map(\.kind) == [.preflight, .actual])
    }

    // MARK: Broken servers

    @Test("No Access-Control-Allow-Origin at all: MissingAllowOriginHeader")
    func missingAllowOrigin() async throws {
        let router = Router()
        router.get("data") { _, _ in checkServerResponse(.ok, [("Content-Type", "application/json")], body: "{}") }
        try await withCheckServer(router) { server in
            let result = try await runCheck(["\(server.baseURL)/data", "--origin", Self.frontend, "--json"])
            #expect(result.exitCode == 1)
            let json = try checkParseJSON(result.output)
            #expect(json["verdict"] as? String == "blocked")
            #expect(json["reason"] as? String == "MissingAllowOriginHeader")
            #expect(json["failedParameter"] is NSNull)
            #expect(
                json["consoleMessage"] as? String
                    == "Access to fetch at '\(server.baseURL)/data' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
            )
            #expect(json["preflight"] is NSNull)
            #expect(
                json["fixes"] as? [String] == [
                    "Send the response header 'Access-Control-Allow-Origin: http://localhost:5173'.",
                    "Send the response header 'Vary: Origin'.",
                    #"swift-cors CORSPolicy: add "http://localhost:5173" to allowOrigins."#,
                    #"FastAPI/Starlette: app.add_middleware(CORSMiddleware, allow_origins=[..., "http://localhost:5173"])"#,
                ])
        }
    }

    @Test("'*' with credentials: WildcardOriginNotAllowed, named as the tutorial's pitfall")
    func wildcardWithCredentials() async throws {
        let router = Router()
        router.get("data") { _, _ in
            checkServerResponse(.ok, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true")])
        }
        try await withCheckServer(router) { server in
            let result = try await runCheck(["\(server.baseURL)/data", "--origin", Self.frontend, "--credentials", "include"])
            #expect(result.exitCode == 1)
            let report = try #require(result.report)
            #expect(report.failure == CORSFailure(.wildcardOriginNotAllowed))
            #expect(
                report.consoleMessage
                    == "Access to fetch at '\(server.baseURL)/data' from origin 'http://localhost:5173' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."
            )
            #expect(report.pitfalls == [.wildcardWithCredentials])
            #expect(result.output.contains("Pitfalls: wildcard with credentials"))
            #expect(
                report.fixes.first?.fastAPI
                    == #"CORSMiddleware(..., allow_origins=["http://localhost:5173"], allow_credentials=True): list the origins, not ["*"]."#
            )
            // Without credentials the same server is fine.
            let omit = try await runCheck(["\(server.baseURL)/data", "--origin", Self.frontend, "--credentials", "omit"])
            #expect(omit.exitCode == 0)
        }
    }

    @Test("A redirected preflight: PreflightDisallowedRedirect, the redirect is not followed")
    func redirectedPreflight() async throws {
        let log = CheckRequestLog()
        let router = Router()
        router.add(middleware: CheckRecordingMiddleware(log: log))
        router.on("api", method: .options) { _, _ in checkServerResponse(.permanentRedirect, [("Location", "/v2/api")]) }
        router.on("v2/api", method: .options) { _, _ in
            checkServerResponse(.noContent, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "PUT")])
        }
        try await withCheckServer(router) { server in
            let result = try await runCheck(["\(server.baseURL)/api", "--origin", Self.frontend, "--method", "PUT"])
            #expect(result.exitCode == 1)
            let report = try #require(result.report)
            #expect(report.failure == CORSFailure(.preflightDisallowedRedirect, offendingValue: "/v2/api"))
            #expect(
                report.consoleMessage
                    == "Access to fetch at '\(server.baseURL)/api' from origin 'http://localhost:5173' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request."
            )
            #expect(report.pitfalls == [.redirect])
            #expect(report.fixes.first?.other == ["Call '\(server.baseURL)/v2/api' directly from the page instead of '\(server.baseURL)/api'."])
            #expect(report.fixes.first?.problem.hasSuffix("serve the canonical URL directly.") == true)
            #expect(log.all.map { "\($0.method) \($0.path)" } == ["OPTIONS /api"])
        }
    }

    @Test("A 500 without CORS headers: a server error hidden by CORS")
    func serverErrorWithoutCORSHeaders() async throws {
        let router = Router()
        router.get("boom") { _, _ in checkServerResponse(.internalServerError, body: "Internal Server Error") }
        try await withCheckServer(router) { server in
            let result = try await runCheck(["\(server.baseURL)/boom", "--origin", Self.frontend, "--json"])
            #expect(result.exitCode == 1)
            let json = try checkParseJSON(result.output)
            #expect(json["reason"] as? String == "MissingAllowOriginHeader")
            #expect(json["pitfalls"] as? [String] == ["error-without-cors-headers"])
            let details = try #require(json["fixDetails"] as? [[String: Any]])
            #expect(
                details.first?["problem"] as? String
                    == "The response is a 500 Internal Server Error without CORS headers: this is a server error hidden by CORS: check the server's logs, and make error responses carry CORS headers."
            )
            let fixes = try #require(json["fixes"] as? [String])
            #expect(fixes.contains("Check the server's logs for the 500 on GET /boom."))
            #expect(fixes.contains { $0.hasPrefix("FastAPI/Starlette: Starlette's ServerErrorMiddleware sits outside") })
            #expect((json["actual"] as? [String: Any]).flatMap { ($0["response"] as? [String: Any])?["status"] as? Int } == 500)
        }
    }

    @Test("A credentialed request whose Set-Cookie lacks SameSite=None: allowed, with the cookie warning")
    func cookieWithoutSameSiteNone() async throws {
        let router = Router()
        router.post("login") { _, _ in
            checkServerResponse(
                .noContent,
                [
                    ("Access-Control-Allow-Origin", Self.frontend), ("Access-Control-Allow-Credentials", "true"),
                    ("Set-Cookie", "sid=1; Path=/; HttpOnly; SameSite=Lax"),
                ])
        }
        try await withCheckServer(router) { server in
            let result = try await runCheck([
                "\(server.baseURL)/login", "--origin", Self.frontend, "--method", "POST", "--credentials", "include", "--json",
            ])
            #expect(result.exitCode == 0)
            let json = try checkParseJSON(result.output)
            #expect(json["verdict"] as? String == "allowed")
            #expect(json["pitfalls"] as? [String] == ["cookie-without-samesite-none"])
            #expect(
                json["warnings"] as? [String] == [
                    "cookie-without-samesite-none: Set-Cookie 'sid' lacks 'SameSite=None; Secure': the browser will not send that cookie cross-site."
                ])
            #expect(
                json["fixes"] as? [String] == [
                    "Send the response header 'Set-Cookie: sid=1; Path=/; HttpOnly; SameSite=None; Secure'.",
                    "swift-cors CORSPolicy: not a CORS setting: the handler that sets 'sid' must add 'SameSite=None; Secure', and the API must be served over https (browsers drop Secure cookies set over plain http, except on localhost).",
                    #"FastAPI/Starlette: response.set_cookie("sid", value, samesite="none", secure=True)"#,
                ])
        }
    }

    @Test("A redirect on the actual request to another origin: Authorization dropped, Origin null, AllowOriginMismatch")
    func crossOriginRedirectOnTheActualRequest() async throws {
        let targetLog = CheckRequestLog()
        let targetRouter = Router()
        targetRouter.add(middleware: CheckRecordingMiddleware(log: targetLog))
        targetRouter.get("new") { _, _ in checkServerResponse(.ok, [("Access-Control-Allow-Origin", Self.frontend)]) }
        try await withCheckServer(targetRouter) { target in
            let router = Router()
            let allow = [("Access-Control-Allow-Origin", Self.frontend)]
            router.on("old", method: .options) { _, _ in
                checkServerResponse(.noContent, allow + [("Access-Control-Allow-Headers", "Authorization")])
            }
            router.get("old") { _, _ in checkServerResponse(.found, allow + [("Location", "\(target.baseURL)/new")]) }
            try await withCheckServer(router) { server in
                let result = try await runCheck([
                    "\(server.baseURL)/old", "--origin", Self.frontend, "-H", "Authorization: Bearer t",
                ])
                #expect(result.exitCode == 1)
                let report = try #require(result.report)
                #expect(report.failure == CORSFailure(.allowOriginMismatch, failedParameter: Self.frontend))
                #expect(
                    report.consoleMessage
                        == "Access to fetch at '\(target.baseURL)/new' (redirected from '\(server.baseURL)/old') from origin 'http://localhost:5173' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://localhost:5173' that is not equal to the supplied origin. Have the server send the header with a valid value."
                )
                #expect(report.pitfalls == [.redirect])
                #expect(
                    report.fixes.first?.other == ["Call '\(target.baseURL)/new' directly from the page instead of '\(server.baseURL)/old'."])
                let received = try #require(targetLog.all.first)
                #expect(targetLog.all.count == 1)
                #expect(received.headerFields[.origin] == "null")
                #expect(received.headerFields[.authorization] == nil)
                #expect(result.output.contains("· the browser drops authorization on this hop"))
                #expect(
                    result.output.contains(
                        "    ✗ Access-Control-Allow-Origin 'http://localhost:5173' is not the request's Origin 'null'"))
            }
        }
    }

    // MARK: Network failures

    @Test("An unreachable port: exit 2 and one line naming 'connection refused'")
    func connectionRefused() async throws {
        let socket = try CheckSilentSocket(listening: false)
        let url = "http://127.0.0.1:\(socket.port)/me"
        let result = try await runCheck([url, "--origin", Self.frontend, "--json"])
        #expect(result.exitCode == 2)
        #expect(result.output.isEmpty)
        #expect(result.errorLine == "connection refused: nothing listens on 127.0.0.1:\(socket.port) (GET \(url))")
        withExtendedLifetime(socket) {}
    }

    @Test("--timeout against a server that never answers: exit 2, in bounded time")
    func timeout() async throws {
        let socket = try CheckSilentSocket(listening: true)
        let url = "http://127.0.0.1:\(socket.port)/slow"
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await runCheck([url, "--origin", Self.frontend, "--timeout", "0.5"])
        let elapsed = clock.now - start
        #expect(result.exitCode == 2)
        #expect(result.errorLine == "timeout: no response from 127.0.0.1:\(socket.port) within 0.5 s (GET \(url))")
        // 0.5 s plus start-up; generous because the whole bundle shares two cores.
        #expect(elapsed < .seconds(30))
        withExtendedLifetime(socket) {}
    }

    @Test(
        "The cors executable: one stderr line and status 2 on a refused connection; one JSON document and status 1 when blocked",
        )
    func executable() async throws {
        let socket = try CheckSilentSocket(listening: false)
        let refused = try await CORSExecutable.run(["check", "http://127.0.0.1:\(socket.port)/", "--origin", Self.frontend])
        #expect(refused.status == 2)
        #expect(refused.standardOutput.isEmpty)
        #expect(
            refused.standardError
                == "cors: connection refused: nothing listens on 127.0.0.1:\(socket.port) (GET http://127.0.0.1:\(socket.port)/)\n")
        withExtendedLifetime(socket) {}

        let invalid = try await CORSExecutable.run(["check", "http://x/", "--origin", "nope"])
        #expect(invalid.status == 2)
        #expect(invalid.standardError == "cors: invalid --origin: 'nope' is not a valid origin: use scheme://host[:port] or null.\n")

        let router = Router()
        router.get("data") { _, _ in checkServerResponse(.ok) }
        try await withCheckServer(router) { server in
            let blocked = try await CORSExecutable.run(["check", "\(server.baseURL)/data", "--origin", Self.frontend, "--json", "--timeout", "60"])
            #expect(blocked.status == 1)
            #expect(blocked.standardError.isEmpty)
            let json = try checkParseJSON(blocked.standardOutput)
            #expect(json["reason"] as? String == "MissingAllowOriginHeader")
            let text = try await CORSExecutable.run(["check", "\(server.baseURL)/data", "--origin", Self.frontend, "--timeout", "60"])
            #expect(text.status == 1)
            #expect(!text.standardOutput.contains("\u{1B}["))  // not a terminal: no colour
        }
    }
}
