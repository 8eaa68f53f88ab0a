import CORSBrowserModel
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The cookies the cross-site cookie scenario sets: one per attribute combination that decides
/// whether a cookie crosses sites. Every one has `Path=/xs`, so that it never reaches the engine
/// zoo's `/case/…` routes on the same host.
struct ScenarioCookie: Sendable, Hashable {
    /// The name's suffix, e.g. `none_secure`.
    let label: String
    /// The attributes after `Path=/xs`, e.g. `SameSite=None; Secure`.
    let attributes: String

    static let all: [ScenarioCookie] = [
        ScenarioCookie(label: "none_secure", attributes: "SameSite=None; Secure"),
        ScenarioCookie(label: "none_insecure", attributes: "SameSite=None"),
        ScenarioCookie(label: "lax", attributes: "SameSite=Lax"),
        ScenarioCookie(label: "strict", attributes: "SameSite=Strict"),
        ScenarioCookie(label: "unspecified", attributes: ""),
        ScenarioCookie(label: "partitioned", attributes: "SameSite=None; Secure; Partitioned"),
    ]

    /// The cookie's name when set in `setting`: `visit_lax`, `fetch_lax`…
    func name(_ setting: ScenarioSetting) -> String { "\(setting.rawValue)_\(label)" }

    /// The `Set-Cookie` value the API sends in `setting`.
    func headerValue(_ setting: ScenarioSetting) -> String {
        "\(name(setting))=1; Path=/xs" + (attributes.isEmpty ? "" : "; \(attributes)")
    }
}

/// How the API's response that sets the cookies is reached.
enum ScenarioSetting: String, Sendable, CaseIterable {
    /// The top-level page is the API's own URL (the user visits the API's site).
    case visit
    /// The page on the other site calls the API with `fetch(…, {credentials: "include"})`.
    case fetch
}

/// What one engine did in the scenario, as stored in `Tests/EngineFixtures/cross-site-cookies.json`:
/// the names of the cookies that reached the API on a credentialed cross-site `fetch`, and on a
/// top-level visit of the API (its own, unpartitioned jar).
struct CrossSiteCookieRecord: Codable, Hashable, Sendable, CustomStringConvertible {
    var sentCrossSite: [String]
    var sentOnVisit: [String]

    var description: String { "cross-site fetch \(sentCrossSite), top-level visit \(sentOnVisit)" }
}

extension EngineFixtures {
    /// Cross-site cookies per engine, under the one case id ``CrossSiteCookieScenario/caseID``.
    static let crossSiteCookies = EngineFixtureFile<CrossSiteCookieRecord>(
        url: directory.appendingPathComponent("cross-site-cookies.json"))
}

/// The API of the cross-site cookie scenario, on `http://127.0.0.1:B`:
/// `GET /xs/set-cookies?as=visit|fetch` sets every ``ScenarioCookie`` named for that setting,
/// `GET /xs/echo-cookies?step=NAME` answers with the `Cookie` header it received (also kept in
/// the request log). Both answer a request with `Origin` with that origin and
/// `Access-Control-Allow-Credentials: true`.
enum CrossSiteCookieAPI {
    static func start(log: RequestLog) async throws -> RunningServer {
        try await RunningServer.start("cross-site-cookies") { onRunning in
            let router = Router()
            router.get("/xs/set-cookies") { request, _ in
                let setting = ScenarioSetting(rawValue: request.uri.queryParameters["as"].map(String.init) ?? "") ?? .visit
                var fields = corsFields(request)
                fields[.contentType] = "text/html; charset=utf-8"
                fields[.cacheControl] = "no-store"
                for cookie in ScenarioCookie.all {
                    fields.append(HTTPField(name: .setCookie, value: cookie.headerValue(setting)))
                }
                return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><title>set</title>")))
            }
            router.get("/xs/echo-cookies") { request, _ in
                var fields = corsFields(request)
                fields[.contentType] = "text/plain; charset=utf-8"
                fields[.cacheControl] = "no-store"
                return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: request.headers[.cookie] ?? "")))
            }
            return Application(
                responder: RecordingResponder(base: router.buildResponder(), log: log),
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: quietLogger("cross-site-cookies"))
        }
    }

    private static func corsFields(_ request: Request) -> HTTPFields {
        var fields = HTTPFields()
        if let origin = request.headers[.origin] {
            fields[HTTPField.Name("Access-Control-Allow-Origin")!] = origin
            fields[HTTPField.Name("Access-Control-Allow-Credentials")!] = "true"
            fields[HTTPField.Name("Vary")!] = "Origin"
        }
        return fields
    }
}

/// The scenario, in one engine: (1) a top-level visit of `http://127.0.0.1:B/xs/set-cookies?as=visit`
/// sets the `visit_…` cookies first-party; (2) back on the page `http://localhost:P`, a
/// credentialed `fetch` of `?as=fetch` sets the `fetch_…` cookies from a cross-site response;
/// (3) a credentialed `fetch` of `/xs/echo-cookies` shows which cookies cross sites; (4) a
/// top-level visit of `/xs/echo-cookies` shows which the API's own jar holds.
enum CrossSiteCookieScenario {
    static let caseID = "credentialed-fetch-from-localhost-to-127.0.0.1"

    /// The tab the scenario drives. Chromium's is a page of the default browser context (the
    /// zoo's isolated contexts are off the record, where Chromium blocks third-party cookies).
    enum Tab {
        case chromium(BrowserPage)
        case firefox(FirefoxBrowser)
        case webkit(WebKitDriver)

        func navigate(to url: String) async throws {
            switch self {
            case .chromium(let page): try await page.navigate(to: url)
            case .firefox(let browser): try await browser.navigate(to: url)
            case .webkit(let driver): try await driver.navigate(to: url)
            }
        }

        func fetch(_ request: FetchRequest) async throws -> Int? {
            switch self {
            case .chromium(let page): try await page.fetch(request).status
            case .firefox(let browser): try await browser.fetch(request).status
            case .webkit(let driver): try await driver.fetch(request).status
            }
        }
    }

    /// Runs the scenario in `running`'s engine with the page on `pageOrigin`.
    static func run(in running: RunningEngine, pageOrigin: String) async throws -> CrossSiteCookieRecord {
        let log = RequestLog()
        let api = try await CrossSiteCookieAPI.start(log: log)
        let base = "http://127.0.0.1:\(api.port)"
        let page = pageOrigin + "/"
        var chromiumPage: BrowserPage?
        do {
            let tab: Tab
            switch running {
            case .chromium(let browser, _):
                let opened = try await browser.openPage(page, isolated: false)
                chromiumPage = opened
                try await opened.send("Network.clearBrowserCookies")
                tab = .chromium(opened)
            case .firefox(let browser): tab = .firefox(browser)
            case .webkit(_, let driver, _): tab = .webkit(driver)
            }
            try await tab.navigate(to: base + "/xs/set-cookies?as=visit")
            try await tab.navigate(to: page)
            let setStatus = try await tab.fetch(FetchRequest(url: base + "/xs/set-cookies?as=fetch", credentials: "include"))
            let echoStatus = try await tab.fetch(FetchRequest(url: base + "/xs/echo-cookies?step=cross-site", credentials: "include"))
            try await tab.navigate(to: base + "/xs/echo-cookies?step=visit")
            try await tab.navigate(to: page)
            guard setStatus == 200, echoStatus == 200 else {
                throw BrowserStartError(description: "\(running.engine): the credentialed fetches were not allowed (\(String(describing: setStatus)), \(String(describing: echoStatus)))")
            }
            let record = CrossSiteCookieRecord(
                sentCrossSite: cookieNames(log, step: "cross-site"), sentOnVisit: cookieNames(log, step: "visit"))
            await chromiumPage?.close()
            await api.stop()
            return record
        } catch {
            await chromiumPage?.close()
            await api.stop()
            throw error
        }
    }

    /// The names in the `Cookie` header of the `/xs/echo-cookies?step=STEP` request, sorted.
    private static func cookieNames(_ log: RequestLog, step: String) -> [String] {
        let header = log.matching(method: "GET", uri: "/xs/echo-cookies?step=\(step)").last?.header("Cookie") ?? ""
        return header.split(separator: ";").compactMap { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) }
            return name?.isEmpty == false ? name : nil
        }.sorted()
    }
}

extension ScenarioSetting {
    /// The browser model's name for this setting.
    var context: CookieSettingContext {
        switch self {
        case .visit: .topLevelVisit
        case .fetch: .crossSiteRequest
        }
    }
}

extension CrossSiteCookieScenario {
    /// Where `profile`'s verdicts disagree with what its engine did in `record`, one sentence
    /// per cookie: a cookie is sent cross-site exactly when the verdict says so; a rejected one
    /// reaches the API nowhere; one set on a visit and "not sent cross-site" is still stored and
    /// goes with a visit.
    static func mispredictions(_ profile: any EngineProfile, _ record: CrossSiteCookieRecord) -> [String] {
        let apiURL = WebURL("http://127.0.0.1/xs/set-cookies")
        var problems: [String] = []
        for setting in ScenarioSetting.allCases {
            for cookie in ScenarioCookie.all {
                let name = cookie.name(setting)
                let verdict = profile.crossSiteCookieVerdict(
                    for: SetCookie(parsing: cookie.headerValue(setting)), setIn: setting.context, by: apiURL)
                let sent = record.sentCrossSite.contains(name)
                let onVisit = record.sentOnVisit.contains(name)
                if verdict.isSentCrossSite != sent {
                    problems.append("\(name): the model says \(verdict.outcome.rawValue), the engine \(sent ? "sent" : "did not send") it cross-site")
                }
                if verdict.outcome == .rejected && onVisit {
                    problems.append("\(name): the model says rejected, the engine sent it on a top-level visit")
                }
                if setting == .visit && verdict.outcome == .notSentCrossSite && !onVisit {
                    problems.append("\(name): the model says stored, the engine did not send it on a top-level visit")
                }
            }
        }
        return problems
    }
}
