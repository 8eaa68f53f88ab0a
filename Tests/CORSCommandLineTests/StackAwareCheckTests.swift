import CORSBrowserModel
import Foundation
import HTTPTypes
import Testing

@testable import CORSCommandLine

/// `cors check` in the words of the server in front of the user: which stack answered and on
/// what evidence, `--stack` and `--verbose`, the answers only one stack gives, and the quieter
/// warnings. Fake answers copied from the real servers (`StackFixTests` runs the real ones).
@Suite("cors check: stack detection, stack fixes and quieter warnings (fake exchanger)")
struct StackAwareCheckTests {
    static let api = "http://127.0.0.1:8000/me"
    static let frontend = "http://localhost:5173"

    // MARK: Detection, one stack at a time

    /// One stack, one response copied from the real server, and the clue it must yield.
    struct Clue: Sendable, CustomTestStringConvertible {
        var stack: ServerStack
        var response: StackResponse
        var clue: String
        var testDescription: String { "\(stack.rawValue): \(clue)" }

        init(_ stack: ServerStack, _ response: StackResponse, _ clue: String) {
            self.stack = stack
            self.response = response
            self.clue = clue
        }
    }

    static let clues: [Clue] = [
        Clue(.nginx, StackResponse(status: 200, fields: [("Server", "nginx/1.22.1")]), "Server: nginx/1.22.1"),
        Clue(
            .nginx,
            StackResponse(
                status: 404, fields: [],
                body: "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>"),
            "nginx's error page"
        ),
        Clue(.caddy, StackResponse(status: 502, fields: [("Server", "Caddy")]), "Server: Caddy"),
        Clue(.express, StackResponse(status: 200, fields: [("X-Powered-By", "Express")]), "X-Powered-By: Express"),
        Clue(
            .express,
            StackResponse(status: 200, fields: [("Allow", "GET,HEAD,PUT"), ("Content-Type", "text/html; charset=utf-8")], body: "GET,HEAD,PUT"),
            "OPTIONS answered 200 with 'Allow: GET,HEAD,PUT' as the body and no CORS fields (Express's automatic OPTIONS)"
        ),
        Clue(.express, StackResponse(status: 404, fields: [], body: "<pre>Cannot OPTIONS /me</pre>"), "body 'Cannot … /path' (Express's 404)"),
        Clue(.fastapi, StackResponse(status: 200, fields: [("server", "uvicorn")]), "Server: uvicorn"),
        Clue(
            .fastapi, StackResponse(status: 400, fields: [], body: "Disallowed CORS method, headers"),
            "body 'Disallowed CORS method…' (Starlette's CORSMiddleware)"
        ),
        Clue(.flask, StackResponse(status: 200, fields: [("Server", "Werkzeug/3.1.9 Python/3.11.7")]), "Server: Werkzeug/3.1.9 Python/3.11.7"),
        Clue(
            .django,
            StackResponse(
                status: 200,
                fields: [("access-control-allow-headers", "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with")]),
            "Access-Control-Allow-Headers with x-csrftoken (django-cors-headers' defaults)"
        ),
        Clue(
            .django, StackResponse(status: 404, fields: [], body: "<title>Page not found at /me</title>"),
            "Django's debug 404 page"
        ),
        Clue(.aiohttp, StackResponse(status: 200, fields: [("Server", "Python/3.11 aiohttp/3.14.5")]), "Server: Python/3.11 aiohttp/3.14.5"),
        Clue(.aiohttp, StackResponse(status: 405, fields: [], body: "405: Method Not Allowed"), "body '405: Method Not Allowed' (aiohttp's error text)"),
    ]

    @Test("Each stack is recognised from its own clue", arguments: clues)
    func detection(_ example: Clue) {
        let detection = StackKnowledge.detect([example.response])
        #expect(detection.stack == example.stack)
        #expect(detection.evidence.contains(example.clue), "\(detection.evidence)")
        #expect(!detection.isOverride)
    }

    @Test("No clue: unknown; --stack overrides and keeps what was seen")
    func unknownAndOverride() {
        #expect(StackKnowledge.detect([StackResponse(status: 200, fields: [("Content-Type", "application/json")])]).stack == nil)
        let overridden = StackKnowledge.detect([StackResponse(status: 200, fields: [("Server", "nginx")])], override: .express)
        #expect(overridden.stack == .express)
        #expect(overridden.isOverride)
        #expect(overridden.candidates == [.nginx])
    }

    // MARK: The text and JSON output

    @Test("The text output says which stack answered, shows Server and X-Powered-By, and puts its fix first")
    func textNamesTheStack() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(500, [("Server", "nginx/1.22.1"), ("Content-Type", "text/html"), ("X-Frame-Options", "DENY")], body: "<hr><center>nginx</center>")
        }
        let result = try await runCheck([Self.api, "--origin", Self.frontend], exchanger: fake)
        #expect(result.exitCode == 1)
        let lines = result.output.components(separatedBy: "\n")
        #expect(lines.contains("      Server: nginx/1.22.1"), "\(result.output)")
        #expect(lines.contains("      (also: x-frame-options)"), "\(result.output)")
        #expect(lines.contains("Stack:   nginx, from Server: nginx/1.22.1; nginx's error page"), "\(result.output)")
        let fixIndex = try #require(lines.firstIndex { $0.hasPrefix("Fix — server error hidden by CORS: ") })
        #expect(
            lines[fixIndex + 1]
                == #"    nginx: add_header Access-Control-Allow-Origin "http://localhost:5173" always;  # `always` on every add_header, or 4xx/5xx responses lose them"#
        )
        #expect(lines[fixIndex + 2].hasPrefix("    Send:        Access-Control-Allow-Origin: http://localhost:5173"))
        // FastAPI's advice is another stack's: only with --verbose.
        #expect(!lines.contains { $0.hasPrefix("    FastAPI:") }, "\(result.output)")
        #expect(!lines.contains("    Other stacks:"))
    }

    @Test("Unknown stack: said so, and FastAPI's advice stays")
    func unknownStackText() async throws {
        let fake = CheckFakeExchanger { _ in checkReply(500, [("Content-Type", "application/json")]) }
        let result = try await runCheck([Self.api, "--origin", Self.frontend], exchanger: fake)
        #expect(result.output.contains("\nStack:   unknown (no Server, X-Powered-By or Via field, error page or answer that names one; --stack NAME says it)\n"))
        #expect(result.output.contains("\n    FastAPI:     "))
        let json = try checkParseJSON(try await runCheck([Self.api, "--origin", Self.frontend, "--json"], exchanger: fake).output)
        let stack = try #require(json["stack"] as? [String: Any])
        #expect(stack["name"] is NSNull)
        #expect(stack["evidence"] as? [String] == [])
        #expect(stack["overridden"] as? Bool == false)
    }

    @Test("--stack names the stack: its fix comes first, JSON says overridden; --verbose adds every other stack's")
    func stackOverrideAndVerbose() async throws {
        let fake = CheckFakeExchanger { _ in checkReply(500, [("Server", "nginx/1.22.1")]) }
        let json = try checkParseJSON(
            try await runCheck([Self.api, "--origin", Self.frontend, "--stack", "caddy", "--json"], exchanger: fake).output)
        let stack = try #require(json["stack"] as? [String: Any])
        #expect(stack["name"] as? String == "caddy")
        #expect(stack["overridden"] as? Bool == true)
        let details = try #require((json["fixDetails"] as? [[String: Any]])?.first)
        let stackFixes = try #require(details["stackFixes"] as? [[String: Any]])
        #expect(stackFixes.count == 1)
        #expect(stackFixes.first?["stack"] as? String == "caddy")
        #expect(stackFixes.first?["detected"] as? Bool == true)
        #expect((json["fixes"] as? [String])?.first?.hasPrefix(#"Caddy: header Access-Control-Allow-Origin "http://localhost:5173""#) == true)

        let text = try await runCheck([Self.api, "--origin", Self.frontend, "--stack", "caddy"], exchanger: fake).output
        #expect(text.contains("\nStack:   Caddy (--stack)\n"), "\(text)")

        let verbose = try await runCheck([Self.api, "--origin", Self.frontend, "--verbose"], exchanger: fake).output
        #expect(verbose.contains("\n    Other stacks:\n      Caddy: header Access-Control-Allow-Origin"), "\(verbose)")
        #expect(verbose.contains("\n      Express (cors): app.use(cors(corsOptions))"), "\(verbose)")
        #expect(verbose.contains("\n    FastAPI:     "))

        let invalid = try await runCheck([Self.api, "--origin", Self.frontend, "--stack", "iis"], exchanger: fake)
        #expect(invalid.exitCode == 2)
        #expect(invalid.errorLine == "invalid --stack 'iis': use \(ServerStack.names)")
    }

    // MARK: Answers only one stack gives

    @Test("Express answering OPTIONS itself is reported as such, not as an untrusted origin")
    func expressAutomaticOptions() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(
                200, [("X-Powered-By", "Express"), ("Allow", "GET,HEAD,PUT"), ("Content-Type", "text/html; charset=utf-8")],
                body: "GET,HEAD,PUT")
        }
        let result = try await runCheck(
            [Self.api, "--origin", Self.frontend, "--method", "PUT", "-H", "Content-Type: application/json"], exchanger: fake)
        #expect(result.exitCode == 1)
        let report = try #require(result.report)
        #expect(report.stack.stack == .express)
        let fix = try #require(report.fixes.first)
        #expect(!fix.problem.contains("does not trust"))
        #expect(fix.problem.hasPrefix("OPTIONS /me was answered 200 OK with 'Allow: GET,HEAD,PUT' and no CORS header at all"))
        #expect(fix.kinds == [.preflightAnsweredWithoutCORS(path: "/me")])
        #expect(
            fix.stackFixes.first
                == StackFixLine(
                    stack: .express,
                    fix: "app.options('/me', cors(corsOptions))  // cors() is mounted per route, so Express answers OPTIONS itself (Allow, no CORS fields)",
                    isDetected: true))
    }

    @Test("Starlette's 400 'Disallowed CORS method, headers': the first sentence names the method and the header")
    func starletteRefusal() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(
                400,
                [
                    ("server", "uvicorn"), ("access-control-allow-methods", "GET, PUT"),
                    ("access-control-allow-headers", "Accept, Accept-Language, Authorization, Content-Language, Content-Type"),
                    ("access-control-allow-origin", Self.frontend),
                ], body: "Disallowed CORS method, headers")
        }
        let result = try await runCheck(
            [Self.api, "--origin", Self.frontend, "--method", "PATCH", "-H", "X-Api-Key: k"], exchanger: fake)
        let report = try #require(result.report)
        let fix = try #require(report.fixes.first)
        #expect(
            fix.problem.hasPrefix(
                "Starlette's CORSMiddleware refused the preflight with 400 'Disallowed CORS method, headers': the method PATCH is not in allow_methods and the header X-Api-Key is not in allow_headers."
            ), "\(fix.problem)")
        #expect(fix.fastAPI == #"CORSMiddleware(..., allow_methods=["GET", "PUT", "PATCH"], allow_headers=["Authorization", "X-Api-Key"])"#)
        #expect(
            fix.stackFixes.map(\.fix) == [
                #"app.add_middleware(CORSMiddleware, allow_methods=[..., "PATCH"])"#,
                #"app.add_middleware(CORSMiddleware, allow_headers=[..., "X-Api-Key"])"#,
            ])
    }

    @Test("nginx's own trailing-slash redirect of a preflight is nginx's, not FastAPI's redirect_slashes")
    func nginxRedirectIsNotFastAPIs() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(
                301, [("Server", "nginx/1.22.1"), ("Location", "http://127.0.0.1:8000/me/")],
                body: "<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx/1.22.1</center>")
        }
        let result = try await runCheck(
            [Self.api, "--origin", Self.frontend, "--method", "PUT", "-H", "Authorization: Bearer t"], exchanger: fake)
        let fix = try #require(result.report?.fixes.first)
        #expect(fix.fastAPI == nil)
        #expect(!result.output.contains("redirect_slashes"), "\(result.output)")
        #expect(fix.problem.contains("nginx made the redirect (Server: nginx/1.22.1; nginx's error page)"), "\(fix.problem)")
        #expect(fix.stackFixes.first?.stack == .nginx)
        #expect(fix.stackFixes.first?.fix.hasPrefix("if ($request_method = OPTIONS) { return 204; }") == true)
    }

    @Test("nginx in front of Express, both adding Access-Control-Allow-Origin: proxy_hide_header comes first")
    func duplicateAllowOriginIsTheProxys() async throws {
        let fake = CheckFakeExchanger { _ in
            checkReply(
                200,
                [
                    ("Server", "nginx/1.22.1"), ("X-Powered-By", "Express"), ("Access-Control-Allow-Origin", "*"),
                    ("Access-Control-Allow-Origin", Self.frontend),
                ])
        }
        let result = try await runCheck([Self.api, "--origin", Self.frontend], exchanger: fake)
        let report = try #require(result.report)
        #expect(report.stack.stack == .express)
        #expect(report.stack.candidates == [.express, .nginx])
        #expect(
            report.fixes.first?.stackFixes.first
                == StackFixLine(
                    stack: .nginx, fix: "proxy_hide_header Access-Control-Allow-Origin;  # keep one layer's CORS fields: the upstream's are dropped",
                    isDetected: true))
    }

    // MARK: Quieter warnings

    @Test("No credentialsNotSent warning when the script sends Authorization itself")
    func noCredentialsWarningWithAuthorization() async throws {
        let fake = CheckFakeExchanger { request in
            request.method == .options
                ? checkReply(
                    204,
                    [
                        ("Access-Control-Allow-Origin", Self.frontend), ("Access-Control-Allow-Headers", "Authorization"),
                    ])
                : checkReply(200, [("Access-Control-Allow-Origin", Self.frontend)])
        }
        let with = try await runCheck([Self.api, "--origin", Self.frontend, "-H", "Authorization: Bearer t"], exchanger: fake)
        #expect(with.exitCode == 0)
        #expect(!(with.report?.warnings ?? []).contains { $0.hasPrefix("credentialsNotSent:") }, "\(with.report?.warnings ?? [])")
        let without = try await runCheck([Self.api, "--origin", Self.frontend], exchanger: fake)
        #expect((without.report?.warnings ?? []).contains { $0.hasPrefix("credentialsNotSent:") })
    }

    @Test("Never suggests exposing Server, X-Powered-By, ETag, Date or security policies; still suggests X-Request-Id")
    func hiddenHeaderSuggestions() async throws {
        let noisy: [(String, String)] = [
            ("Server", "nginx"), ("X-Powered-By", "Express"), ("ETag", "W/\"1\""), ("Date", "Sun, 29 Nov 2026 21:00:00 GMT"),
            ("Content-Security-Policy", "default-src 'none'"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
            ("Strict-Transport-Security", "max-age=1"), ("Referrer-Policy", "no-referrer"),
            ("Access-Control-Allow-Origin", Self.frontend),
        ]
        let quiet = try await runCheck(
            [Self.api, "--origin", Self.frontend], exchanger: CheckFakeExchanger { _ in checkReply(200, noisy) })
        #expect(quiet.exitCode == 0)
        #expect(quiet.report?.fixes.isEmpty == true, "\(quiet.report?.fixes ?? [])")
        #expect(!(quiet.report?.warnings ?? []).contains { $0.hasPrefix("headerNotExposed:") }, "\(quiet.report?.warnings ?? [])")

        let withAppHeader = try await runCheck(
            [Self.api, "--origin", Self.frontend],
            exchanger: CheckFakeExchanger { _ in checkReply(200, noisy + [("X-Request-Id", "42")]) })
        #expect(withAppHeader.report?.fixes.first?.headers == ["Access-Control-Expose-Headers: X-Request-Id"])
        #expect(
            (withAppHeader.report?.warnings ?? []).contains(
                "headerNotExposed: The script cannot read x-request-id: add it to Access-Control-Expose-Headers."),
            "\(withAppHeader.report?.warnings ?? [])")
    }

    @Test("A credentialed read granted to an origin outside the API's site: one line pointing to cors scan")
    func credentialedReadHint() async throws {
        let reflecting = CheckFakeExchanger { request in
            let origin = request.headerFields[.origin] ?? ""
            return checkReply(200, [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true")])
        }
        let evil = try await runCheck(
            [Self.api, "--origin", "https://evil.example", "--credentials", "include"], exchanger: reflecting)
        #expect(evil.exitCode == 0)
        #expect(
            evil.report?.warnings.contains(
                "credentialed-read: this API lets https://evil.example read responses with the user's cookies: run `cors scan http://127.0.0.1:8000/me` to audit it."
            ) == true, "\(evil.report?.warnings ?? [])")
        let local = try await runCheck([Self.api, "--origin", Self.frontend, "--credentials", "include"], exchanger: reflecting)
        #expect(!(local.report?.warnings ?? []).contains { $0.hasPrefix("credentialed-read:") })
        let uncredentialed = try await runCheck([Self.api, "--origin", "https://evil.example"], exchanger: reflecting)
        #expect(!(uncredentialed.report?.warnings ?? []).contains { $0.hasPrefix("credentialed-read:") })
    }
}
