import CORSBrowserModel
@testable import CORSCommandLine
import Foundation
import Testing

/// The tutorial's scenarios, in headless Chromium, against the demo API (`cors demo`) on
/// Hummingbird and on Vapor, with a policy that trusts the page's origin.
@Suite("Demo API in Chromium", .demoEnvironment, .timeLimit(.minutes(3)))
struct DemoAPIBrowserTests {
    private var environment: DemoEnvironment {
        get throws { try #require(DemoEnvironment.current, "the suite trait starts the environment") }
    }

    /// Runs `request` in `page`, then the browser model on the same request, fed the live demo
    /// API's answers, and `cors check --json` (each under an extra `via=` query, so the
    /// server's counts stay Chromium's), and expects the same verdict, reason and console
    /// message.
    private func fetch(
        in page: BrowserPage, trusted: Bool, _ request: FetchRequest,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> FetchOutcome {
        let environment = try environment
        let origin = trusted ? environment.trustedOrigin : environment.untrustedOrigin
        let outcome = try await page.fetch(request)
        let modelURL = request.url + (request.url.contains("?") ? "&" : "?") + "via=model"
        let model = try await ModelRun.runLive(
            url: modelURL, origin: origin, method: request.method, headers: request.headers,
            credentials: request.credentials)
        #expect(
            model.verdict == outcome.verdict,
            "browser model disagrees with Chromium on \(request): Chromium \(outcome.verdict), model \(model.verdict)",
            sourceLocation: sourceLocation)
        let checkURL = request.url + (request.url.contains("?") ? "&" : "?") + "via=check"
        let check = try await CorsCheckRun.run(
            url: checkURL, origin: origin, method: request.method, headers: request.headers,
            credentials: request.credentials)
        #expect(
            check.verdict == outcome.verdict,
            "cors check disagrees with Chromium on \(request): Chromium \(outcome.verdict), cors check \(check.verdict)",
            sourceLocation: sourceLocation)
        if let message = model.consoleMessage {
            let expected = message.replacingOccurrences(of: modelURL, with: request.url)
            #expect(
                outcome.consoleMessages.contains(expected),
                "console message: Chromium \(outcome.consoleMessages), model [\(expected)]", sourceLocation: sourceLocation)
        }
        return outcome
    }

    @Test("Credentialed GET /me: readable, X-Request-Id readable", arguments: DemoFramework.allCases)
    func credentialedGet(framework: DemoFramework) async throws {
        let api = try environment[framework]
        let path = "/me?case=get"
        let outcome = try await fetch(in: api.trustedPage, trusted: true, FetchRequest(url: api.url(path), credentials: "include"))
        #expect(outcome.status == 200, "\(outcome)")
        #expect(outcome.body == #"{"user":"alice"}"#)
        let requestID = try #require(outcome.readableHeaders["x-request-id"], "\(outcome.readableHeaders)")
        #expect(!requestID.isEmpty)
        #expect(outcome.preflights.isEmpty, "a GET without custom headers needs no preflight")
        #expect(api.received("OPTIONS", path).isEmpty)
        #expect(api.received("GET", path).first?.header("Origin") == (try environment.trustedOrigin))
    }

    @Test("PUT and DELETE with Authorization and JSON: one preflight, then Chromium's preflight cache", arguments: DemoFramework.allCases)
    func preflightCache(framework: DemoFramework) async throws {
        let api = try environment[framework]
        let path = "/me?case=preflight-cache"
        func request(_ method: String) -> FetchRequest {
            FetchRequest(
                url: api.url(path), method: method,
                headers: [("Authorization", "Bearer token-1"), ("Content-Type", "application/json")],
                credentials: "include", body: method == "PUT" ? #"{"name":"alice"}"# : nil)
        }
        let firstPut = try await fetch(in: api.trustedPage, trusted: true, request("PUT"))
        #expect(firstPut.status == 200, "\(firstPut)")
        #expect(firstPut.body == #"{"user":"alice","updated":true}"#)
        #expect(firstPut.preflights.count == 1, "\(firstPut.requests) \(firstPut.requests.map(\.type))")
        let firstDelete = try await fetch(in: api.trustedPage, trusted: true, request("DELETE"))
        #expect(firstDelete.status == 204, "\(firstDelete)")
        let secondPut = try await api.trustedPage.fetch(request("PUT"))
        #expect(secondPut.status == 200, "\(secondPut)")
        let secondDelete = try await api.trustedPage.fetch(request("DELETE"))
        #expect(secondDelete.status == 204, "\(secondDelete)")

        let preflights = api.received("OPTIONS", path)
        #expect(preflights.count == 1, "the preflight is sent once, then served from the cache: \(api.log.all)")
        let preflight = try #require(preflights.first)
        #expect(preflight.header("Access-Control-Request-Method") == "PUT")
        #expect(preflight.header("Access-Control-Request-Headers") == "authorization,content-type")
        #expect(preflight.header("Cookie") == nil, "a preflight never carries credentials")
        #expect(api.received("PUT", path).count == 2)
        #expect(api.received("DELETE", path).count == 2)
        #expect(api.received("PUT", path).first?.header("Authorization") == "Bearer token-1")
    }

    @Test("PATCH is not in the policy: MethodDisallowedByPreflightResponse", arguments: DemoFramework.allCases)
    func methodOutsidePolicy(framework: DemoFramework) async throws {
        let api = try environment[framework]
        let path = "/me?case=patch"
        let outcome = try await fetch(in: api.trustedPage, trusted: true, FetchRequest(url: api.url(path), method: "PATCH", credentials: "include"))
        #expect(outcome.isBlocked, "\(outcome)")
        #expect(outcome.corsError == "MethodDisallowedByPreflightResponse")
        #expect(outcome.failedParameter == "PATCH")
        #expect(
            outcome.consoleMessages.contains {
                $0.hasSuffix("Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.")
            }, "\(outcome.consoleMessages)")
        #expect(api.received("OPTIONS", path).count == 1)
        #expect(api.received("PATCH", path).isEmpty, "the actual request is never sent")
    }

    @Test("X-Custom is not in the policy: HeaderDisallowedByPreflightResponse", arguments: DemoFramework.allCases)
    func headerOutsidePolicy(framework: DemoFramework) async throws {
        let api = try environment[framework]
        let path = "/me?case=x-custom"
        let outcome = try await fetch(in: api.trustedPage, trusted: true, FetchRequest(url: api.url(path), headers: [("X-Custom", "1")], credentials: "include"))
        #expect(outcome.isBlocked, "\(outcome)")
        #expect(outcome.corsError == "HeaderDisallowedByPreflightResponse")
        #expect(outcome.failedParameter == "x-custom")
        #expect(
            outcome.consoleMessages.contains {
                $0.hasSuffix(
                    "Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.")
            }, "\(outcome.consoleMessages)")
        #expect(api.received("GET", path).isEmpty)
    }

    @Test("An untrusted origin: MissingAllowOriginHeader, preflighted: PreflightMissingAllowOriginHeader", arguments: DemoFramework.allCases)
    func untrustedOrigin(framework: DemoFramework) async throws {
        let api = try environment[framework]
        let simplePath = "/me?case=untrusted"
        let simple = try await fetch(in: api.untrustedPage, trusted: false, FetchRequest(url: api.url(simplePath), credentials: "include"))
        #expect(simple.isBlocked, "\(simple)")
        #expect(simple.corsError == "MissingAllowOriginHeader")
        #expect(
            simple.consoleMessages.contains {
                $0.hasSuffix(
                    "No 'Access-Control-Allow-Origin' header is present on the requested resource.")
            }, "\(simple.consoleMessages)")
        #expect(api.received("GET", simplePath).count == 1, "a simple request reaches the server; only reading is blocked")

        let preflightedPath = "/me?case=untrusted-preflighted"
        let preflighted = try await fetch(in: api.untrustedPage, trusted: false, FetchRequest(
                url: api.url(preflightedPath), method: "PUT",
                headers: [("Authorization", "Bearer token-1"), ("Content-Type", "application/json")],
                credentials: "include", body: "{}"))
        #expect(preflighted.isBlocked, "\(preflighted)")
        #expect(preflighted.corsError == "PreflightMissingAllowOriginHeader")
        #expect(api.received("OPTIONS", preflightedPath).count == 1)
        #expect(api.received("PUT", preflightedPath).isEmpty)
    }

    @Test("GET /boom: the page sees 500, an unknown route 404 — not CORS errors", arguments: DemoFramework.allCases)
    func errorsCarryCORSHeaders(framework: DemoFramework) async throws {
        let api = try environment[framework]
        let boom = try await fetch(in: api.trustedPage, trusted: true, FetchRequest(url: api.url("/boom"), credentials: "include"))
        #expect(boom.status == 500, "\(boom)")
        #expect(boom.corsError == nil)
        let missing = try await fetch(in: api.trustedPage, trusted: true, FetchRequest(url: api.url("/no-such-route"), credentials: "include"))
        #expect(missing.status == 404, "\(missing)")
        #expect(missing.corsError == nil)
    }

    @Test("GET /redirect: Chromium follows the 302 to /me and the page reads it", arguments: DemoFramework.allCases)
    func redirect(framework: DemoFramework) async throws {
        let api = try environment[framework]
        let outcome = try await fetch(in: api.trustedPage, trusted: true, FetchRequest(url: api.url("/redirect?case=redirect"), credentials: "include"))
        #expect(outcome.status == 200, "\(outcome)")
        #expect(outcome.redirected)
        #expect(outcome.body == #"{"user":"alice"}"#)
        let me = api.received("GET", "/me").last
        #expect(me?.header("Origin") == (try environment.trustedOrigin), "same-origin hop: Origin is not tainted")
    }

    /// Runs in Chromium's default browser context, one framework at a time: cookies are per
    /// host, not per port, so the two APIs on 127.0.0.1 share a jar, which each phase clears.
    ///
    /// Measured on Chromium 156: a fresh profile blocks third-party cookies (Chromium reports
    /// `UserPreferences`), so even `SameSite=None; Secure` is refused cross-site. The suite's
    /// profile allows them (``ChromiumProcess``), and phase 1 blocks them again with
    /// `Network.setCookieControls`. Allowed, only the `SameSite=None; Secure` cookie is stored
    /// and sent cross-site; same-site (another port of `localhost`), both are.
    @Test(
        "Cookies: third-party blocked by default; allowed, only SameSite=None; Secure crosses sites",
        .serialized, arguments: DemoFramework.allCases)
    func cookies(framework: DemoFramework) async throws {
        let environment = try environment
        let api = environment[framework]
        let page = try await environment.browser.openPage(environment.trustedOrigin + "/", isolated: false)
        do {
            try await cookieScenario(api: api, page: page, pageURL: environment.trustedOrigin + "/")
        } catch {
            await page.close()
            throw error
        }
        await page.close()
    }

    private func storedCookieNames(_ page: BrowserPage, _ url: String) async throws -> [String] {
        let stored = try await page.send("Network.getCookies", ["urls": [.string(url)]])
        return (stored["cookies"]?.array ?? []).compactMap { $0["name"]?.string }.sorted()
    }

    private func cookieScenario(api: DemoAPITarget, page: BrowserPage, pageURL: String) async throws {
        #expect(try await page.evaluate("window.isSecureContext") == .bool(true), "http://localhost is a secure context")

        // 1. Third-party cookies blocked (a fresh profile's default): neither cookie is stored.
        try await page.send("Network.setCookieControls", ["enableThirdPartyCookieRestriction": true])
        try await page.navigate(to: pageURL)
        try await page.send("Network.clearBrowserCookies")
        let blockedLogin = try await page.fetch(
            FetchRequest(url: api.url("/login?case=cookies-blocked"), method: "POST", credentials: "include"))
        #expect(blockedLogin.status == 204, "\(blockedLogin)")
        #expect(blockedLogin.cookieReports.count == 2, "\(blockedLogin.cookieReports)")
        #expect(blockedLogin.cookieReports.allSatisfy { $0.contains("UserPreferences") }, "\(blockedLogin.cookieReports)")
        #expect(try await storedCookieNames(page, api.baseURL + "/") == [])

        // 2. Third-party cookies allowed (the profile's setting): `legacy` (no SameSite, so Lax)
        // is refused cross-site.
        try await page.send("Network.setCookieControls", ["enableThirdPartyCookieRestriction": false])
        try await page.navigate(to: pageURL)
        try await page.send("Network.clearBrowserCookies")
        let before = try await page.fetch(FetchRequest(url: api.url("/cookies?case=before"), credentials: "include"))
        #expect(before.body == #"{"cookies":[]}"#, "\(before)")
        let login = try await page.fetch(
            FetchRequest(url: api.url("/login?case=cookies"), method: "POST", credentials: "include"))
        #expect(login.status == 204, "\(login)")
        #expect(login.readableHeaders["set-cookie"] == nil, "Set-Cookie is never readable")
        #expect(login.cookieReports.count == 1, "\(login.cookieReports)")
        #expect(
            login.cookieReports.first?.contains("legacy=alice") == true
                && login.cookieReports.first?.contains("SameSiteUnspecifiedTreatedAsLax") == true,
            "\(login.cookieReports)")
        // `session` is Secure, and Chromium accepts it from http://127.0.0.1 (a secure context).
        #expect(try await storedCookieNames(page, api.baseURL + "/") == ["session"])
        // The browser model agrees on which cookie goes with a credentialed cross-site request.
        let modelSends = [DemoAPI.sessionCookie, DemoAPI.legacyCookie].map { SetCookie(parsing: $0) }
            .filter(\.crossSiteVerdict.isSentCrossSite).map(\.name)
        #expect(modelSends == ["session"])

        let after = try await page.fetch(FetchRequest(url: api.url("/cookies?case=after"), credentials: "include"))
        #expect(after.status == 200, "\(after)")
        #expect(after.body == #"{"cookies":["session"]}"#, "only the SameSite=None; Secure cookie crosses sites")
        let omitted = try await page.fetch(FetchRequest(url: api.url("/cookies?case=omit"), credentials: "omit"))
        #expect(omitted.body == #"{"cookies":[]}"#, "\(omitted)")

        let mePath = "/me?case=cookie"
        let me = try await page.fetch(FetchRequest(url: api.url(mePath), credentials: "include"))
        #expect(me.status == 200, "\(me)")
        #expect(me.readableHeaders["x-request-id"]?.isEmpty == false, "\(me.readableHeaders)")
        let received = try #require(api.received("GET", mePath).first)
        #expect(received.header("Cookie") == "session=alice", "\(received.headerFields)")

        // 3. Same-site (localhost:PAGE → localhost:API; ports do not count): both cookies.
        let sameSiteBase = api.baseURL.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        let sameSiteLogin = try await page.fetch(
            FetchRequest(url: sameSiteBase + "/login?case=same-site", method: "POST", credentials: "include"))
        #expect(sameSiteLogin.status == 204, "\(sameSiteLogin)")
        #expect(sameSiteLogin.cookieReports.isEmpty, "\(sameSiteLogin.cookieReports)")
        let sameSite = try await page.fetch(
            FetchRequest(url: sameSiteBase + "/cookies?case=same-site", credentials: "include"))
        #expect(sameSite.body == #"{"cookies":["legacy","session"]}"#, "\(sameSite)")
    }
}
