import CORSBrowserModel
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import CORSCommandLine
import CORSTestSupport

/// `cors check --browser chromium|firefox|webkit|all`: each engine's verdict, reason and exact
/// console lines, the per-engine table and where the engines differ.
@Suite("cors check --browser")
struct CheckBrowserTests {
    static let api = "http://127.0.0.1:8080/me"
    static let page = "http://localhost:5173"
    static let firefoxPrefix =
        "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8080/me. (Reason: "

    func lines(_ output: String) -> [String] {
        output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("--browser firefox: a 500 without CORS headers gets Firefox's line, its MDN name and no Chromium line")
    func firefoxOnly() async throws {
        let exchanger = CheckFakeExchanger { _ in checkReply(500, body: "boom") }
        let result = try await runCheck([Self.api, "--origin", Self.page, "--browser", "firefox"], exchanger: exchanger)
        #expect(result.exitCode == 1)
        let output = lines(result.output)
        #expect(output.contains("Firefox: BLOCKED — CORSMissingAllowOrigin"))
        #expect(output.contains("  Reason:  CORS header ‘Access-Control-Allow-Origin’ missing"))
        #expect(output.contains("  MDN:     https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin"))
        #expect(output.contains("  Console: " + Self.firefoxPrefix + "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500."))
        #expect(!result.output.contains("Access to fetch at"))
        #expect(!output.contains("Engines"))
    }

    @Test("--browser webkit: the verbatim line and the follow-up line")
    func webkitOnly() async throws {
        let exchanger = CheckFakeExchanger { _ in checkReply(200, [("Access-Control-Allow-Origin", "http://localhost:5173/")]) }
        let result = try await runCheck([Self.api, "--origin", Self.page, "--browser", "webkit"], exchanger: exchanger)
        #expect(result.exitCode == 1)
        let output = lines(result.output)
        #expect(output.contains("Safari (WebKit): BLOCKED — originNotAllowed"))
        #expect(output.contains("  Console: Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 200"))
        #expect(output.contains("  Console: Fetch API cannot load http://127.0.0.1:8080/me due to access control checks."))
    }

    @Test("--browser all: a 403 preflight — same verdict, Safari names the status, Chrome and Firefox the missing header")
    func allWithPreflightStatus() async throws {
        let exchanger = CheckFakeExchanger { _ in checkReply(403) }
        let result = try await runCheck(
            [Self.api, "--origin", Self.page, "--method", "PUT", "--browser", "all"], exchanger: exchanger)
        #expect(result.exitCode == 1)
        let output = lines(result.output)
        let table = try #require(output.firstIndex(of: "Engines"))
        #expect(
            Array(output[table...].prefix(4)) == [
                "Engines",
                "  Chrome   blocked  PreflightMissingAllowOriginHeader",
                "  Firefox  blocked  CORSMissingAllowOrigin",
                "  Safari   blocked  preflightNotSuccessful",
            ])
        #expect(
            output.contains(
                "  Console: Access to fetch at 'http://127.0.0.1:8080/me' from origin 'http://localhost:5173' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource."
            ))
        #expect(output.contains("  Console: " + Self.firefoxPrefix + "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403."))
        #expect(output.contains("  Console: " + Self.firefoxPrefix + "CORS request did not succeed). Status code: (null)."))
        #expect(output.contains("  Console: Preflight response is not successful. Status code: 403"))
        #expect(
            output.contains(
                "  - Safari names the preflight's status (403) where Chrome reports PreflightMissingAllowOriginHeader: WebKit checks a preflight's status before its Access-Control-Allow-Origin."
            ))
    }

    @Test("--browser all: works in Chrome and Firefox, fails in Safari when the session cookie is third-party")
    func allWithThirdPartyCookie() async throws {
        let exchanger = CheckFakeExchanger { _ in
            checkReply(
                200,
                [
                    ("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "true"),
                    ("Set-Cookie", "session=s1; Path=/; Secure; HttpOnly; SameSite=None"),
                ])
        }
        let result = try await runCheck(
            [
                "https://api.other.example/login", "--origin", "https://app.example.com", "--method", "POST",
                "--credentials", "include", "--browser", "all", "--json",
            ], exchanger: exchanger)
        #expect(result.exitCode == 0)
        let json = try checkParseJSON(result.output)
        #expect(json["verdict"] as? String == "allowed")
        let engines = try #require(json["engines"] as? [String: Any])
        let differences = try #require(engines["differences"] as? [String])
        #expect(
            differences.first?.hasPrefix(
                "works in Chrome and Firefox, fails in Safari: the cookie 'session' is third-party there and is not sent back.")
                == true)
        let webkit = try #require(engines["webkit"] as? [String: Any])
        #expect(webkit["verdict"] as? String == "allowed")
        let cookies = try #require(webkit["cookies"] as? [[String: Any]])
        #expect(cookies.first?["outcome"] as? String == "rejected")
        let firefox = try #require(engines["firefox"] as? [String: Any])
        #expect((firefox["cookies"] as? [[String: Any]])?.first?["outcome"] as? String == "sent-cross-site")
        #expect(checkTopLevelKeys(result.output).contains("engines"))
        #expect(Array(checkTopLevelKeys(result.output).prefix(3)) == ["verdict", "reason", "failedParameter"])
    }

    @Test("--json --browser firefox: the engines object carries the exact console lines")
    func jsonFirefox() async throws {
        let exchanger = CheckFakeExchanger { request in
            request.method == .options
                ? checkReply(204, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET, POST")])
                : checkReply(200, [("Access-Control-Allow-Origin", "*")])
        }
        let result = try await runCheck(
            [Self.api, "--origin", Self.page, "--method", "DELETE", "--browser", "firefox", "--json"], exchanger: exchanger)
        #expect(result.exitCode == 1)
        let json = try checkParseJSON(result.output)
        #expect(json["reason"] as? String == "MethodDisallowedByPreflightResponse")
        let firefox = try #require((json["engines"] as? [String: Any])?["firefox"] as? [String: Any])
        #expect(firefox["reason"] as? String == "CORSMethodNotFound")
        #expect(
            firefox["consoleLines"] as? [String] == [
                Self.firefoxPrefix + "Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
                Self.firefoxPrefix + "CORS request did not succeed). Status code: (null).",
            ])
        #expect(firefox["documentation"] as? String == "https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMethodNotFound")
    }

    @Test("Preflight cache lifetimes per engine for Access-Control-Max-Age: 86400")
    func preflightCacheLifetimes() async throws {
        let exchanger = CheckFakeExchanger { request in
            request.method == .options
                ? checkReply(204, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "86400")])
                : checkReply(200, [("Access-Control-Allow-Origin", "*")])
        }
        let result = try await runCheck(
            [Self.api, "--origin", Self.page, "--method", "PUT", "--browser", "all"], exchanger: exchanger)
        #expect(result.exitCode == 0)
        #expect(lines(result.output).contains("  - The preflight is cached for 7200 s in Chrome, 86400 s in Firefox, 600 s in Safari (caps: Chrome 7200 s, Firefox 86400 s, Safari 600 s)."))
    }

    @Test("The default stays Chromium's trace; an unknown engine is a usage error")
    func defaultAndInvalid() async throws {
        let exchanger = CheckFakeExchanger { _ in checkReply(200) }
        let result = try await runCheck([Self.api, "--origin", Self.page], exchanger: exchanger)
        #expect(result.exitCode == 1)
        #expect(
            lines(result.output).contains(
                "Console: Access to fetch at 'http://127.0.0.1:8080/me' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
            ))
        #expect(!result.output.contains("Engines"))
        let invalid = try await runCheck([Self.api, "--origin", Self.page, "--browser", "opera"], exchanger: exchanger)
        #expect(invalid.exitCode == 2)
        #expect(invalid.errorLine == "invalid --browser 'opera': use chromium, firefox, webkit or all")
    }

    @Test("The binary: --browser webkit against a live server, exit status 1")
    func binaryAgainstLiveServer() async throws {
        let router = Router()
        router.get("/me") { _, _ in checkServerResponse(.internalServerError, body: "boom") }
        try await withCheckServer(router) { server in
            let run = try await CORSExecutable.run(["check", "\(server.baseURL)/me", "--origin", Self.page, "--browser", "webkit"])
            #expect(run.status == 1)
            #expect(run.standardOutput.contains("  Console: Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 500\n"))
            #expect(run.standardOutput.contains("  Console: Fetch API cannot load \(server.baseURL)/me due to access control checks.\n"))
        }
    }
}
