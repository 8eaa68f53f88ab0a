import AsyncHTTPClient
import CORS
@testable import CORSCommandLine
import CORSTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Testing
import WebSocketKit

/// `cors proxy` in headless Chromium: same-origin mode (a page and the demo API under one origin:
/// no preflight, a `SameSite=Lax` cookie, a WebSocket tunnelled as Vite's hot reload needs), and
/// policy mode in front of the tutorial's FastAPI app (its 500 reaches the page as a 500).
@Suite("cors proxy in Chromium", .serialized, .timeLimit(.minutes(3)))
struct ProxyBrowserTests {
    /// The proxy, in this process, for the `cors proxy` arguments given.
    static func startProxy(_ arguments: [String], policy: CORSPolicy? = nil) async throws -> (RunningServer, HTTPClientBox) {
        var settings = try ProxyCommand.parse(arguments + ["--listen", "127.0.0.1:0"]).makeSettings()
        settings.policy = policy.map { .fixed(CORSPolicyTable($0)) }
        let client = HTTPClientBox(ProxyServer.makeClient(settings))
        let proxySettings = settings
        let server = try await RunningServer.start("cors proxy") { onRunning in
            ProxyServer.application(
                settings: proxySettings, client: client.client, comparison: nil, logger: quietLogger("proxy"), onRunning: onRunning)
        }
        return (server, client)
    }

    @Test("Same-origin mode: /api/me needs no preflight, a SameSite=Lax cookie from the upstream works, a WebSocket echoes")
    func sameOrigin() async throws {
        let log = RequestLog()
        let api = try await RunningServer.start("demo API") { onRunning in
            Application(
                responder: RecordingResponder(base: HummingbirdDemoServer.router(policy: .tutorial).buildResponder(), log: log),
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: quietLogger("api"))
        }
        let pages = try await RunningServer.start("page and login") { onRunning in
            let router = Router()
            router.get("/") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><meta charset=utf-8><title>app</title>")))
            }
            // The upstream names its own host as the cookie's Domain: the proxy must drop it, or
            // the browser (on localhost) refuses the cookie.
            router.post("login") { _, _ in
                Response(status: .noContent, headers: [.setCookie: "sid=abc; Domain=127.0.0.1; Path=/; SameSite=Lax; HttpOnly"])
            }
            return Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: quietLogger("pages"))
        }
        let echo = try await WebSocketEchoServer.start()
        let (proxy, client) = try await Self.startProxy([
            "--route", "/=http://127.0.0.1:\(pages.port)", "--route", "/api=http://127.0.0.1:\(api.port)", "--strip-prefix", "/api",
            "--route", "/ws=http://127.0.0.1:\(echo.port)",
        ])
        let browser = try await Browser.launch()
        defer {
            Task {
                await browser.shutdown()
                await proxy.stop()
                try? await client.client.shutdown()
                await api.stop()
                await pages.stop()
                try? await echo.channel.close()
            }
        }
        let origin = "http://localhost:\(proxy.port)"
        let page = try await browser.openPage(origin + "/")

        let me = try await page.fetch(FetchRequest(url: origin + "/api/me", method: "PUT", headers: [("Content-Type", "application/json")], body: "{}"))
        #expect(me.status == 200, "\(me)")
        #expect(me.preflights.isEmpty, "same origin: a PUT with JSON needs no preflight")
        let get = try await page.fetch(FetchRequest(url: origin + "/api/me"))
        #expect(get.status == 200)
        #expect(get.body == #"{"user":"alice"}"#)
        #expect(log.all.filter { $0.method == "OPTIONS" }.isEmpty, "no preflight ever reached the API: \(log.all)")

        let login = try await page.fetch(FetchRequest(url: origin + "/login", method: "POST"))
        #expect(login.status == 204)
        #expect(login.cookieReports.isEmpty, "\(login.cookieReports)")
        let cookies = try await page.fetch(FetchRequest(url: origin + "/api/cookies"))
        #expect(cookies.body.contains("\"sid\""), "\(cookies.body)")
        #expect(log.all.last?.header("Cookie") == "sid=abc")

        let socket = try await page.evaluate(
            """
            new Promise((resolve) => {
              const ws = new WebSocket(`ws://${location.host}/ws/hmr`, "vite-hmr");
              ws.onopen = () => ws.send("ping");
              ws.onmessage = (event) => { resolve(event.data + "|" + ws.protocol); ws.close(); };
              ws.onerror = () => resolve("error");
              setTimeout(() => resolve("timeout"), 5000);
            })
            """)
        #expect(socket.string == "echo: ping|vite-hmr")
    }

    @Test("Policy mode in front of FastAPI: the tutorial's scenarios; /boom's 500 is a 500 in the page, not a CORS error")
    func policyModeFastAPI() async throws {
        let fastAPI = try await UvicornApp.start()
        let pages = try await PageServer.start()
        let pageOrigin = "http://localhost:\(pages.port)"
        let policy = try CORSPolicySettings(
            allowOrigins: [pageOrigin], allowCredentials: true, allowMethods: ["GET", "POST", "PUT", "DELETE"],
            allowHeaders: ["Authorization", "Content-Type"], exposeHeaders: ["X-Request-Id"], maxAge: 600
        ).policy()
        let (proxy, client) = try await Self.startProxy(["--upstream", "http://127.0.0.1:\(fastAPI.port)"], policy: policy)
        let browser = try await Browser.launch()
        defer {
            // uvicorn is a child process: stopped here, synchronously, so that it never outlives
            // the test run (a task started in `defer` may not run before the process exits).
            fastAPI.stop()
            Task {
                await browser.shutdown()
                await proxy.stop()
                try? await client.client.shutdown()
                await pages.stop()
            }
        }
        let page = try await browser.openPage(pageOrigin + "/")
        let api = "http://127.0.0.1:\(proxy.port)"

        let get = try await page.fetch(FetchRequest(url: api + "/me", credentials: "include"))
        #expect(get.status == 200, "\(get)")
        #expect(get.readableHeaders["x-request-id"] == "42")
        let put = try await page.fetch(
            FetchRequest(url: api + "/me", method: "PUT", headers: [("Content-Type", "application/json")], credentials: "include", body: "{}"))
        #expect(put.status == 200, "\(put)")
        #expect(put.preflights.count == 1)
        let patch = try await page.fetch(FetchRequest(url: api + "/me", method: "PATCH"))
        #expect(patch.status == nil)
        #expect(
            patch.consoleMessages.contains {
                $0.hasSuffix("Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.")
            }, "\(patch.consoleMessages)")
        let boom = try await page.fetch(FetchRequest(url: api + "/boom", credentials: "include"))
        #expect(boom.status == 500, "through the proxy the page reads the 500: \(boom)")
        #expect(boom.corsError == nil)

        // FastAPI alone: the same 500 is a CORS error in the page.
        let direct = try await page.fetch(FetchRequest(url: "http://127.0.0.1:\(fastAPI.port)/boom"))
        #expect(direct.status == nil)
        #expect(direct.corsError != nil)
    }
}

/// An `HTTPClient` handed across tasks.
struct HTTPClientBox: Sendable {
    let client: HTTPClient
    init(_ client: HTTPClient) { self.client = client }
}

/// A WebSocket echo server (websocket-kit), answering with the subprotocol asked for, as
/// Vite's `vite-hmr` endpoint does.
enum WebSocketEchoServer {
    static func start() async throws -> (channel: any Channel, port: Int) {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    shouldUpgrade: { channel, head in
                        var headers = HTTPHeaders()
                        if let requested = head.headers.first(name: "Sec-WebSocket-Protocol") {
                            headers.add(name: "Sec-WebSocket-Protocol", value: requested.split(separator: ",")[0].trimmingCharacters(in: .whitespaces))
                        }
                        return channel.eventLoop.makeSucceededFuture(headers)
                    },
                    upgradePipelineHandler: { channel, _ in
                        WebSocket.server(on: channel) { socket in
                            socket.onText { socket, text in socket.send("echo: \(text)") }
                        }
                    })
                return channel.pipeline.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, channel.localAddress?.port ?? 0)
    }
}

/// The tutorial's FastAPI app (Tests/FastAPI/tutorial_app.py) under uvicorn.
struct UvicornApp: Sendable {
    let port: Int
    let process: Process

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func start() async throws -> UvicornApp {
        let port = try LoopbackPort.free()
        let venv = repositoryRoot.appendingPathComponent(".build/fastapi-venv/bin/python")
        let named = ProcessInfo.processInfo.environment["CORS_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: named ?? venv.path)
        process.arguments = [
            "-m", "uvicorn", "tutorial_app:app", "--app-dir", repositoryRoot.appendingPathComponent("Tests/FastAPI").path,
            "--host", "127.0.0.1", "--port", String(port), "--log-level", "warning",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if (try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get())
                .map({ $0.close(promise: nil); return true }) == true
            {
                return UvicornApp(port: port, process: process)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(process.processIdentifier, SIGKILL)
        throw BrowserStartError(description: "uvicorn did not listen on \(port); is .build/fastapi-venv there (Scripts/test.sh)?")
    }

    /// SIGKILL: uvicorn keeps no state worth a graceful shutdown, and a child of the test process
    /// inherits its blocked SIGTERM, so `terminate()` would leave it running.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
