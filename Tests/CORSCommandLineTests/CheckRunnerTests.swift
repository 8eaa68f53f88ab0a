import CORSBrowserModel
import Foundation
import HTTPTypes
import Testing

@testable import CORSCommandLine

/// `cors check`'s orchestration against a fake network: what is sent, in which order, and
/// what the report says. The browser model decides; these tests pin that the command sends
/// exactly the model's requests and reports its verdicts, pitfalls and fixes.
private let api = "https://api.example.com/me"
private let app = "https://app.example.com"

@Suite("cors check orchestration (fake exchanger)")
struct CheckRunnerTests {
    static let api = CORSCommandLineTests.api
    static let app = CORSCommandLineTests.app

    @Test("A simple GET: one request, the CORS check passes, exposed headers are listed")
    func simpleGetIsAllowed() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(
                200,
                [
                    ("Content-Type", "application/json"), ("X-Request-Id", "1"), ("Access-Control-Allow-Origin", Self.app),
                    ("Access-Control-Expose-Headers", "X-Request-Id"), ("Vary", "Origin"),
                ])
        }
        let result = try await runCheck([Self.api, "--origin", Self.app], exchanger: fake)
        #expect(result.exitCode == 0)
        #expect(result.errorLine == nil)
        #expect(checkSummaries(fake.requests) == ["GET https://api.example.com/me"])
        #expect(
            checkFieldLines(fake.requests[0].headerFields) == [
                "Accept: */*", "Origin: https://app.example.com", "Sec-Fetch-Mode: cors",
            ])
        let report = try #require(result.report)
        #expect(report.verdict == .allowed)
        #expect(report.readable?.readableHeaderNames == ["content-type", "x-request-id"])
        #expect(report.fixes.isEmpty)
        #expect(report.pitfalls.isEmpty)
        #expect(report.steps.count == 1)
        #expect(
            report.steps[0].rules == [
                .passed("Access-Control-Allow-Origin 'https://app.example.com' equals the request's Origin"),
                .info("the script can read: content-type, x-request-id"),
                .info("hidden from the script: vary"),
            ])
    }

    @Test("A preflight goes first, exactly as Chromium sends it; then the actual request")
    func preflightThenActual() async throws {
        let fake = CheckFakeExchanger { request in
            if request.method == .options {
                return checkReply(
                    204,
                    [
                        ("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Credentials", "true"),
                        ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "X-Api-Key, Content-Type"),
                        ("Access-Control-Max-Age", "600"),
                    ])
            }
            return checkReply(
                200, [("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Credentials", "true")])
        }
        let result = try await runCheck(
            [
                Self.api, "--origin", Self.app, "--method", "PUT", "-H", "X-Api-Key: k", "--header",
                "Content-Type: application/json", "--credentials", "include",
            ], exchanger: fake)
        #expect(result.exitCode == 0)
        #expect(checkSummaries(fake.requests) == ["OPTIONS https://api.example.com/me", "PUT https://api.example.com/me"])
        #expect(
            checkFieldLines(fake.requests[0].headerFields) == [
                "Accept: */*", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: content-type,x-api-key",
                "Origin: https://app.example.com", "Sec-Fetch-Mode: cors",
            ])
        #expect(
            checkFieldLines(fake.requests[1].headerFields) == [
                "X-Api-Key: k", "Content-Type: application/json", "Accept: */*", "Origin: https://app.example.com",
                "Sec-Fetch-Mode: cors",
            ])
        let report = try #require(result.report)
        #expect(
            report.steps[0].rules == [
                .passed("not a redirect"),
                .passed("Access-Control-Allow-Origin 'https://app.example.com' equals the request's Origin"),
                .passed("Access-Control-Allow-Credentials is 'true' (credentials: include)"),
                .passed("status 204 is ok (200-299)"),
                .passed("Access-Control-Allow-Methods and Access-Control-Allow-Headers parse as lists"),
                .passed("method PUT is listed in Access-Control-Allow-Methods"),
                .passed("request headers 'content-type', 'x-api-key' allowed by Access-Control-Allow-Headers"),
                .info("the browser caches this preflight for 600 s"),
            ])
    }

    @Test("A failed preflight stops the check: the actual request is never sent")
    func failedPreflightStops() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(
                204,
                [
                    ("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Methods", "GET, PUT"),
                    ("Access-Control-Allow-Headers", "Content-Type"),
                ])
        }
        let result = try await runCheck(
            [Self.api, "--origin", Self.app, "--method", "PUT", "-H", "X-Api-Key: k", "-H", "Authorization: Bearer t"],
            exchanger: fake)
        #expect(result.exitCode == 1)
        #expect(checkSummaries(fake.requests) == ["OPTIONS https://api.example.com/me"])
        let report = try #require(result.report)
        #expect(report.failure == CORSFailure(.headerDisallowedByPreflightResponse, failedParameter: "authorization"))
        #expect(
            report.consoleMessage
                == "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response."
        )
        #expect(report.pitfalls == [.headerNotAllowed])
        // One fix covers every header the preflight would refuse, not only the first.
        #expect(
            report.fixes.flatMap(\.lines) == [
                "Send the response header 'Access-Control-Allow-Headers: Content-Type, Authorization, X-Api-Key'.",
                #"swift-cors CORSPolicy: "allowHeaders": ["Content-Type", "Authorization", "X-Api-Key"]"#,
                #"FastAPI/Starlette: CORSMiddleware(..., allow_headers=["Content-Type", "Authorization", "X-Api-Key"])"#,
                "Or stop sending 'Authorization' from the client.",
            ])
        #expect(
            report.fixes.first?.problem
                == "The client sends 'Authorization' but the server does not allow it (Access-Control-Allow-Headers: 'Content-Type'). Also missing: X-Api-Key. Authorization must be listed by name: '*' does not cover it in the standard."
        )
        #expect(report.steps[0].rules.last == .failed("request header 'authorization' is not allowed by Access-Control-Allow-Headers ('Content-Type')"))
    }

    @Test("A cross-origin redirect: CORS check on the hop, Authorization dropped, Origin null, no new preflight")
    func crossOriginRedirect() async throws {
        let fake = CheckFakeExchanger { request in
            switch (request.method, request.authority, request.path) {
            case (.options, "api.example.com", "/old"):
                return checkReply(
                    204, [("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Headers", "Authorization")])
            case (.get, "api.example.com", "/old"):
                return checkReply(
                    307, [("Location", "https://cdn.example.net/new"), ("Access-Control-Allow-Origin", Self.app)])
            default:
                return checkReply(200, [("Access-Control-Allow-Origin", "*")])
            }
        }
        let result = try await runCheck(
            ["https://api.example.com/old", "--origin", Self.app, "-H", "Authorization: Bearer t"], exchanger: fake)
        #expect(result.exitCode == 0)
        #expect(
            checkSummaries(fake.requests) == [
                "OPTIONS https://api.example.com/old", "GET https://api.example.com/old", "GET https://cdn.example.net/new",
            ])
        #expect(fake.requests[1].headerFields[.authorization] == "Bearer t")
        #expect(
            checkFieldLines(fake.requests[2].headerFields) == ["Accept: */*", "Origin: null", "Sec-Fetch-Mode: cors"])
        let report = try #require(result.report)
        let hop = try #require(report.redirects.first)
        #expect(hop.originBecameNull)
        #expect(hop.removedHeaderNames == ["authorization"])
        #expect(report.pitfalls == [.redirect])
        #expect(
            report.steps[1].rules == [
                .passed("Access-Control-Allow-Origin 'https://app.example.com' equals the request's Origin"),
                .passed("redirect 307 to https://cdn.example.net/new is followed (redirect 1 of at most 20)"),
                .info("the browser drops authorization on this hop"),
                .info("the hop crosses origins from an origin that is not the page's: Origin becomes 'null' from now on"),
            ])
        #expect(
            report.warnings.contains(
                "redirect: https://api.example.com/old → https://cdn.example.net/new: serve the canonical URL directly."))
        #expect(report.warnings.contains { $0.hasPrefix("originTainted: ") })
    }

    @Test("A redirect that needs a new preflight gets one (re-planned by the model)")
    func redirectNeedsNewPreflight() async throws {
        let fake = CheckFakeExchanger { request in
            let allow = [
                ("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Headers", "X-Api-Key"),
            ]
            if request.method == .options { return checkReply(204, allow) }
            if request.path == "/v1/me" { return checkReply(308, allow + [("Location", "/v2/me")]) }
            return checkReply(200, allow)
        }
        let result = try await runCheck(
            ["https://api.example.com/v1/me", "--origin", Self.app, "-H", "X-Api-Key: k"], exchanger: fake)
        #expect(result.exitCode == 0)
        #expect(
            checkSummaries(fake.requests) == [
                "OPTIONS https://api.example.com/v1/me", "GET https://api.example.com/v1/me",
                "OPTIONS https://api.example.com/v2/me", "GET https://api.example.com/v2/me",
            ])
    }

    @Test("303 on PUT becomes GET and drops Content-Type, so no second preflight")
    func seeOtherRewritesTheMethod() async throws {
        let fake = CheckFakeExchanger { request in
            let allow = [("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Methods", "PUT")]
            if request.method == .options {
                return checkReply(204, allow + [("Access-Control-Allow-Headers", "Content-Type")])
            }
            if request.method == .put { return checkReply(303, allow + [("Location", "/done")]) }
            return checkReply(200, allow)
        }
        let result = try await runCheck(
            [Self.api, "--origin", Self.app, "--method", "PUT", "-H", "Content-Type: application/json"], exchanger: fake)
        #expect(result.exitCode == 0)
        #expect(
            checkSummaries(fake.requests) == [
                "OPTIONS https://api.example.com/me", "PUT https://api.example.com/me", "GET https://api.example.com/done",
            ])
        #expect(fake.requests[2].headerFields[.contentType] == nil)
        #expect(result.report?.redirects.first?.methodChangedToGET == true)
    }

    @Test("A redirected preflight is never followed: PreflightDisallowedRedirect, with the canonical URL as the fix")
    func redirectedPreflight() async throws {
        let fake = CheckFakeExchanger { _ in checkReply(307, [("Location", "/me/")]) }
        let result = try await runCheck([Self.api, "--origin", Self.app, "--method", "DELETE"], exchanger: fake)
        #expect(result.exitCode == 1)
        #expect(checkSummaries(fake.requests) == ["OPTIONS https://api.example.com/me"])
        let report = try #require(result.report)
        #expect(report.failure == CORSFailure(.preflightDisallowedRedirect, offendingValue: "/me/"))
        #expect(
            report.consoleMessage
                == "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request."
        )
        #expect(report.pitfalls == [.redirect])
        #expect(
            report.fixes.flatMap(\.lines) == [
                "FastAPI/Starlette: FastAPI redirects to the path with or without its trailing slash (redirect_slashes=True): call the path exactly as the route declares it, or create the app with FastAPI(redirect_slashes=False).",
                "Call 'https://api.example.com/me/' directly from the page instead of 'https://api.example.com/me'.",
            ])
        #expect(report.steps[0].rules == [.failed("answered with a redirect (307 to '/me/'): a preflight is never redirected")])
    }

    @Test("At most 20 redirects: the 21st response fails as net::ERR_TOO_MANY_REDIRECTS, with no CORS console line")
    func tooManyRedirects() async throws {
        let fake = CheckFakeExchanger { request in
            let number = Int(request.path?.split(separator: "/").last ?? "0") ?? 0
            return checkReply(302, [("Location", "/r/\(number + 1)"), ("Access-Control-Allow-Origin", "*")])
        }
        let result = try await runCheck(["https://api.example.com/r/0", "--origin", Self.app], exchanger: fake)
        #expect(result.exitCode == 1)
        #expect(fake.requests.count == 21)
        let report = try #require(result.report)
        #expect(report.networkError?.code == .tooManyRedirects)
        #expect(report.failure == nil)
        #expect(report.consoleMessage == nil)
        #expect(report.pitfalls == [.redirect])
        let problem = try #require(report.fixes.first?.problem)
        #expect(problem.contains("failed: net::ERR_TOO_MANY_REDIRECTS, The request was redirected 20 times already; browsers stop there. Every hop"))
        let json = try checkParseJSON(CheckJSONRenderer.render(report))
        #expect(json["networkError"] as? String == "net::ERR_TOO_MANY_REDIRECTS")
        #expect(json["reason"] is NSNull)
        #expect((json["redirects"] as? [Any])?.count == 20)
    }

    @Test("Wildcard with credentials is named, with the exact console line and fixes")
    func wildcardWithCredentials() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(200, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true")])
        }
        let result = try await runCheck([Self.api, "--origin", Self.app, "--credentials", "include"], exchanger: fake)
        #expect(result.exitCode == 1)
        let report = try #require(result.report)
        #expect(report.failure == CORSFailure(.wildcardOriginNotAllowed))
        #expect(
            report.consoleMessage
                == "Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."
        )
        #expect(report.pitfalls == [.wildcardWithCredentials])
        #expect(
            report.fixes.flatMap(\.lines) == [
                "Send the response header 'Access-Control-Allow-Origin: https://app.example.com'.",
                "Send the response header 'Access-Control-Allow-Credentials: true'.",
                "Send the response header 'Vary: Origin'.",
                #"swift-cors CORSPolicy: replace "*" in allowOrigins with "https://app.example.com" and keep "allowCredentials": true (swift-cors refuses "*" with credentials at start-up)."#,
                #"FastAPI/Starlette: CORSMiddleware(..., allow_origins=["https://app.example.com"], allow_credentials=True): list the origins, not ["*"]."#,
                "Or, if the API needs no cookies or Authorization, call fetch with credentials: 'omit' or 'same-origin'.",
            ])
        #expect(report.steps[0].rules == [.failed("Access-Control-Allow-Origin is '*', which never works with credentials: include")])
    }

    @Test("An origin that differs only by a trailing slash is called out")
    func trailingSlashMismatch() async throws {
        let fake = CheckFakeExchanger { _ in checkReply(200, [("Access-Control-Allow-Origin", Self.app + "/")]) }
        let result = try await runCheck([Self.api, "--origin", Self.app], exchanger: fake)
        let report = try #require(result.report)
        #expect(report.failure == CORSFailure(.allowOriginMismatch, failedParameter: "https://app.example.com/"))
        #expect(
            report.fixes.first?.problem
                == "Access-Control-Allow-Origin is 'https://app.example.com/' but the request's Origin is 'https://app.example.com': they must be equal byte for byte. They differ only by a trailing slash."
        )
    }

    @Test("Credentials without Access-Control-Allow-Credentials: InvalidAllowCredentials and its fix")
    func missingAllowCredentials() async throws {
        let fake = CheckFakeExchanger { _ in checkReply(200, [("Access-Control-Allow-Origin", Self.app)]) }
        let result = try await runCheck([Self.api, "--origin", Self.app, "--credentials", "include"], exchanger: fake)
        let report = try #require(result.report)
        #expect(report.failure == CORSFailure(.invalidAllowCredentials))
        #expect(
            report.fixes.flatMap(\.lines) == [
                "Send the response header 'Access-Control-Allow-Credentials: true'.",
                #"swift-cors CORSPolicy: "allowCredentials": true, with "https://app.example.com" listed exactly in allowOrigins (swift-cors refuses "*" with credentials)."#,
                #"FastAPI/Starlette: CORSMiddleware(..., allow_origins=[..., "https://app.example.com"], allow_credentials=True)"#,
                "Or, if the request needs no cookies or HTTP authentication, call fetch with credentials: 'omit' or 'same-origin'.",
            ])
    }

    @Test("A lowercase method is compared case-sensitively, and the fix says so")
    func lowercaseMethod() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(204, [("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Methods", "GET, PATCH")])
        }
        let result = try await runCheck([Self.api, "--origin", Self.app, "--method", "patch"], exchanger: fake)
        let report = try #require(result.report)
        #expect(report.failure == CORSFailure(.methodDisallowedByPreflightResponse, failedParameter: "patch"))
        #expect(
            report.fixes.flatMap(\.lines) == [
                "Send the response header 'Access-Control-Allow-Methods: GET, PATCH, patch'.",
                #"swift-cors CORSPolicy: "allowMethods": ["GET", "PATCH", "patch"]"#,
                #"FastAPI/Starlette: CORSMiddleware(..., allow_methods=["GET", "PATCH", "patch"])"#,
                "Or write 'PATCH' in the script: browsers send 'patch' exactly as written, and the comparison is case-sensitive.",
            ])
    }

    @Test("Chromium lets Authorization through '*' (allowed), with the warning and a fix to list it")
    func authorizationUnderWildcard() async throws {
        let fake = CheckFakeExchanger { request in
            if request.method == .options {
                return checkReply(204, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "*")])
            }
            return checkReply(200, [("Access-Control-Allow-Origin", "*")])
        }
        let result = try await runCheck([Self.api, "--origin", Self.app, "-H", "Authorization: Bearer t"], exchanger: fake)
        #expect(result.exitCode == 0)
        let report = try #require(result.report)
        #expect(report.warnings.contains { $0.hasPrefix("authorizationCoveredByWildcard: ") })
        #expect(report.pitfalls == [.headerNotAllowed])
        #expect(report.fixes.first?.headers == ["Access-Control-Allow-Headers: *, Authorization"])
        #expect(report.steps[0].rules.contains(.passed("request header 'authorization' (by '*') allowed by Access-Control-Allow-Headers")))
    }

    @Test("Starlette's 400 'Disallowed CORS headers' preflight gets a FastAPI allow_headers fix")
    func starletteRefusedPreflight() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(
                400,
                [
                    ("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Methods", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"),
                    ("Access-Control-Allow-Headers", "Accept, Accept-Language, Content-Language, Content-Type"),
                    ("Content-Type", "text/plain; charset=utf-8"),
                ], body: "Disallowed CORS headers")
        }
        let result = try await runCheck([Self.api, "--origin", Self.app, "-H", "X-Api-Key: k"], exchanger: fake)
        let report = try #require(result.report)
        #expect(report.failure == CORSFailure(.preflightInvalidStatus, offendingValue: "400"))
        #expect(
            report.fixes.first?.fastAPI
                == #"CORSMiddleware(..., allow_headers=["X-Api-Key"])"#)
        #expect(report.steps[0].rules.last == .failed("status 400 is not ok: a preflight needs 200-299"))
    }

    @Test("A 500 without CORS headers is named as a server error hidden by CORS")
    func hiddenServerError() async throws {
        let fake = CheckFakeExchanger { _ in checkReply(500, [("Content-Type", "text/plain")], body: "Internal Server Error") }
        let result = try await runCheck([Self.api, "--origin", Self.app], exchanger: fake)
        let report = try #require(result.report)
        #expect(report.failure == CORSFailure(.missingAllowOriginHeader))
        #expect(report.pitfalls == [.errorWithoutCORSHeaders])
        #expect(
            report.fixes.first?.problem
                == "The response is a 500 Internal Server Error without CORS headers: this is a server error hidden by CORS: check the server's logs, and make error responses carry CORS headers."
        )
        let text = CheckTextRenderer().render(report)
        #expect(text.contains("      body: Internal Server Error"))
    }

    @Test("A same-origin request needs no CORS: allowed, and the warning says to pass the real page origin")
    func sameOrigin() async throws {
        let fake = CheckFakeExchanger { _ in checkReply(200, [("X-Secret", "1")]) }
        let result = try await runCheck([Self.api, "--origin", "https://api.example.com"], exchanger: fake)
        #expect(result.exitCode == 0)
        #expect(checkFieldLines(fake.requests[0].headerFields) == ["Accept: */*", "Sec-Fetch-Mode: cors"])
        #expect(result.report?.warnings.contains { $0.hasPrefix("same-origin: ") } == true)
        #expect(result.report?.readable?.readableHeaderNames == ["x-secret"])
    }

    @Test("No response at all: exit 2 with the exchanger's one line, nothing on standard output")
    func networkFailure() async throws {
        let fake = CheckFakeExchanger { request throws(HTTPExchangeError) in
            throw HTTPExchangeError(.timeout, url: "GET \(request.exchangeURL)", detail: "no response from api.example.com within 1 s")
        }
        let result = try await runCheck([Self.api, "--origin", Self.app, "--json"], exchanger: fake)
        #expect(result.exitCode == 2)
        #expect(result.output.isEmpty)
        #expect(result.report == nil)
        #expect(result.errorLine == "timeout: no response from api.example.com within 1 s (GET https://api.example.com/me)")
    }

    @Test(
        "Invalid arguments: exit 2 with one line naming the argument, and no request",
        arguments: [
            (["ftp://x/", "--origin", app], "invalid URL: 'ftp://x/' is not a valid http or https URL."),
            (["not a url", "--origin", app], "invalid URL: 'not a url' is not a valid http or https URL."),
            ([api, "--origin", "app.example.com"], "invalid --origin: 'app.example.com' is not a valid origin: use scheme://host[:port] or null."),
            ([api, "--origin", app, "-H", "X-Api-Key"], "invalid --header 'X-Api-Key': write it as 'Name: value'"),
            ([api, "--origin", app, "-H", "Bad Name: v"], "invalid --header 'Bad Name: v': 'Bad Name' is not a header name"),
            ([api, "--origin", app, "-H", "X-A: a\nb"], "invalid --header 'X-A: a\\u{a}b': the value contains CR, LF or NUL"),
            ([api, "--origin", app, "--credentials", "yes"], "invalid --credentials 'yes': use include, omit or same-origin"),
            ([api, "--origin", app, "--method", "TRACE"], "invalid --method: Failed to execute 'fetch' on 'Window': 'TRACE' HTTP method is unsupported."),
            ([api, "--origin", app, "--method", "GE T"], "invalid --method: Failed to execute 'fetch' on 'Window': 'GE T' is not a valid HTTP method."),
            ([api, "--origin", app, "--timeout", "0"], "invalid --timeout 0.0: use a number of seconds above 0 and at most 3600"),
        ])
    func invalidArguments(arguments: [String], message: String) async throws {
        let fake = CheckFakeExchanger { _ in checkReply(200) }
        let result = try await runCheck(arguments, exchanger: fake)
        #expect(result.exitCode == 2)
        #expect(result.errorLine == message)
        #expect(result.output.isEmpty)
        #expect(fake.requests.isEmpty)
    }

    @Test("--json: one document with the documented keys first, in order")
    func jsonShape() async throws {
        let fake = CheckFakeExchanger { request in
            if request.method == .options {
                return checkReply(204, [("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Methods", "PUT")])
            }
            return checkReply(
                200, [("Access-Control-Allow-Origin", Self.app), ("X-Request-Id", "7"), ("Access-Control-Expose-Headers", "X-Request-Id")])
        }
        let result = try await runCheck([Self.api, "--origin", Self.app, "--method", "PUT", "--json"], exchanger: fake)
        #expect(
            Array(checkTopLevelKeys(result.output).prefix(9)) == [
                "verdict", "reason", "failedParameter", "consoleMessage", "preflight", "actual", "exposedHeaders", "fixes",
                "warnings",
            ])
        let json = try checkParseJSON(result.output)
        #expect(json["verdict"] as? String == "allowed")
        #expect(json["reason"] is NSNull)
        #expect(json["failedParameter"] is NSNull)
        #expect(json["consoleMessage"] is NSNull)
        let preflight = try #require(json["preflight"] as? [String: Any])
        let preflightRequest = try #require(preflight["request"] as? [String: Any])
        #expect(preflightRequest["method"] as? String == "OPTIONS")
        #expect((preflightRequest["headers"] as? [String: String])?["Access-Control-Request-Method"] == "PUT")
        let preflightResponse = try #require(preflight["response"] as? [String: Any])
        #expect(preflightResponse["status"] as? Int == 204)
        #expect((preflightResponse["headers"] as? [String: String])?["Access-Control-Allow-Methods"] == "PUT")
        let actual = try #require(json["actual"] as? [String: Any])
        #expect((actual["response"] as? [String: Any])?["status"] as? Int == 200)
        #expect(json["exposedHeaders"] as? [String] == ["x-request-id"])
        #expect(json["fixes"] as? [String] == [])
        #expect((json["warnings"] as? [String])?.contains { $0.hasPrefix("credentialsNotSent: ") } == true)
        #expect((json["exchanges"] as? [Any])?.count == 2)
    }

    @Test("Colour only when asked for (a terminal); never in JSON")
    func colour() async throws {
        let fake = CheckFakeExchanger { _ in checkReply(200, [("Access-Control-Allow-Origin", "*")]) }
        let command = try CheckCommand.parse([Self.api, "--origin", Self.app])
        let plain = await command.execute(using: fake)
        #expect(!plain.output.contains("\u{1B}["))
        let coloured = await command.execute(using: fake, style: TerminalStyle(isEnabled: true))
        #expect(coloured.output.contains("\u{1B}[32m✓\u{1B}[0m"))
        let json = try await runCheck([Self.api, "--origin", Self.app, "--json"], exchanger: fake)
        #expect(!json.output.contains("\u{1B}["))
        #expect(!TerminalStyle.forStandardOutput(environment: ["NO_COLOR": "1"]).isEnabled)
    }

    @Test("The text trace: what was sent, what came back, the rule that failed, the verdict, console line and fix")
    func textTrace() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(204, [("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Methods", "GET"), ("Date", "x")])
        }
        let result = try await runCheck([Self.api, "--origin", Self.app, "--method", "DELETE"], exchanger: fake)
        #expect(
            result.output == """
                cors check: DELETE https://api.example.com/me
                  from a page on https://app.example.com, credentials: same-origin

                [1] Preflight  OPTIONS https://api.example.com/me
                    needed because:
                      - The method DELETE is not CORS-safelisted (only GET, HEAD and POST are).
                    → sent
                      Accept: */*
                      Access-Control-Request-Method: DELETE
                      Origin: https://app.example.com
                      Sec-Fetch-Mode: cors
                    ← 204 No Content
                      Access-Control-Allow-Origin: https://app.example.com
                      Access-Control-Allow-Methods: GET
                      (also: date)
                    ✓ not a redirect
                    ✓ Access-Control-Allow-Origin 'https://app.example.com' equals the request's Origin
                    ✓ status 204 is ok (200-299)
                    ✓ Access-Control-Allow-Methods and Access-Control-Allow-Headers parse as lists
                    ✗ method DELETE is not allowed by Access-Control-Allow-Methods ('GET')

                Verdict: BLOCKED — MethodDisallowedByPreflightResponse ('DELETE')
                Console: Access to fetch at 'https://api.example.com/me' from origin 'https://app.example.com' has been blocked by CORS policy: Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.
                Why:     The preflight does not allow the method DELETE. Add 'DELETE' to Access-Control-Allow-Methods, spelled exactly (the comparison is case-sensitive).
                Stack:   unknown (no Server, X-Powered-By or Via field, error page or answer that names one; --stack NAME says it)

                Fix: The preflight does not allow the method DELETE (Access-Control-Allow-Methods: 'GET').
                    Send:        Access-Control-Allow-Methods: GET, DELETE
                    CORSPolicy:  "allowMethods": ["GET", "DELETE"]
                    FastAPI:     CORSMiddleware(..., allow_methods=["GET", "DELETE"])

                Warnings
                  ! credentialsNotSent: Credentials mode is 'same-origin', so no cookies or HTTP authentication go with this cross-origin request; use credentials: 'include' (XMLHttpRequest: withCredentials = true) if the server needs them.
                """)
    }

    @Test(
        "A SameSite=Lax cookie is only flagged when page and API are cross-site (schemeful site: scheme + registrable domain, never the port)",
        arguments: [
            ("http://localhost:5173", "http://localhost:8000/me", false),
            ("https://app.example.com", "https://api.example.com/me", false),
            ("https://app.example.co.uk", "https://api.example.co.uk/me", false),
            ("http://localhost:5173", "http://127.0.0.1:8000/me", true),
            ("http://app.example.com", "https://api.example.com/me", true),
            ("https://app.example.com", "https://api.example.net/me", true),
            ("https://alice.github.io", "https://bob.github.io/me", true),
        ])
    func laxCookieWarningOnlyCrossSite(page: String, url: String, flagged: Bool) async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(
                200,
                [
                    ("Access-Control-Allow-Origin", page), ("Access-Control-Allow-Credentials", "true"),
                    ("Set-Cookie", "sid=1; Path=/; SameSite=Lax"),
                ])
        }
        let result = try await runCheck([url, "--origin", page, "--credentials", "include"], exchanger: fake)
        let report = try #require(result.report)
        #expect(result.exitCode == 0)
        #expect(report.pitfalls == (flagged ? [.cookieWithoutSameSiteNone] : []), "\(page) → \(url)")
        #expect(report.warnings.contains { $0.hasPrefix("cookie-without-samesite-none:") } == flagged, "\(report.warnings)")
    }

    @Test("SameSite=None without Secure is rejected by the browser: flagged even same-site")
    func rejectedCookieIsFlaggedSameSite() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(
                200,
                [
                    ("Access-Control-Allow-Origin", Self.app), ("Access-Control-Allow-Credentials", "true"),
                    ("Set-Cookie", "sid=1; Path=/; SameSite=None"),
                ])
        }
        let result = try await runCheck([Self.api, "--origin", Self.app, "--credentials", "include"], exchanger: fake)
        let report = try #require(result.report)
        #expect(report.pitfalls == [.cookieWithoutSameSiteNone])
    }
}
