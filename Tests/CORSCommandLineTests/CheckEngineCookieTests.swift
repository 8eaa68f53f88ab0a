import CORSBrowserModel
import Foundation
import Testing

@testable import CORSCommandLine

/// `cors check --browser all` on a credentialed login whose answer sets a session cookie: the
/// request works everywhere, the session works in Chrome and Firefox only. The texts are the
/// engine profiles' measured cookie verdicts (`Tests/EngineFixtures/cross-site-cookies.json`).
@Suite("cors check --browser all: cross-site session cookies")
struct CheckEngineCookieTests {
    static let safariSentence =
        "  - works in Chrome and Firefox, fails in Safari: the cookie 'session' is third-party there and is not sent back. Safari blocks third-party cookies by default (WebKitGTK's default policy is 'no third party'): a cookie in the answer to a credentialed request from another site is not stored, whatever its SameSite, so it never goes back. Serve the API from the page's site (a subdomain or the same origin behind a proxy), or use the Storage Access API."

    func run(_ setCookie: String, url: String = "https://api.other.example/login") async throws -> [String] {
        let exchanger = CheckFakeExchanger { _ in
            checkReply(
                200,
                [
                    ("Access-Control-Allow-Origin", "https://app.example.com"), ("Access-Control-Allow-Credentials", "true"),
                    ("Set-Cookie", setCookie),
                ])
        }
        let result = try await runCheck(
            [url, "--origin", "https://app.example.com", "--method", "POST", "--credentials", "include", "--browser", "all"],
            exchanger: exchanger)
        #expect(result.exitCode == 0)
        return result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("SameSite=None; Secure session: works in Chrome and Firefox, fails in Safari, in those words")
    func safariBlocksTheSession() async throws {
        let output = try await run("session=s1; Path=/; Secure; HttpOnly; SameSite=None")
        #expect(output.contains(Self.safariSentence), "\(output.joined(separator: "\n"))")
        #expect(output.contains { $0.hasPrefix("  Cookie 'session': rejected. Safari blocks third-party cookies by default") })
        #expect(output.contains { $0.hasPrefix("  Cookie 'session': sent-cross-site. SameSite=None; Secure: Chrome sends it") })
        #expect(
            output.contains(
                "  - Firefox sends 'session' only from its partitioned jar: Firefox stores it in the jar of the calling page's site (Total Cookie Protection) and sends it back from pages of that site only; the user's cookies from visiting the API's site directly are not sent."
            ))
    }

    @Test("SameSite=Lax session: no engine sends it back, Chrome and Firefox refuse to store it")
    func laxSessionFailsEverywhere() async throws {
        let output = try await run("session=s1; Path=/; Secure; HttpOnly; SameSite=Lax")
        #expect(output.filter { $0.hasPrefix("  Cookie 'session': rejected.") }.count == 3, "\(output.joined(separator: "\n"))")
        #expect(!output.contains { $0.hasPrefix("  - works in") })
    }

    @Test("A Secure cookie from http://localhost: Chrome and Firefox keep it, WebKit refuses it (measured)")
    func secureOverLoopbackHTTP() {
        let cookie = SetCookie(parsing: "session=s1; Secure; SameSite=None")
        let url = WebURL("http://localhost:8080/login")
        #expect(ChromiumProfile().crossSiteCookieVerdict(for: cookie, setIn: .crossSiteRequest, by: url).outcome == .sentCrossSite)
        #expect(FirefoxProfile().crossSiteCookieVerdict(for: cookie, setIn: .crossSiteRequest, by: url).outcome == .sentCrossSite)
        let webkit = WebKitProfile().crossSiteCookieVerdict(for: cookie, setIn: .topLevelVisit, by: url)
        #expect(webkit.outcome == .rejected)
        #expect(webkit.explanation.hasPrefix("The cookie is Secure but came over plain http, and WebKit stores Secure cookies only from https"))
        let remote = WebURL("http://api.example.com/login")
        #expect(ChromiumProfile().crossSiteCookieVerdict(for: cookie, setIn: .crossSiteRequest, by: remote).outcome == .rejected)
    }
}
