import Foundation
import NIOConcurrencyHelpers

/// A headless Firefox (`firefox-esr`) driven over WebDriver BiDi, without geckodriver: its
/// remote agent listens on a free port (`--remote-debugging-port 0`, the port read from the
/// profile's `WebDriverBiDiServer.json`). A fresh temporary profile per launch; ``shutdown()``
/// kills it and removes the profile.
///
/// One tab, kept for the whole suite. Console entries of level `error` and network events are
/// recorded as they arrive, so that each `fetch` can be matched with Firefox's account of it.
final class FirefoxBrowser: Sendable {
    /// A network event of the tab: `network.beforeRequestSent`, `network.responseCompleted`,
    /// `network.fetchError`, with its parameters.
    struct NetworkEvent: Sendable {
        let method: String
        let params: JSONValue
    }

    private enum Event {
        case console(level: String, text: String)
        case network(NetworkEvent)
    }

    private let process: ProcessGroup
    private let directory: URL
    private let connection: BiDiConnection
    /// The browsing context (tab) every script runs in.
    let context: String
    let version: String
    private let events = NIOLockedValueBox<[Event]>([])

    private init(process: ProcessGroup, directory: URL, connection: BiDiConnection, context: String, version: String) {
        self.process = process
        self.directory = directory
        self.connection = connection
        self.context = context
        self.version = version
    }

    /// Preferences that keep a test profile quiet and on loopback: no first-run pages, no
    /// telemetry, updates, experiments, safe-browsing or connectivity checks.
    static let userJS = """
        user_pref("app.normandy.enabled", false);
        user_pref("app.shield.optoutstudies.enabled", false);
        user_pref("app.update.auto", false);
        user_pref("app.update.disabledForTesting", true);
        user_pref("app.update.enabled", false);
        user_pref("browser.aboutwelcome.enabled", false);
        user_pref("browser.newtabpage.enabled", false);
        user_pref("browser.ping-centre.telemetry", false);
        user_pref("browser.region.network.url", "");
        user_pref("browser.region.update.enabled", false);
        user_pref("browser.safebrowsing.downloads.enabled", false);
        user_pref("browser.safebrowsing.malware.enabled", false);
        user_pref("browser.safebrowsing.phishing.enabled", false);
        user_pref("browser.safebrowsing.provider.mozilla.updateURL", "");
        user_pref("browser.search.update", false);
        user_pref("browser.shell.checkDefaultBrowser", false);
        user_pref("browser.startup.homepage_override.mstone", "ignore");
        user_pref("browser.startup.page", 0);
        user_pref("browser.tabs.warnOnClose", false);
        user_pref("datareporting.healthreport.uploadEnabled", false);
        user_pref("datareporting.policy.dataSubmissionEnabled", false);
        user_pref("extensions.update.enabled", false);
        user_pref("messaging-system.rsexperimentloader.enabled", false);
        user_pref("network.captive-portal-service.enabled", false);
        user_pref("network.connectivity-service.enabled", false);
        user_pref("network.dns.disablePrefetch", true);
        user_pref("network.predictor.enabled", false);
        user_pref("network.prefetch-next", false);
        user_pref("services.settings.server", "http://127.0.0.1:9/");
        user_pref("toolkit.telemetry.enabled", false);
        user_pref("toolkit.telemetry.server", "");
        user_pref("toolkit.telemetry.unified", false);

        """

    /// Starts Firefox and opens a BiDi session subscribed to the log and network events.
    static func launch(preferences: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> FirefoxBrowser {
        let executable = try EngineBinaries.require(EngineBinaries.firefox, "Firefox (firefox-esr)", package: "firefox-esr")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cors-firefox-\(UUID().uuidString)", isDirectory: true)
        let profile = directory.appendingPathComponent("profile", isDirectory: true)
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let extra = preferences.sorted { $0.key < $1.key }.map { "user_pref(\(JSONValue.string($0.key).serialized), \(JSONValue.string($0.value).serialized));\n" }
        try Data((userJS + extra.joined()).utf8).write(to: profile.appendingPathComponent("user.js"))
        let process = try ProcessGroup.launch(
            "Firefox", executable: executable,
            arguments: ["--headless", "--remote-debugging-port", "0", "--profile", profile.path, "--no-remote", "about:blank"],
            environment: ["MOZ_CRASHREPORTER_DISABLE": "1", "HOME": directory.path],
            logURL: directory.appendingPathComponent("firefox.log"))
        do {
            let serverFile = profile.appendingPathComponent("WebDriverBiDiServer.json")
            var port: Int?
            try await waitFor("Firefox's WebDriver BiDi port (WebDriverBiDiServer.json)", timeout: timeout) {
                if !process.isRunning {
                    throw BrowserStartError(
                        description: "Firefox exited with status \(process.terminationStatus) before listening:\n\(process.outputTail)")
                }
                let text = try? String(contentsOf: serverFile, encoding: .utf8)
                port = text.flatMap { try? JSONValue.parse($0) }?["ws_port"]?.int
                return port != nil
            }
            let connection = try await BiDiConnection.connect(port: port!)
            let session = try await connection.send("session.new", ["capabilities": [:]])
            let version = session["capabilities"]?["browserVersion"]?.string ?? "?"
            try await connection.send(
                "session.subscribe",
                ["events": ["log.entryAdded", "network.beforeRequestSent", "network.responseCompleted", "network.fetchError"]])
            let tree = try await connection.send("browsingContext.getTree", ["maxDepth": 0])
            guard let context = tree["contexts"]?.array?.first?["context"]?.string else {
                throw BiDiError(description: "browsingContext.getTree returned no tab: \(tree)")
            }
            let browser = FirefoxBrowser(
                process: process, directory: directory, connection: connection, context: context, version: version)
            connection.setEventHandler { method, params in browser.record(method, params) }
            return browser
        } catch {
            let tail = process.outputTail
            process.stop()
            try? FileManager.default.removeItem(at: directory)
            throw BrowserStartError(description: "Firefox did not start a BiDi session: \(error)\n\(tail)")
        }
    }

    /// Sends a WebDriver BiDi command of the session (`permissions.setPermission`, …).
    @discardableResult
    func send(_ method: String, _ params: JSONValue) async throws -> JSONValue {
        try await connection.send(method, params)
    }

    /// Loads `url` in the tab and waits for its load event.
    func navigate(to url: String) async throws {
        try await connection.send(
            "browsingContext.navigate", ["context": .string(context), "url": .string(url), "wait": "complete"])
    }

    /// Evaluates `expression` in the tab, awaiting a promise, and returns its string value.
    func evaluateString(_ expression: String, timeout: Duration = .seconds(30)) async throws -> String {
        let result = try await connection.send(
            "script.evaluate",
            ["expression": .string(expression), "target": ["context": .string(context)], "awaitPromise": true],
            timeout: timeout)
        if result["type"]?.string == "exception" {
            throw BiDiError(description: "script threw: \(result["exceptionDetails"]?["text"]?.string ?? result.serialized)")
        }
        guard let value = result["result"]?["value"]?.string else {
            throw BiDiError(description: "script returned no string: \(result)")
        }
        return value
    }

    /// Runs `request` in the tab and collects the console errors Firefox printed for it: those
    /// that arrive until the page has its answer, then until none has come for a moment.
    func fetch(_ request: FetchRequest) async throws -> EngineOutcome {
        let start = events.withLockedValue { $0.count }
        let result = try await EngineOutcome.pageResult(evaluateString(request.jsonScript))
        if result.status == nil {
            // The reason is logged as the request fails; give it a moment to be delivered.
            try? await waitFor("Firefox's console error for \(request.url)", timeout: .seconds(2)) {
                self.consoleErrors(since: start).contains { $0.contains(request.url) }
            }
        }
        try await settle(since: start)
        return EngineOutcome(status: result.status, scriptError: result.error, console: consoleErrors(since: start))
    }

    /// Waits until no event has arrived for 300 ms (at most 3 s).
    func settle(since start: Int) async throws {
        var count = events.withLockedValue { $0.count }
        var quietSince = ContinuousClock.now
        let deadline = ContinuousClock.now.advanced(by: .seconds(3))
        while ContinuousClock.now < deadline, ContinuousClock.now - quietSince < .milliseconds(300) {
            try await Task.sleep(for: .milliseconds(20))
            let now = events.withLockedValue { $0.count }
            if now != count {
                count = now
                quietSince = ContinuousClock.now
            }
        }
    }

    /// The number of events so far: a mark for ``consoleErrors(since:)`` and ``networkEvents(since:)``.
    var eventCount: Int { events.withLockedValue { $0.count } }

    /// The texts of console entries of level error since the mark.
    func consoleErrors(since start: Int) -> [String] {
        events.withLockedValue { events in
            events[min(start, events.count)...].compactMap { event in
                if case .console(let level, let text) = event, level == "error" { text } else { nil }
            }
        }
    }

    /// The network events since the mark.
    func networkEvents(since start: Int) -> [NetworkEvent] {
        events.withLockedValue { events in
            events[min(start, events.count)...].compactMap { event in
                if case .network(let network) = event { network } else { nil }
            }
        }
    }

    /// Ends the session, kills Firefox and removes its profile.
    func shutdown() async {
        _ = try? await connection.send("session.end", timeout: .seconds(5))
        await connection.close()
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private func record(_ method: String, _ params: JSONValue) {
        let event: Event
        switch method {
        case "log.entryAdded":
            event = .console(level: params["level"]?.string ?? "", text: params["text"]?.string ?? "")
        case let method where method.hasPrefix("network."):
            event = .network(NetworkEvent(method: method, params: params))
        default:
            return
        }
        events.withLockedValue { $0.append(event) }
    }
}
