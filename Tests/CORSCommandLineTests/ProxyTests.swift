import AsyncHTTPClient
import CORS
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import CORSCommandLine
import CORSTestSupport

// MARK: Harness

/// An upstream that reports what reached it: echoes, redirects, cookies, streams, slowness.
enum ProxyTestUpstream {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("echo/**") { request, _ -> String in
            let fields = request.headers
            func value(_ name: String) -> String { fields[HTTPField.Name(name)!] ?? "-" }
            return [
                "path=\(request.head.path ?? "")", "host=\(request.head.authority ?? "-")",
                "x-forwarded-for=\(value("X-Forwarded-For"))", "x-forwarded-proto=\(value("X-Forwarded-Proto"))",
                "x-forwarded-host=\(value("X-Forwarded-Host"))", "forwarded=\(value("Forwarded"))",
                "connection=\(value("Connection"))", "proxy-authorization=\(value("Proxy-Authorization"))",
            ].joined(separator: "\n")
        }
        router.get("redirect-to") { request, _ in
            Response(status: .found, headers: [.location: request.uri.queryParameters["url"].map(String.init) ?? "/"])
        }
        router.get("set-cookie") { request, _ in
            Response(status: .noContent, headers: [.setCookie: request.uri.queryParameters["value"].map(String.init) ?? "a=1"])
        }
        router.post("count") { request, _ -> String in
            var count = 0
            for try await buffer in request.body { count += buffer.readableBytes }
            return "count=\(count)"
        }
        router.get("stream") { request, _ in
            let megabytes = Int(request.uri.queryParameters["mb"].map(String.init) ?? "1") ?? 1
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody { writer in
                    let chunk = ByteBuffer(repeating: 0x61, count: 64 * 1024)
                    for _ in 0..<(megabytes * 16) { try await writer.write(chunk) }
                    try await writer.finish(nil)
                })
        }
        router.get("slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(2))
            return "slow"
        }
        router.get("own-cors") { _, _ in
            Response(status: .ok, headers: [.accessControlAllowOrigin: "*", .vary: "Accept-Encoding"])
        }
        return router
    }
}

/// `cors proxy` running in this process.
struct RunningProxy {
    let server: LocalServer
    let client: HTTPClient

    func url(_ path: String) -> String { "http://127.0.0.1:\(server.port)\(path)" }

    /// Starts the proxy that `arguments` (as for `cors proxy`) describe, with `policy` in force.
    static func start(
        _ arguments: [String], policy: CORSPolicy? = nil, comparison: UpstreamCORSComparison? = nil,
        reportOnly: ProxyReportOnly? = nil
    ) async throws -> RunningProxy {
        var settings = try ProxyCommand.parse(arguments + ["--listen", "127.0.0.1:0"]).makeSettings()
        settings.policy = policy.map { .fixed(CORSPolicyTable($0)) }
        if comparison != nil { settings.keepsUpstreamCORS = true }
        settings.reportOnly = reportOnly
        let client = ProxyServer.makeClient(settings)
        let proxySettings = settings
        let server = try await LocalServer.start("cors proxy") { onRunning in
            ProxyServer.application(
                settings: proxySettings, client: client, comparison: comparison, logger: LocalServer.quietLogger,
                onRunning: onRunning)
        }
        return RunningProxy(server: server, client: client)
    }

    func stop() async {
        await server.stop()
        try? await client.shutdown()
    }
}

/// One exchange's status, fields and body.
struct ProxyExchange {
    var status: Int
    var headers: [(String, String)]
    var body: String

    func values(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
    func value(_ name: String) -> String? { values(name).isEmpty ? nil : values(name).joined(separator: ", ") }
}

/// A client that returns redirects instead of following them, as the proxy must be observed.
let proxyTestClient = HTTPClient(
    eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(redirectConfiguration: .disallow))

func proxyExchange(
    _ url: String, method: String = "GET", headers: [(String, String)] = [], body: String? = nil,
    client: HTTPClient = proxyTestClient
) async throws -> ProxyExchange {
    var request = HTTPClientRequest(url: url)
    request.method = .init(rawValue: method)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await client.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 1 << 20)
    return ProxyExchange(
        status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
        body: String(buffer: bytes))
}

private let tutorialFrontend = "http://localhost:5173"

/// `curl -s -i ARGUMENTS`' output (curl, not AsyncHTTPClient, sends absolute-form requests).
func curl(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["-s", "-i", "--max-time", "20"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

// MARK: Routing and rewriting (same-origin mode)

@Suite("cors proxy: same-origin mode")
struct ProxySameOriginTests {
    @Test("Longest prefix wins, at a segment boundary; the prefix is stripped only where asked")
    func routeTable() throws {
        let table = try ProxyRouteTable([
            ProxyRoute(parsing: "/=http://localhost:5173"), ProxyRoute(parsing: "/api=http://127.0.0.1:8000", stripsPrefix: true),
            ProxyRoute(parsing: "/api/v2=http://127.0.0.1:9000/v2"),
        ])
        #expect(table.route(for: "/api/me")?.upstreamURL(for: "/api/me") == "http://127.0.0.1:8000/me")
        #expect(table.route(for: "/api")?.upstreamURL(for: "/api") == "http://127.0.0.1:8000/")
        #expect(table.route(for: "/api?x=1")?.upstreamURL(for: "/api?x=1") == "http://127.0.0.1:8000/?x=1")
        #expect(table.route(for: "/apix")?.upstreamURL(for: "/apix") == "http://localhost:5173/apix")
        #expect(table.route(for: "/api/v2/me")?.upstreamURL(for: "/api/v2/me") == "http://127.0.0.1:9000/v2/api/v2/me")
        #expect(table.route(for: "/")?.upstreamURL(for: "/src/main.ts?t=1") == "http://localhost:5173/src/main.ts?t=1")
        #expect(throws: ToolFailure.self) { try ProxyRoute(parsing: "api=http://127.0.0.1:8000") }
        #expect(throws: ToolFailure.self) { try ProxyRoute(parsing: "/api=ftp://127.0.0.1") }
        #expect(throws: ToolFailure.self) {
            try ProxyRouteTable([ProxyRoute(parsing: "/a=http://a"), ProxyRoute(parsing: "/a/=http://b")])
        }
    }

    @Test("The demo API under /api and another upstream under /: bodies, statuses, Host and X-Forwarded-*")
    func routesAndForwardedFields() async throws {
        let demo = try await LocalServer.start("demo API") { onRunning in
            HummingbirdDemoServer.application(
                policy: .tutorial, host: "127.0.0.1", port: 0, logger: LocalServer.quietLogger, onRunning: onRunning)
        }
        let upstream = try await LocalServer.start(router: ProxyTestUpstream.router())
        let proxy = try await RunningProxy.start([
            "--route", "/=\(upstream.baseURL)", "--route", "/api=\(demo.baseURL)", "--strip-prefix", "/api",
        ])
        defer { Task { await proxy.stop(); await demo.stop(); await upstream.stop() } }

        let me = try await proxyExchange(proxy.url("/api/me"))
        #expect(me.status == 200)
        #expect(me.body == #"{"user":"alice"}"#)
        #expect(me.value("X-Request-Id")?.count == 36)
        #expect(me.value("Access-Control-Allow-Origin") == nil, "same origin: no Origin, no CORS")
        #expect(try await proxyExchange(proxy.url("/api/boom")).status == 500)
        #expect(try await proxyExchange(proxy.url("/apix")).status == 404, "/apix is not under /api: the / upstream has no such route")

        let echo = try await proxyExchange(
            proxy.url("/echo/a?b=c"),
            headers: [("X-Forwarded-For", "10.0.0.1"), ("Connection", "keep-alive, X-Secret"), ("X-Secret", "s"), ("Proxy-Authorization", "Basic eA==")])
        let port = proxy.server.port
        #expect(
            echo.body.split(separator: "\n").map(String.init) == [
                "path=/echo/a?b=c", "host=127.0.0.1:\(port)", "x-forwarded-for=10.0.0.1, 127.0.0.1", "x-forwarded-proto=http",
                "x-forwarded-host=127.0.0.1:\(port)", "forwarded=for=127.0.0.1;host=\"127.0.0.1:\(port)\";proto=http",
                "connection=-", "proxy-authorization=-",
            ])
        await proxy.stop()

        let upstreamHost = try await RunningProxy.start(["--route", "/=\(upstream.baseURL)", "--host-header", "upstream"])
        let rewritten = try await proxyExchange(upstreamHost.url("/echo/b"))
        #expect(rewritten.body.split(separator: "\n").dropFirst().first == "host=127.0.0.1:\(upstream.port)")
        await upstreamHost.stop()
    }

    @Test("Redirects to the upstream and its cookies' Domain and Path move to the proxy's origin")
    func redirectsAndCookies() async throws {
        let upstream = try await LocalServer.start(router: ProxyTestUpstream.router())
        let proxy = try await RunningProxy.start(["--route", "/up=\(upstream.baseURL)", "--strip-prefix", "/up"])
        defer { Task { await proxy.stop(); await upstream.stop() } }
        func location(_ target: String) async throws -> String? {
            let escaped = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            return try await proxyExchange(proxy.url("/up/redirect-to?url=\(escaped)")).value("Location")
        }
        let origin = "http://127.0.0.1:\(proxy.server.port)"
        #expect(try await location("\(upstream.baseURL)/echo/x?y=1") == "\(origin)/up/echo/x?y=1")
        #expect(try await location(upstream.baseURL) == "\(origin)/up")
        #expect(try await location("/login") == "/up/login")
        #expect(try await location("https://elsewhere.example/a") == "https://elsewhere.example/a")
        #expect(try await location("http://127.0.0.1:1/a") == "http://127.0.0.1:1/a", "another port is another origin")

        func cookie(_ value: String) async throws -> String? {
            let escaped = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            return try await proxyExchange(proxy.url("/up/set-cookie?value=\(escaped)")).value("Set-Cookie")
        }
        #expect(try await cookie("a=1; Domain=127.0.0.1; Path=/; SameSite=Lax") == "a=1; Path=/up; SameSite=Lax")
        #expect(try await cookie("a=1; Path=/auth; HttpOnly") == "a=1; Path=/up/auth; HttpOnly")
        #expect(try await cookie("a=1; Domain=.example.com") == "a=1; Domain=.example.com")
        #expect(try await cookie("a=1") == "a=1")
    }

    @Test("Never an open proxy: an absolute-form request for another host is refused with 400; one for the proxy is served")
    func openProxyRefused() async throws {
        let upstream = try await LocalServer.start(router: ProxyTestUpstream.router())
        let proxy = try await RunningProxy.start(["--route", "/=\(upstream.baseURL)"])
        defer { Task { await proxy.stop(); await upstream.stop() } }
        // curl sends an absolute-form request line through --proxy, and CONNECT with --proxytunnel.
        let refused = try curl(["--proxy", "http://127.0.0.1:\(proxy.server.port)", "http://example.com/echo/a"])
        #expect(refused.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(refused)")
        #expect(refused.contains("\r\nconnection: close\r\n"))
        #expect(
            refused.hasSuffix(
                "\r\n\r\ncors proxy: refused GET http://example.com/echo/a: this proxy forwards only to its configured routes, never to another host\n"))
        let tunnel = try curl(["--proxytunnel", "--proxy", "http://127.0.0.1:\(proxy.server.port)", "http://example.com/"])
        #expect(tunnel.contains("HTTP/1.1 400 Bad Request\r\n"), "\(tunnel)")
        #expect(!tunnel.contains("\r\n\r\nHTTP/1.1 200"), "no tunnel is ever opened: \(tunnel)")
        let own = try curl(["--proxy", "http://127.0.0.1:\(proxy.server.port)", "http://127.0.0.1:\(proxy.server.port)/echo/own"])
        #expect(own.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(own)")
        #expect(own.contains("\r\n\r\npath=/echo/own\n"))
    }
}

// MARK: Policy mode

@Suite("cors proxy: policy mode")
struct ProxyPolicyTests {
    static let policy = try! CORSPolicySettings(
        allowOrigins: ["https://app.example.com", tutorialFrontend], allowCredentials: true,
        allowMethods: ["GET", "POST", "PUT", "DELETE"], allowHeaders: ["Authorization", "Content-Type"],
        exposeHeaders: ["X-Request-Id"], maxAge: 600
    ).policy()

    /// The request table: what a page sends, and what the engine itself would answer.
    static let table: [(method: String, path: String, headers: [(String, String)])] = [
        ("GET", "/me", [("Origin", tutorialFrontend)]),
        ("GET", "/me", [("Origin", "https://evil.example")]),
        ("GET", "/me", []),
        ("PUT", "/me", [("Origin", "https://app.example.com"), ("Content-Type", "application/json")]),
        ("DELETE", "/me", [("Origin", tutorialFrontend)]),
        ("OPTIONS", "/me", [("Origin", tutorialFrontend), ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "content-type")]),
        ("OPTIONS", "/me", [("Origin", tutorialFrontend), ("Access-Control-Request-Method", "PATCH")]),
        ("OPTIONS", "/me", [("Origin", tutorialFrontend), ("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "x-api-key")]),
        ("OPTIONS", "/me", [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET")]),
        ("OPTIONS", "/me", [("Origin", "null"), ("Access-Control-Request-Method", "GET")]),
        ("GET", "/boom", [("Origin", tutorialFrontend)]),
        ("GET", "/nowhere", [("Origin", tutorialFrontend)]),
    ]

    static let corsNames = UpstreamCORSComparison.corsFieldNames + ["vary"]

    /// The engine's own answer: the preflight's status and fields, or the CORS fields of an
    /// actual response.
    static func engineAnswer(method: String, path: String, headers: [(String, String)]) -> (status: Int?, fields: [String: String]) {
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        let request = HTTPRequest(method: .init(method)!, scheme: "http", authority: "127.0.0.1", path: path, headerFields: fields)
        let decision = CORSPolicyTable(policy).defaultEngine.decide(request)
        var answer = HTTPFields()
        var status: Int?
        if decision.isPreflight {
            answer = decision.preflightHeaderFields
            status = decision.preflightStatus.code
        } else {
            decision.apply(to: &answer)
        }
        var named: [String: String] = [:]
        for name in corsNames {
            let values = answer[values: HTTPField.Name(name)!]
            if !values.isEmpty { named[name] = values.joined(separator: ", ") }
        }
        return (status, named)
    }

    static func corsFields(of exchange: ProxyExchange) -> [String: String] {
        var named: [String: String] = [:]
        for name in corsNames { if let value = exchange.value(name) { named[name] = value } }
        return named
    }

    /// Runs the table through a proxy in front of `upstream` and expects the engine's answer,
    /// whatever the upstream's own CORS says, and the upstream's own status.
    static func runTable(upstream: String) async throws {
        let proxy = try await RunningProxy.start(["--upstream", upstream], policy: policy)
        defer { Task { await proxy.stop() } }
        for row in table {
            let exchange = try await proxyExchange(proxy.url(row.path), method: row.method, headers: row.headers)
            let engine = engineAnswer(method: row.method, path: row.path, headers: row.headers)
            let label = "\(row.method) \(row.path) \(row.headers)"
            if let status = engine.status {
                #expect(exchange.status == status, "\(label)")
            } else {
                // Whatever the upstream answers the same request, the page gets: 2xx, 4xx or 5xx.
                let direct = try await proxyExchange(upstream + row.path, method: row.method, headers: row.headers)
                #expect(exchange.status == direct.status, "\(label): \(exchange.body)")
            }
            var fields = corsFields(of: exchange)
            // The upstream's own Vary stays, merged with the policy's.
            if let vary = fields["vary"], engine.fields["vary"] == nil || vary != engine.fields["vary"] {
                let names = vary.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let expected = engine.fields["vary"]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
                #expect(Set(expected).isSubset(of: Set(names)), "\(label): Vary \(vary)")
                fields["vary"] = engine.fields["vary"]
            }
            #expect(fields == engine.fields, "\(label)")
            for name in UpstreamCORSComparison.corsFieldNames {
                #expect(exchange.values(name).count <= 1, "\(label): \(name) twice: \(exchange.values(name))")
            }
        }
    }

    @Test("In front of the demo API: every row of the table gets exactly the engine's answer")
    func conformanceDemoAPI() async throws {
        // The demo trusts only https://other.example: its own CORS headers must all be replaced.
        let demoPolicy = try CORSPolicySettings(allowOrigins: ["https://other.example"]).policy()
        let demo = try await LocalServer.start("demo API") { onRunning in
            HummingbirdDemoServer.application(
                policy: demoPolicy, host: "127.0.0.1", port: 0, logger: LocalServer.quietLogger, onRunning: onRunning)
        }
        defer { Task { await demo.stop() } }
        try await Self.runTable(upstream: demo.baseURL)
    }

    @Test("In front of FastAPI (Starlette's own CORSMiddleware removed): the table, and /boom's 500 readable")
    func conformanceFastAPI() async throws {
        try await FastAPIServer.with { server in
            try await Self.runTable(upstream: "http://127.0.0.1:\(server.port)")
        }
    }

    @Test("Upstream down: 502 with the policy's CORS headers; upstream too slow: 504 with them")
    func gatewayFailures() async throws {
        let downPort = try DemoReloadTests.freePort()
        let down = try await RunningProxy.start(["--upstream", "http://127.0.0.1:\(downPort)"], policy: Self.policy)
        let failed = try await proxyExchange(down.url("/me"), headers: [("Origin", tutorialFrontend)])
        await down.stop()
        #expect(failed.status == 502)
        #expect(failed.body == "cors proxy: the upstream http://127.0.0.1:\(downPort) is unreachable (connection refused)\n")
        #expect(failed.value("Access-Control-Allow-Origin") == tutorialFrontend)
        #expect(failed.value("Access-Control-Allow-Credentials") == "true")
        #expect(failed.value("Vary") == "Origin")

        let upstream = try await LocalServer.start(router: ProxyTestUpstream.router())
        let slow = try await RunningProxy.start(["--upstream", upstream.baseURL, "--upstream-timeout", "0.3"], policy: Self.policy)
        let timedOut = try await proxyExchange(slow.url("/slow"), headers: [("Origin", tutorialFrontend)])
        await slow.stop()
        await upstream.stop()
        #expect(timedOut.status == 504)
        #expect(timedOut.body == "cors proxy: the upstream \(upstream.baseURL) did not answer within 0.3 seconds\n")
        #expect(timedOut.value("Access-Control-Allow-Origin") == tutorialFrontend)
    }

    @Test("--keep-upstream-cors: the upstream's headers stay, each disagreement is warned about once")
    func keepUpstreamCORS() async throws {
        let upstream = try await LocalServer.start(router: ProxyTestUpstream.router())
        let lines = Mutex<[String]>([])
        let comparison = UpstreamCORSComparison { line in lines.withLock { $0.append(line) } }
        let proxy = try await RunningProxy.start(["--upstream", upstream.baseURL], policy: Self.policy, comparison: comparison)
        defer { Task { await proxy.stop(); await upstream.stop() } }
        for _ in 0..<3 {
            let kept = try await proxyExchange(proxy.url("/own-cors"), headers: [("Origin", tutorialFrontend)])
            #expect(kept.value("Access-Control-Allow-Origin") == "*")
            #expect(kept.value("Vary") == "Accept-Encoding")
        }
        #expect(
            lines.withLock { $0 } == [
                "cors proxy: warning: the upstream and the policy disagree on Access-Control-Allow-Origin (GET /own-cors from http://localhost:5173): upstream \"*\", policy \"http://localhost:5173\"",
                "cors proxy: warning: the upstream and the policy disagree on Access-Control-Allow-Credentials (GET /own-cors from http://localhost:5173): upstream (none), policy \"true\"",
                "cors proxy: warning: the upstream and the policy disagree on Access-Control-Expose-Headers (GET /own-cors from http://localhost:5173): upstream (none), policy \"X-Request-Id\"",
            ])
    }
}

// MARK: The binary: start-up, streaming, signals

@Suite("cors proxy: the command", .serialized)
struct ProxyCommandTests {
    /// `cors proxy …` running as a process, its output in files.
    final class ProxyProcess: Sendable {
        let process: Process
        let output: URL
        let errors: URL
        let port: Int

        init(_ arguments: [String]) async throws {
            port = try DemoReloadTests.freePort()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            output = directory.appendingPathComponent("out")
            errors = directory.appendingPathComponent("err")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process = Process()
            process.executableURL = try CORSExecutable.url()
            process.arguments = ["proxy", "--listen", "127.0.0.1:\(port)"] + arguments
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
            for _ in 0..<300 where standardOutput.isEmpty && process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        var standardOutput: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
        var standardError: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }
        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

        /// The peak resident memory, in MiB.
        var peakMemoryMiB: Int {
            let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
            return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    @Test("Start-up: the routes and the nginx sketch (same-origin); the policy and the nginx and Caddy exports (policy mode)")
    func startupOutput() async throws {
        let sameOrigin = try await ProxyProcess(["--route", "/=http://localhost:5173", "--route", "/api=http://127.0.0.1:8000", "--strip-prefix", "/api"])
        sameOrigin.stop()
        let lines = sameOrigin.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(lines.prefix(5)) == [
                "cors proxy on http://127.0.0.1:\(sameOrigin.port): same-origin mode, the page and the API share one origin, so the browser needs no CORS",
                "Routes:",
                "  /api  → http://127.0.0.1:8000   (prefix stripped: /api/me → /me)",
                "  /     → http://localhost:5173",
                "WebSocket upgrades (Vite's hot reload) are tunnelled along the same routes.",
            ])
        #expect(lines.contains("    location /api/ {"))
        #expect(lines.contains("        proxy_pass http://127.0.0.1:8000/;"))
        #expect(lines.contains("        proxy_cookie_path / /api/;"))
        #expect(sameOrigin.process.terminationStatus == 0, "SIGTERM is a graceful stop")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-policy-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"allowOrigins": ["https://app.example.com"], "allowCredentials": true, "exposeHeaders": ["X-Request-Id"]}"#.write(
            to: file, atomically: true, encoding: .utf8)
        let policyMode = try await ProxyProcess(["--policy", file.path, "--upstream", "http://127.0.0.1:8000"])
        policyMode.stop()
        let policyLines = policyMode.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(policyLines.prefix(8)) == [
                "cors proxy on http://127.0.0.1:\(policyMode.port): policy mode, every response carries the policy's CORS headers",
                "Routes:",
                "  /  → http://127.0.0.1:8000",
                "Policy \(file.path) (profile production): valid, no warnings",
                "  allowOrigins:        https://app.example.com",
                "  allowCredentials:    true",
                "  exposeHeaders:       X-Request-Id",
                "Upstream CORS headers: removed; the proxy answers preflights and sets the policy's headers on every response, 4xx, 5xx, 502 and 504 included.",
            ])
        let listen = "127.0.0.1:\(policyMode.port)"
        #expect(policyLines.contains("Production equivalent (cors export \(file.path) --to nginx --upstream http://127.0.0.1:8000 --listen \(listen)):"))
        #expect(policyLines.contains("Production equivalent (cors export \(file.path) --to caddy --upstream http://127.0.0.1:8000 --listen \(listen)):"))
        let nginx = try await CORSExecutable.run(["export", file.path, "--to", "nginx", "--upstream", "http://127.0.0.1:8000", "--listen", listen])
        #expect(policyMode.standardOutput.contains(nginx.standardOutput), "the nginx export, verbatim")
    }

    @Test("Bad usage: one line on stderr, exit 2; a non-loopback --listen warns")
    func badUsage() async throws {
        let noRoute = try await CORSExecutable.run(["proxy"])
        #expect(noRoute.status == 2)
        #expect(noRoute.standardError.contains("give --upstream URL (policy mode) or at least one --route PREFIX=URL."))
        let badRoute = try await CORSExecutable.run(["proxy", "--route", "api=http://127.0.0.1:8000"])
        #expect(badRoute.status == 2)
        #expect(badRoute.errorLines == ["cors: a route's prefix must be a path starting with '/', not 'api'"])
        let badStrip = try await CORSExecutable.run(["proxy", "--route", "/api=http://127.0.0.1:8000", "--strip-prefix", "/v1"])
        #expect(badStrip.errorLines == ["cors: --strip-prefix /v1 names no route; the prefixes are /api"])

        let open = try await ProxyProcess(["--upstream", "http://127.0.0.1:8000", "--listen", "0.0.0.0:\(try DemoReloadTests.freePort())"])
        open.stop()
        #expect(open.standardError.hasPrefix("cors proxy: warning: listening on 0.0.0.0:"))
    }

    @Test("Streaming: 512 MiB up and 512 MiB down pass through with bounded memory")
    func streamingBoundedMemory() async throws {
        let upstream = try await LocalServer.start(router: ProxyTestUpstream.router())
        defer { Task { await upstream.stop() } }
        let proxy = try await ProxyProcess(["--route", "/=\(upstream.baseURL)"])
        defer { proxy.stop() }
        let megabytes = 512
        var upload = HTTPClientRequest(url: proxy.url("/count"))
        upload.method = .POST
        let chunk = ByteBuffer(repeating: 0x62, count: 64 * 1024)
        let chunks = AsyncStream<ByteBuffer> { continuation in
            for _ in 0..<(megabytes * 16) { continuation.yield(chunk) }
            continuation.finish()
        }
        upload.body = .stream(chunks, length: .known(Int64(megabytes << 20)))
        let counted = try await HTTPClient.shared.execute(upload, timeout: .seconds(120))
        #expect(String(buffer: try await counted.body.collect(upTo: 1024)) == "count=\(megabytes << 20)")

        let download = try await HTTPClient.shared.execute(HTTPClientRequest(url: proxy.url("/stream?mb=\(megabytes)")), timeout: .seconds(120))
        var received = 0
        for try await buffer in download.body { received += buffer.readableBytes }
        #expect(received == megabytes << 20)
        // A proxy that buffered either body whole would peak above 512 MiB; the debug build's
        // own footprint (about 150 MiB at rest with its dependencies) varies between runs.
        #expect(proxy.peakMemoryMiB < megabytes / 2, "peak RSS \(proxy.peakMemoryMiB) MiB for \(megabytes) MiB each way")
    }

    @Test("SIGHUP reloads the policy; SIGTERM lets an in-flight request finish")
    func reloadAndGracefulShutdown() async throws {
        let upstream = try await LocalServer.start(router: ProxyTestUpstream.router())
        defer { Task { await upstream.stop() } }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-reload-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try #"{"allowOrigins": ["https://a.example.com"]}"#.write(to: file, atomically: true, encoding: .utf8)
        let proxy = try await ProxyProcess(["--policy", file.path, "--upstream", upstream.baseURL])
        defer { proxy.stop() }
        func allowOrigin(_ origin: String) async throws -> String? {
            try await proxyExchange(proxy.url("/echo/r"), headers: [("Origin", origin)]).value("Access-Control-Allow-Origin")
        }
        #expect(try await allowOrigin("https://a.example.com") == "https://a.example.com")
        try #"{"allowOrigins": ["https://b.example.com"]}"#.write(to: file, atomically: true, encoding: .utf8)
        kill(proxy.process.processIdentifier, SIGHUP)
        var reloaded = false
        for _ in 0..<100 where !reloaded {
            try await Task.sleep(for: .milliseconds(50))
            reloaded = try await allowOrigin("https://b.example.com") == "https://b.example.com"
        }
        #expect(reloaded)
        #expect(proxy.standardError.contains("cors proxy: SIGHUP: reloaded \(file.path); the new policy is in force."))

        async let slow = proxyExchange(proxy.url("/slow"), headers: [("Origin", "https://b.example.com")])
        try await Task.sleep(for: .milliseconds(500))
        kill(proxy.process.processIdentifier, SIGTERM)
        let finished = try await slow
        #expect(finished.status == 200)
        #expect(finished.body == "slow")
        #expect(finished.value("Access-Control-Allow-Origin") == "https://b.example.com")
        proxy.process.waitUntilExit()
        #expect(proxy.process.terminationStatus == 0)
    }
}
