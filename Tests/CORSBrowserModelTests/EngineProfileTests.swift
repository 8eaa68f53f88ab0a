import CORSBrowserModel
import HTTPTypes
import Testing

/// The engine profiles: each engine's console lines for the same blocked exchange, its
/// preflight cache, cookies and the reading of its lines back into causes.
@Suite("Engine profiles")
struct EngineProfileTests {
    static let url = "http://127.0.0.1:8080/me"
    static let origin = "http://localhost:5173"

    func lines(
        _ engine: BrowserEngine, method: String = "GET", headers: [(String, String)] = [],
        credentials: CredentialsMode = .omit, preflight: HTTPResponse? = nil, actual: HTTPResponse? = nil,
        initiator: RequestInitiator = .fetch
    ) throws -> [String] {
        let plan = try makePlan(
            url: Self.url, origin: Self.origin, method: method, headers: headers, credentials: credentials,
            initiator: initiator)
        let exchange = try #require(
            preflight.flatMap { plan.blockedExchange(preflightResponse: $0) }
                ?? actual.flatMap { plan.blockedExchange(actualResponse: $0) })
        return engine.profile.report(exchange).consoleLines
    }

    @Test("A 500 without Access-Control-Allow-Origin, in each engine's words")
    func missingAllowOrigin() throws {
        let actual = response(500)
        #expect(
            try lines(.chromium, actual: actual) == [
                "Access to fetch at 'http://127.0.0.1:8080/me' from origin 'http://localhost:5173' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
            ])
        #expect(
            try lines(.firefox, actual: actual) == [
                "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8080/me. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500."
            ])
        #expect(
            try lines(.webkit, actual: actual) == [
                "Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 500",
                "Fetch API cannot load http://127.0.0.1:8080/me due to access control checks.",
            ])
        #expect(
            try lines(.webkit, actual: actual, initiator: .xmlHttpRequest)[1]
                == "XMLHttpRequest cannot load http://127.0.0.1:8080/me due to access control checks.")
    }

    @Test("A 403 preflight without CORS headers: WebKit reports the status first, the others the missing header")
    func preflightStatusOrder() throws {
        let preflight = response(403)
        #expect(
            try lines(.chromium, method: "PUT", preflight: preflight) == [
                "Access to fetch at 'http://127.0.0.1:8080/me' from origin 'http://localhost:5173' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource."
            ])
        #expect(
            try lines(.firefox, method: "PUT", preflight: preflight) == [
                "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8080/me. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403.",
                "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8080/me. (Reason: CORS request did not succeed). Status code: (null).",
            ])
        #expect(
            try lines(.webkit, method: "PUT", preflight: preflight) == [
                "Preflight response is not successful. Status code: 403",
                "Fetch API cannot load http://127.0.0.1:8080/me due to access control checks.",
            ])
    }

    @Test("Credentials, methods, headers and lists in Firefox's and WebKit's words")
    func otherReasons() throws {
        let prefix = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at "
        let wildcard = response(200, [("Access-Control-Allow-Origin", "*")])
        #expect(
            try lines(.firefox, credentials: .include, actual: wildcard)
                == [prefix + "‘http://127.0.0.1:8080/me’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."])
        #expect(
            try lines(.webkit, credentials: .include, actual: wildcard)[0]
                == "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.")
        let capitalised = response(200, [("Access-Control-Allow-Origin", Self.origin), ("Access-Control-Allow-Credentials", "True")])
        #expect(
            try lines(.firefox, credentials: .include, actual: capitalised)
                == [prefix + "http://127.0.0.1:8080/me. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’)."])
        #expect(
            try lines(.webkit, credentials: .include, actual: capitalised)[0]
                == "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".")
        let slash = response(200, [("Access-Control-Allow-Origin", Self.origin + "/")])
        #expect(
            try lines(.firefox, actual: slash)
                == [prefix + "http://127.0.0.1:8080/me. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://localhost:5173/’)."])
        let twoLines = response(200, [("Access-Control-Allow-Origin", Self.origin), ("Access-Control-Allow-Origin", Self.origin)])
        #expect(try lines(.firefox, actual: twoLines)[0] == prefix + "http://127.0.0.1:8080/me. (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).")
        #expect(try lines(.webkit, actual: twoLines)[0] == "Access-Control-Allow-Origin cannot contain more than one origin.")

        let methods = response(204, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "GET, POST")])
        #expect(try lines(.firefox, method: "PUT", preflight: methods)[0] == prefix + "http://127.0.0.1:8080/me. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).")
        #expect(try lines(.webkit, method: "PUT", preflight: methods)[0] == "Method PUT is not allowed by Access-Control-Allow-Methods.")
        let unparsable = response(204, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "PUT DELETE")])
        #expect(try lines(.firefox, method: "PUT", preflight: unparsable)[0] == prefix + "http://127.0.0.1:8080/me. (Reason: invalid token ‘PUT DELETE’ in CORS header ‘Access-Control-Allow-Methods’).")
        #expect(try lines(.webkit, method: "PUT", preflight: unparsable)[0] == "Header Access-Control-Allow-Methods has an invalid value: PUT DELETE")
        let noHeader = response(204, [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "*")])
        #expect(try lines(.firefox, headers: [("X-Api-Key", "k")], preflight: noHeader)[0] == prefix + "http://127.0.0.1:8080/me. (Reason: header ‘x-api-key’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).")
        #expect(try lines(.webkit, headers: [("X-Api-Key", "k")], preflight: noHeader)[0] == "Request header field X-Api-Key is not allowed by Access-Control-Allow-Headers.")
        let redirected = response(302, [("Access-Control-Allow-Origin", "*"), ("Location", "/elsewhere")])
        #expect(try lines(.firefox, method: "PUT", preflight: redirected)[0] == prefix + "http://127.0.0.1:8080/me. (Reason: CORS request external redirect not allowed).")
        #expect(try lines(.webkit, method: "PUT", preflight: redirected)[0] == "Preflight response is not successful. Status code: 302")
        let redirect = response(302, [("Location", "/elsewhere")])
        #expect(
            try lines(.webkit, actual: redirect)[0]
                == "Cross-origin redirection to http://127.0.0.1:8080/elsewhere denied by Cross-Origin Resource Sharing policy: Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 302")
    }

    @Test("Preflight cache lifetimes: cap, default, invalid and negative values per engine")
    func preflightCache() {
        let chromium = BrowserEngine.chromium.profile.preflightCache
        let firefox = BrowserEngine.firefox.profile.preflightCache
        let webkit = BrowserEngine.webkit.profile.preflightCache
        #expect([chromium.capSeconds, firefox.capSeconds, webkit.capSeconds] == [7200, 86400, 600])
        #expect([nil, "100000", "3600", "abc", "-1", "+5", "0"].map { chromium.lifetime(headerValue: $0) } == [5, 7200, 3600, 5, 0, 5, 0])
        #expect([nil, "100000", "3600", "abc", "-1", "+5", "0"].map { firefox.lifetime(headerValue: $0) } == [0, 86400, 3600, 0, 0, 0, 0])
        #expect([nil, "100000", "3600", "abc", "-1", "+5", "0"].map { webkit.lifetime(headerValue: $0) } == [5, 600, 600, 5, 0, 5, 0])
    }

    @Test("A session cookie set by a cross-site answer: Chrome sends it, Firefox from its partition, Safari does not store it")
    func cookies() {
        let cookie = SetCookie(parsing: "session=abc; Path=/; Secure; HttpOnly; SameSite=None")
        #expect(BrowserEngine.chromium.profile.crossSiteCookieVerdict(for: cookie).outcome == .sentCrossSite)
        #expect(BrowserEngine.firefox.profile.crossSiteCookieVerdict(for: cookie).outcome == .sentCrossSite)
        #expect(BrowserEngine.firefox.profile.crossSiteCookieVerdict(for: cookie).explanation.contains("Total Cookie Protection"))
        #expect(BrowserEngine.webkit.profile.crossSiteCookieVerdict(for: cookie).outcome == .rejected)
        let defaultCookie = SetCookie(parsing: "session=abc")
        #expect(BrowserEngine.chromium.profile.crossSiteCookieVerdict(for: defaultCookie).outcome == .rejected)
        #expect(BrowserEngine.firefox.profile.crossSiteCookieVerdict(for: defaultCookie).outcome == .sentCrossSite)
    }

    @Test("A session cookie the user got by visiting the API's site: Chrome sends it, Firefox keeps it home, WebKitGTK sends even a SameSite-less one")
    func visitCookies() {
        let secure = SetCookie(parsing: "session=abc; Path=/; Secure; SameSite=None")
        let plain = SetCookie(parsing: "session=abc; Path=/")
        let lax = SetCookie(parsing: "session=abc; Path=/; Secure; SameSite=Lax")
        let outcomes = { (engine: BrowserEngine) in
            [secure, plain, lax].map { engine.profile.crossSiteCookieVerdict(for: $0, setIn: .topLevelVisit).outcome }
        }
        #expect(outcomes(.chromium) == [.sentCrossSite, .notSentCrossSite, .notSentCrossSite])
        #expect(outcomes(.firefox) == [.notSentCrossSite, .notSentCrossSite, .notSentCrossSite])
        #expect(outcomes(.webkit) == [.sentCrossSite, .sentCrossSite, .notSentCrossSite])
        // WebKit keeps SameSite=None without Secure; Chromium and Firefox refuse it.
        let insecureNone = SetCookie(parsing: "session=abc; SameSite=None")
        #expect(BrowserEngine.webkit.profile.crossSiteCookieVerdict(for: insecureNone, setIn: .topLevelVisit).outcome == .sentCrossSite)
        #expect(BrowserEngine.firefox.profile.crossSiteCookieVerdict(for: insecureNone, setIn: .topLevelVisit).outcome == .rejected)
    }

    @Test("Every catalogue line reads back as the same message with the same values")
    func catalogueRoundTrip() {
        let sample: [ConsolePlaceholder: String] = [
            .url: "https://api.example.com/v1/me?x=1", .initialURL: "https://old.example.com/me",
            .origin: "https://app.example.com", .status: "502", .value: "https://a.example, https://b.example",
            .method: "PATCH", .header: "x-api-key", .token: "PUT;", .location: "https://api.example.com/login",
            .kind: "fetch", .api: "Fetch API",
        ]
        for message in ConsoleMessageReader.allMessages {
            for template in message.templates {
                var values = sample
                if template.placeholders.contains(.kind), template.text.contains("XMLHttpRequest") { values[.kind] = "XMLHttpRequest" }
                let line = "[Error] " + template.render(values)
                let reading = ConsoleMessageReader.read(line: line)
                #expect(reading?.message.id == message.id, "\(message.engine) \(message.id): \(line)")
                #expect(reading?.message.engine == message.engine)
                for name in template.placeholders {
                    #expect(reading?.values[name] == values[name], "\(message.id) \(name)")
                }
            }
        }
    }

    @Test("Each engine's behaviours name their source")
    func behavioursAreCited() {
        for engine in BrowserEngine.allCases {
            let profile = engine.profile
            for behaviour in [profile.authorizationUnderWildcard, profile.redirectedPreflight, profile.localNetworkAccess] {
                #expect(!behaviour.source.isEmpty && !behaviour.summary.isEmpty)
            }
            #expect(!profile.preflightCache.source.isEmpty)
        }
        #expect(BrowserEngine.firefox.profile.authorizationUnderWildcard.summary.contains("Warning"))
    }
}
