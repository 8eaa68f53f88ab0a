import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// WebKitGTK's MiniBrowser in automation mode, driven by `WebKitWebDriver` (W3C WebDriver over
/// HTTP) on a free port, on a given X display. One session, one window, for a whole suite.
///
/// WebDriver gives no console: ``MiniBrowserConsole`` reads WebKit's console lines.
final class WebKitDriver: Sendable {
    private let process: ProcessGroup
    private let directory: URL
    private let client: HTTPClient
    private let base: String
    private let sessionID: String
    let version: String

    private init(
        process: ProcessGroup, directory: URL, client: HTTPClient, base: String, sessionID: String, version: String
    ) {
        self.process = process
        self.directory = directory
        self.client = client
        self.base = base
        self.sessionID = sessionID
        self.version = version
    }

    /// Starts the driver on `display` and opens a session with MiniBrowser `--automation`.
    static func launch(display: XvfbDisplay, timeout: Duration = .seconds(60)) async throws -> WebKitDriver {
        let driver = try EngineBinaries.require(EngineBinaries.webKitWebDriver, "WebKitWebDriver", package: "webkit2gtk-driver")
        let miniBrowser = try EngineBinaries.require(EngineBinaries.miniBrowser, "MiniBrowser", package: "libwebkit2gtk-4.1-0")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cors-webkit-driver-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        let process = try ProcessGroup.launch(
            "WebKitWebDriver", executable: driver, arguments: ["--port=\(port)", "--host=local"],
            environment: ["DISPLAY": display.display, "HOME": directory.path, "XDG_RUNTIME_DIR": directory.path],
            logURL: directory.appendingPathComponent("webkit.log"))
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(60))))
        let base = "http://127.0.0.1:\(port)"
        do {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: timeout)
            while true {
                if !process.isRunning {
                    throw BrowserStartError(
                        description: "WebKitWebDriver exited with status \(process.terminationStatus):\n\(process.outputTail)")
                }
                if (try? await request(client, "GET", base + "/status", timeout: .seconds(2))) != nil { break }
                guard clock.now < deadline else {
                    throw BrowserStartError(description: "WebKitWebDriver did not answer on port \(port) within \(timeout)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let capabilities: JSONValue = [
                "capabilities": [
                    "alwaysMatch": [
                        "webkitgtk:browserOptions": ["binary": .string(miniBrowser), "args": ["--automation"]]
                    ]
                ]
            ]
            let session = try await request(client, "POST", base + "/session", capabilities, timeout: timeout)
            guard let sessionID = session["sessionId"]?.string else {
                throw BrowserStartError(description: "WebKitWebDriver opened no session: \(session)")
            }
            return WebKitDriver(
                process: process, directory: directory, client: client, base: base, sessionID: sessionID,
                version: session["capabilities"]?["browserVersion"]?.string ?? "?")
        } catch {
            let tail = process.outputTail
            process.stop()
            try? await client.shutdown()
            try? FileManager.default.removeItem(at: directory)
            throw BrowserStartError(description: "WebKit did not start a WebDriver session: \(error)\n\(tail)")
        }
    }

    /// Loads `url` in the window (WebDriver waits for the load).
    func navigate(to url: String) async throws {
        try await command("POST", "/url", ["url": .string(url)])
    }

    /// Runs `request` in the window; the verdict only (no console over WebDriver).
    func fetch(_ request: FetchRequest) async throws -> EngineOutcome {
        let result = try await EngineOutcome.pageResult(evaluateString(request.jsonScript))
        return EngineOutcome(status: result.status, scriptError: result.error, console: [])
    }

    /// Evaluates `expression`, a promise of a string, with "Execute Async Script".
    func evaluateString(_ expression: String) async throws -> String {
        let script = "const done = arguments[arguments.length - 1]; (\(expression)).then(done, e => done(JSON.stringify({error: String(e)})));"
        let value = try await command("POST", "/execute/async", ["script": .string(script), "args": []])
        guard let text = value.string else { throw BrowserStartError(description: "script returned no string: \(value)") }
        return text
    }

    /// Ends the session (MiniBrowser closes), stops the driver, removes its directory.
    func shutdown() async {
        _ = try? await Self.request(client, "DELETE", base + "/session/\(sessionID)", timeout: .seconds(10))
        process.stop()
        try? await client.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    private func command(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await Self.request(client, method, base + "/session/\(sessionID)" + path, body, timeout: .seconds(60))
    }

    /// One WebDriver command: its `value`, or the WebDriver error as a thrown error.
    private static func request(
        _ client: HTTPClient, _ method: String, _ url: String, _ body: JSONValue? = nil, timeout: Duration
    ) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        if let body { request.body = .bytes(ByteBuffer(string: body.serialized)) }
        let response = try await client.execute(request, timeout: .seconds(max(1, timeout.components.seconds)))
        let bytes = try await response.body.collect(upTo: 1 << 24)
        let text = String(buffer: bytes)
        let json = try JSONValue.parse(text)
        let value = json["value"] ?? .null
        if let error = value["error"]?.string {
            throw BrowserStartError(description: "WebDriver \(method) \(url): \(error): \(value["message"]?.string ?? "")")
        }
        return value
    }
}
