import Foundation
import NIOConcurrencyHelpers

/// One headless Chromium and its DevTools connection, shared by a suite's pages.
struct Browser: Sendable {
    let process: ChromiumProcess
    let devTools: DevToolsConnection

    /// Starts Chromium. Throws ``BrowserStartError`` with the reason when it cannot: the suite
    /// then fails, it is never skipped.
    static func launch(arguments: [String] = []) async throws -> Browser {
        let process = try await ChromiumProcess.launch(arguments: arguments)
        do {
            let devTools = try await DevToolsConnection.connect(to: process.webSocketDebuggerURL)
            return Browser(process: process, devTools: devTools)
        } catch {
            let tail = process.logTail
            process.stop()
            throw BrowserStartError(description: "Chromium started but its DevTools endpoint refused us: \(error)\n\(tail)")
        }
    }

    /// Opens `url` in a new tab with the Network, Runtime, Log and Page domains enabled.
    ///
    /// - Parameter isolated: `true` opens it in a new browser context, with its own cookie
    ///   jar, HTTP cache and preflight cache. Such a context is off the record, and Chromium
    ///   blocks third-party cookies there, so cross-site cookie tests use the default context
    ///   (`false`), like a person's normal profile.
    func openPage(_ url: String, isolated: Bool = true) async throws -> BrowserPage {
        var contextID: String?
        var params: [String: JSONValue] = ["url": "about:blank"]
        if isolated {
            let context = try await devTools.send("Target.createBrowserContext", ["disposeOnDetach": true])
            guard let id = context["browserContextId"]?.string else {
                throw DevToolsError(description: "Target.createBrowserContext returned \(context)")
            }
            contextID = id
            params["browserContextId"] = .string(id)
        }
        let target = try await devTools.send("Target.createTarget", .object(params))
        guard let targetID = target["targetId"]?.string else {
            throw DevToolsError(description: "Target.createTarget returned \(target)")
        }
        let attached = try await devTools.send("Target.attachToTarget", ["targetId": .string(targetID), "flatten": true])
        guard let sessionID = attached["sessionId"]?.string else {
            throw DevToolsError(description: "Target.attachToTarget returned \(attached)")
        }
        let page = BrowserPage(devTools: devTools, sessionID: sessionID, targetID: targetID, contextID: contextID)
        devTools.setEventHandler(sessionID: sessionID) { method, params in page.record(method, params) }
        for domain in ["Network", "Runtime", "Log", "Page"] {
            try await page.send("\(domain).enable")
        }
        try await page.navigate(to: url)
        return page
    }

    /// Closes the connection, kills the browser and removes its profile.
    func shutdown() async {
        await devTools.close()
        process.stop()
    }
}

/// One DevTools protocol event.
struct DevToolsEvent: Sendable {
    let method: String
    let params: JSONValue
}

/// What the page's script asks for: `fetch(url, {method, headers, credentials, body})`.
struct FetchRequest: Sendable, CustomStringConvertible {
    var url: String
    var method = "GET"
    var headers: [(name: String, value: String)] = []
    var credentials = "same-origin"
    var body: String?

    var description: String {
        let fields = headers.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
        return "\(method) \(url) credentials=\(credentials)" + (fields.isEmpty ? "" : " [\(fields)]")
    }

    /// The script: an async function returning what the page could observe.
    var script: String {
        var options: [String: JSONValue] = [
            "method": .string(method),
            "credentials": .string(credentials),
            "headers": .array(headers.map { [.string($0.name), .string($0.value)] }),
        ]
        if let body { options["body"] = .string(body) }
        return """
            (async () => {
              try {
                const response = await fetch(\(JSONValue.string(url).serialized), \(JSONValue.object(options).serialized));
                const headers = {};
                response.headers.forEach((value, name) => { headers[name] = value; });
                const body = await response.text();
                return { status: response.status, type: response.type, redirected: response.redirected,
                         url: response.url, headers, body };
              } catch (error) {
                return { error: String(error) };
              }
            })()
            """
    }
}

/// A request Chromium reported on the Network domain.
struct ObservedRequest: Sendable, CustomStringConvertible {
    let requestID: String
    let url: String
    let method: String
    /// `Fetch` for `fetch()`, `Other` for a preflight.
    let type: String
    /// Whether this is a CORS preflight (DevTools: `initiator.type == "preflight"`).
    let isPreflight: Bool
    let headers: [String: String]

    var description: String { "\(isPreflight ? "preflight" : type) \(method) \(url)" }
}

/// Everything the page and DevTools saw of one `fetch`.
struct FetchOutcome: Sendable, CustomStringConvertible {
    /// The status the script saw, `nil` when `fetch` rejected.
    let status: Int?
    /// The response headers the script could read, lowercased names.
    let readableHeaders: [String: String]
    let body: String
    let redirected: Bool
    /// `TypeError: Failed to fetch` and the like.
    let scriptError: String?
    /// `Network.loadingFailed` → `corsErrorStatus.corsError` (Chromium's `CorsError` name).
    let corsError: String?
    /// `Network.loadingFailed` → `corsErrorStatus.failedParameter`.
    let failedParameter: String?
    /// `Network.loadingFailed` → `errorText` (`net::ERR_FAILED`).
    let networkError: String?
    /// Console lines that name the URL ("Access to fetch at '…' … blocked by CORS policy: …").
    let consoleMessages: [String]
    /// Every request Chromium sent for this fetch, preflights included, in order.
    let requests: [ObservedRequest]
    /// Cookies Chromium refused to store or to send, with its reasons
    /// (`Network.responseReceivedExtraInfo` / `requestWillBeSentExtraInfo`).
    let cookieReports: [String]

    var isBlocked: Bool { status == nil }

    var preflights: [ObservedRequest] { requests.filter(\.isPreflight) }

    var description: String {
        if let status {
            return "status \(status)\(redirected ? " (redirected)" : "") headers \(readableHeaders.keys.sorted())"
        }
        return "blocked: \(corsError ?? "-") (\(failedParameter ?? "-")) \(networkError ?? "") \(scriptError ?? "")"
    }
}

/// A tab attached with a flattened DevTools session. It records Network, Log and Runtime
/// console events so that each `fetch` can be matched with Chromium's own account of it.
final class BrowserPage: Sendable {
    private enum Event {
        case requestWillBeSent(ObservedRequest, isRedirect: Bool)
        case loadingFailed(requestID: String, errorText: String?, corsError: String?, failedParameter: String?)
        case loadingFinished(requestID: String)
        case console(String)
        case blockedCookies(requestID: String, [String])
        case load
    }

    private let devTools: DevToolsConnection
    let sessionID: String
    private let targetID: String
    private let contextID: String?
    private let events = NIOLockedValueBox<[Event]>([])
    /// Every `Network.*` event as DevTools sent it, for HAR files (``ChromiumHAR``).
    private let networkEvents = NIOLockedValueBox<[DevToolsEvent]>([])

    fileprivate init(devTools: DevToolsConnection, sessionID: String, targetID: String, contextID: String?) {
        self.devTools = devTools
        self.sessionID = sessionID
        self.targetID = targetID
        self.contextID = contextID
    }

    @discardableResult
    func send(_ method: String, _ params: JSONValue = [:]) async throws -> JSONValue {
        try await devTools.send(method, params, sessionID: sessionID)
    }

    func navigate(to url: String) async throws {
        let start = events.withLockedValue { $0.count }
        let result = try await send("Page.navigate", ["url": .string(url)])
        if let error = result["errorText"]?.string {
            throw DevToolsError(description: "navigating to \(url) failed: \(error)")
        }
        try await waitUntil(timeout: .seconds(30), "the load event of \(url)") { events in
            events[start...].contains { if case .load = $0 { true } else { false } }
        }
    }

    /// Evaluates `expression` (awaiting a promise) and returns its value.
    func evaluate(_ expression: String) async throws -> JSONValue {
        let result = try await send(
            "Runtime.evaluate", ["expression": .string(expression), "awaitPromise": true, "returnByValue": true])
        if let exception = result["exceptionDetails"] {
            throw DevToolsError(description: "script threw: \(exception["exception"]?["description"] ?? exception)")
        }
        return result["result"]?["value"] ?? .null
    }

    /// Runs `fetch` in the page and gathers Chromium's report of it. Calls for the same URL
    /// must not overlap.
    func fetch(_ request: FetchRequest) async throws -> FetchOutcome {
        let start = events.withLockedValue { $0.count }
        let value = try await evaluate(request.script)
        let scriptError = value["error"]?.string
        let url = request.url

        try await waitUntil(timeout: .seconds(10), "DevTools' report of \(request)") { Self.isDone($0[start...], url: url) }
        if scriptError != nil {
            // The console line comes from the renderer; give it a moment once the failure is in.
            let quoted = "'\(url)'"
            try? await waitUntil(timeout: .seconds(2), "the console message for \(url)") { events in
                events[start...].contains { if case .console(let text) = $0 { text.contains(quoted) } else { false } }
            }
        }

        let snapshot = events.withLockedValue { Array($0[start...]) }
        let ids = Self.requestIDs(snapshot[...], url: url)
        let allIDs = Set(ids.all)
        let mainIDs = Set(ids.main)
        var requests: [ObservedRequest] = []
        var corsError: String?
        var failedParameter: String?
        var networkError: String?
        var console: [String] = []
        var cookieReports: [String] = []
        for event in snapshot {
            switch event {
            case .requestWillBeSent(let observed, _) where allIDs.contains(observed.requestID):
                requests.append(observed)
            case .loadingFailed(let id, let errorText, let cors, let parameter) where mainIDs.contains(id):
                networkError = errorText
                if cors != nil {
                    corsError = cors
                    failedParameter = parameter
                }
            case .console(let text) where text.contains("'\(url)'"):
                console.append(text)
            case .blockedCookies(let id, let reports) where allIDs.contains(id):
                cookieReports += reports
            default:
                break
            }
        }
        var readable: [String: String] = [:]
        for (name, header) in value["headers"]?.object ?? [:] {
            readable[name] = header.string
        }
        return FetchOutcome(
            status: value["status"]?.int, readableHeaders: readable, body: value["body"]?.string ?? "",
            redirected: value["redirected"]?.bool ?? false, scriptError: scriptError, corsError: corsError,
            failedParameter: failedParameter, networkError: networkError, consoleMessages: console,
            requests: requests, cookieReports: cookieReports)
    }

    /// Chromium's requests for a fetch of `url`: those whose first URL is the fetched one.
    private static func requestIDs(_ events: ArraySlice<Event>, url: String) -> (all: [String], main: [String]) {
        var all: [String] = []
        var main: [String] = []
        for case .requestWillBeSent(let observed, let isRedirect) in events where !isRedirect && observed.url == url {
            all.append(observed.requestID)
            if !observed.isPreflight { main.append(observed.requestID) }
        }
        return (all, main)
    }

    /// Whether Chromium has finished (or failed) the main request of a fetch of `url`.
    private static func isDone(_ events: ArraySlice<Event>, url: String) -> Bool {
        let ids = Set(requestIDs(events, url: url).main)
        guard !ids.isEmpty else { return false }
        return events.contains { event in
            switch event {
            case .loadingFailed(let id, _, _, _), .loadingFinished(let id): ids.contains(id)
            default: false
            }
        }
    }

    func close() async {
        devTools.setEventHandler(sessionID: sessionID, nil)
        _ = try? await devTools.send("Target.closeTarget", ["targetId": .string(targetID)])
        if let contextID {
            _ = try? await devTools.send("Target.disposeBrowserContext", ["browserContextId": .string(contextID)])
        }
    }

    /// The number of `Network.*` events so far: a mark for ``networkEvents(since:)``.
    var networkEventCount: Int { networkEvents.withLockedValue { $0.count } }

    /// The `Network.*` events since the mark.
    func networkEvents(since start: Int) -> [DevToolsEvent] {
        networkEvents.withLockedValue { Array($0[min(start, $0.count)...]) }
    }

    fileprivate func record(_ method: String, _ params: JSONValue) {
        if method.hasPrefix("Network.") {
            networkEvents.withLockedValue { $0.append(DevToolsEvent(method: method, params: params)) }
        }
        let event: Event?
        switch method {
        case "Network.requestWillBeSent":
            let request = params["request"]
            var headers: [String: String] = [:]
            for (name, value) in request?["headers"]?.object ?? [:] { headers[name.lowercased()] = value.string }
            event = .requestWillBeSent(
                ObservedRequest(
                    requestID: params["requestId"]?.string ?? "", url: request?["url"]?.string ?? "",
                    method: request?["method"]?.string ?? "", type: params["type"]?.string ?? "",
                    isPreflight: params["initiator"]?["type"]?.string == "preflight", headers: headers),
                isRedirect: params["redirectResponse"] != nil)
        case "Network.loadingFailed":
            event = .loadingFailed(
                requestID: params["requestId"]?.string ?? "", errorText: params["errorText"]?.string,
                corsError: params["corsErrorStatus"]?["corsError"]?.string,
                failedParameter: params["corsErrorStatus"]?["failedParameter"]?.string)
        case "Network.loadingFinished":
            event = .loadingFinished(requestID: params["requestId"]?.string ?? "")
        case "Log.entryAdded":
            event = params["entry"]?["text"]?.string.map(Event.console)
        case "Runtime.consoleAPICalled":
            let texts = (params["args"]?.array ?? []).map { $0["value"]?.string ?? $0["description"]?.string ?? "" }
            event = .console(texts.joined(separator: " "))
        case "Network.responseReceivedExtraInfo", "Network.requestWillBeSentExtraInfo":
            // Set-Cookie lines Chromium refused, and cookies it did not send, with the reasons.
            let refused = (params["blockedCookies"]?.array ?? []).map { cookie in
                let line = cookie["cookieLine"]?.string ?? cookie["cookie"]?["name"]?.string ?? "?"
                let reasons = (cookie["blockedReasons"]?.array ?? []).compactMap(\.string).joined(separator: ",")
                return "set-cookie refused [\(reasons)]: \(line)"
            }
            let unsent = (params["associatedCookies"]?.array ?? []).compactMap { cookie -> String? in
                let reasons = (cookie["blockedReasons"]?.array ?? []).compactMap(\.string)
                guard !reasons.isEmpty else { return nil }
                return "cookie not sent [\(reasons.joined(separator: ","))]: \(cookie["cookie"]?["name"]?.string ?? "?")"
            }
            event = refused.isEmpty && unsent.isEmpty
                ? nil : .blockedCookies(requestID: params["requestId"]?.string ?? "", refused + unsent)
        case "Page.loadEventFired":
            event = .load
        default:
            event = nil
        }
        if let event { events.withLockedValue { $0.append(event) } }
    }

    private func waitUntil(
        timeout: Duration, _ what: String, _ condition: @Sendable ([Event]) -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !events.withLockedValue({ condition($0) }) {
            guard clock.now < deadline else {
                throw DevToolsError(description: "timed out after \(timeout) waiting for \(what)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
