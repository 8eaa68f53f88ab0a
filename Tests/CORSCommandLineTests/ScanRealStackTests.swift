import Foundation
import Testing

@testable import CORSCommandLine
import CORSTestSupport

/// `cors scan` against real stacks set up the way people really set them up: Express with the
/// `cors` package (Debian's node-express and node-cors), nginx (`add_header` with and without
/// `always`, and `proxy_cache` in front of an upstream with and without `Vary: Origin`), and
/// Python's http.server answering CORS by hand. Each misconfiguration is found as its one root
/// cause; each correct setup has no finding and exits 0. Every SARIF written is schema-checked.
@Suite("cors scan against misconfigured real stacks", .serialized)
struct ScanRealStackTests {
    static let trusted = "https://app.example.test"
    static var stacks: URL { FastAPIServer.repositoryRoot.appendingPathComponent("Tests/ScanStacks") }

    struct Scan {
        var status: Int32
        var findings: [[String: Any]]
        var notes: [String]
        var output: String

        /// `severity axis code` of each finding, in order.
        var summary: [String] {
            findings.map { "\($0["severity"] as? String ?? "") \($0["axis"] as? String ?? "") \($0["code"] as? String ?? "")" }
        }
    }

    /// `cors scan URL --trusted-origin … --json --sarif FILE`, the SARIF validated.
    static func scan(_ url: String, extra: [String] = []) async throws -> Scan {
        let sarif = FileManager.default.temporaryDirectory.appendingPathComponent("real-stack-\(UUID()).sarif").path
        defer { try? FileManager.default.removeItem(atPath: sarif) }
        let run = try await CORSExecutable.run(["scan", url, "--trusted-origin", trusted, "--json", "--sarif", sarif] + extra)
        let document = try checkParseJSON(run.standardOutput)
        let target = try #require((document["targets"] as? [[String: Any]])?.first, "\(run)")
        try SARIFSchema.validate(file: sarif)
        return Scan(
            status: run.status, findings: target["findings"] as? [[String: Any]] ?? [], notes: target["notes"] as? [String] ?? [],
            output: run.standardOutput)
    }

    // MARK: Express

    static func withExpress(_ mode: String, _ body: (Int) async throws -> Void) async throws {
        let port = try DemoReloadTests.freePort()
        let server = try await ScanChildServer.start(
            "Express (\(mode))", executable: "/usr/bin/node",
            arguments: [stacks.appendingPathComponent("express_scan_app.js").path, mode, String(port)], port: port,
            environment: ["NODE_PATH": "/usr/share/nodejs"])
        defer { server.stop() }
        try await body(port)
    }

    @Test("Express cors({origin: true, credentials: true}): ONE high origin-reflection, every other probe as its evidence")
    func expressReflection() async throws {
        try await Self.withExpress("reflect") { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.status == 1)
            #expect(scan.summary == ["high exposure origin-reflection"], "\(scan.output)")
            let finding = try #require(scan.findings.first)
            #expect(((finding["evidence"] as? [Any])?.count ?? 0) >= 30)
            #expect((finding["alsoShownBy"] as? [String])?.contains("null-origin") == true)
            #expect((finding["fix"] as? String)?.contains("Express (cors): app.use(cors({ origin: [..., 'https://app.example.test'] }))") == true, "\(finding["fix"] ?? "")")
        }
    }

    @Test("Express, the frontend's URL with a trailing slash: a high breakage, exit 1 at the default --fail-on")
    func expressTrailingSlash() async throws {
        try await Self.withExpress("trailing-slash") { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.status == 1)
            #expect(scan.summary == ["high breakage invalid-allow-origin"], "\(scan.output)")
        }
    }

    @Test("Express, cors() on one route: the preflight is Express's own 200 without CORS, and 404s have none")
    func expressPerRoute() async throws {
        try await Self.withExpress("per-route") { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.status == 1)
            #expect(scan.summary == ["high breakage preflight-without-cors", "medium breakage missing-cors-on-error"], "\(scan.output)")
        }
    }

    @Test("Express, a regex that allows any port: port-reflection")
    func expressAnyPort() async throws {
        try await Self.withExpress("any-port") { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.summary == ["medium exposure port-reflection"], "\(scan.output)")
        }
    }

    @Test("Express, /\\.vercel\\.app$/ trusted: hosting-platform-origin")
    func expressVercel() async throws {
        try await Self.withExpress("vercel") { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.summary == ["high exposure hosting-platform-origin"], "\(scan.output)")
            #expect((scan.findings.first?["probeOrigin"] as? String)?.hasSuffix(".vercel.app") == true)
        }
    }

    @Test("Express, the textbook allow-list: no finding, exit 0")
    func expressCorrect() async throws {
        try await Self.withExpress("correct") { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.status == 0, "\(scan.output)")
            #expect(scan.summary == [])
        }
    }

    // MARK: nginx

    /// nginx answering `/api/me` itself with the CORS fields added at server level.
    static func nginxConfiguration(port: Int, always: Bool, directory: String) -> String {
        let flag = always ? " always" : ""
        return """
            worker_processes 1;
            master_process off;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(directory)/body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;
                map $http_origin $cors_origin { default ""; "\(trusted)" $http_origin; }
                server {
                    listen 127.0.0.1:\(port);
                    add_header Access-Control-Allow-Origin $cors_origin\(flag);
                    add_header Access-Control-Allow-Credentials true\(flag);
                    add_header Access-Control-Allow-Methods "GET, PUT"\(flag);
                    add_header Vary Origin\(flag);
                    location = /api/me {
                        if ($request_method = OPTIONS) { return 204; }
                        default_type application/json;
                        return 200 '{"user": "alice"}';
                    }
                    location / { return 404; }
                }
            }
            """
    }

    /// nginx caching `/api/…` from an upstream (another nginx server block) that grants the
    /// trusted origin, with or without `Vary: Origin`.
    static func nginxCacheConfiguration(port: Int, upstream: Int, vary: Bool, directory: String) -> String {
        """
        worker_processes 1;
        master_process off;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path \(directory)/body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            proxy_cache_path \(directory)/cache keys_zone=api:1m;
            map $http_origin $cors_origin { default ""; "\(trusted)" $http_origin; }
            server {
                listen 127.0.0.1:\(upstream);
                location / {
                    add_header Access-Control-Allow-Origin $cors_origin always;
                    add_header Access-Control-Allow-Credentials true always;
                    \(vary ? "add_header Vary Origin always;" : "")
                    add_header Cache-Control "public, max-age=600";
                    default_type application/json;
                    return 200 '{"user": "alice"}';
                }
            }
            server {
                listen 127.0.0.1:\(port);
                location / {
                    proxy_pass http://127.0.0.1:\(upstream);
                    proxy_cache api;
                    proxy_cache_valid 200 10m;
                    add_header X-Cache-Status $upstream_cache_status always;
                }
            }
        }
        """
    }

    static func withNginx(_ configuration: (_ port: Int, _ directory: String) throws -> String, _ body: (Int) async throws -> Void) async throws {
        let port = try DemoReloadTests.freePort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scan-nginx-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("nginx.conf")
        try configuration(port, directory.path).write(to: file, atomically: true, encoding: .utf8)
        let server = try await ScanChildServer.start(
            "nginx", executable: "/usr/sbin/nginx", arguments: ["-p", directory.path + "/", "-c", file.path, "-g", "daemon off;"],
            port: port, stopSignal: SIGTERM)
        defer { server.stop() }
        try await body(port)
    }

    @Test("nginx add_header without `always`: 404 and 405 lose the CORS fields (missing-cors-on-error); with `always`, no finding")
    func nginxAlways() async throws {
        try await Self.withNginx({ Self.nginxConfiguration(port: $0, always: false, directory: $1) }) { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.status == 1)
            #expect(scan.summary == ["medium breakage missing-cors-on-error"], "\(scan.output)")
            let statuses = (scan.findings.first?["evidence"] as? [[String: Any]])?.compactMap { $0["status"] as? Int }
            #expect(statuses?.contains(404) == true, "\(statuses ?? [])")
            #expect((scan.findings.first?["fix"] as? String)?.contains("always") == true)
        }
        try await Self.withNginx({ Self.nginxConfiguration(port: $0, always: true, directory: $1) }) { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.status == 0, "\(scan.output)")
            #expect(scan.summary == [])
        }
    }

    @Test("nginx proxy_cache in front of an upstream without Vary: Origin: cache-poisoning-risk (X-Cache-Status: HIT); with Vary, none")
    func nginxCache() async throws {
        for vary in [false, true] {
            let upstream = try DemoReloadTests.freePort()
            try await Self.withNginx({ Self.nginxCacheConfiguration(port: $0, upstream: upstream, vary: vary, directory: $1) }) { port in
                let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
                // nginx refuses TRACE itself (405) before the upstream that adds the CORS fields: a
                // real missing-cors-on-error of this proxy setup, in both variants.
                let onError = "medium breakage missing-cors-on-error"
                if vary {
                    #expect(scan.summary == [onError], "\(scan.output)")
                } else {
                    #expect(scan.summary == ["medium exposure cache-poisoning-risk", onError], "\(scan.output)")
                    #expect((scan.findings.first?["explanation"] as? String)?.contains("X-Cache-Status: HIT") == true)
                }
            }
        }
    }

    // MARK: Python frameworks (PyPI, the venv Scripts/test.sh makes)

    /// An app of `Tests/ScanStacks` run by the test Python on a free port: `arguments` after the
    /// interpreter, given the port.
    static func withPython(
        _ name: String, environment: [String: String] = [:], arguments: (Int) -> [String], _ body: (Int) async throws -> Void
    ) async throws {
        let port = try DemoReloadTests.freePort()
        let python = FastAPIServer.python()
        let server = try await ScanChildServer.start(
            name, executable: python.executable.path, arguments: python.arguments + arguments(port), port: port,
            environment: environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 })
        defer { server.stop() }
        try await body(port)
    }

    static func withFastAPI(_ mode: String, _ body: (Int) async throws -> Void) async throws {
        try await withPython("FastAPI (\(mode))", environment: ["CORS_SCAN_MODE": mode]) { port in
            [
                "-m", "uvicorn", "fastapi_scan_app:app", "--app-dir", stacks.path, "--host", "127.0.0.1", "--port", String(port),
                "--log-level", "critical",
            ]
        } _: { port in
            try await body(port)
        }
    }

    @Test(
        "The textbook setups (an explicit origin list, credentials) of Flask-CORS, django-cors-headers and Starlette's CORSMiddleware: no finding, exit 0",
        arguments: ["flask", "django", "fastapi"])
    func pythonCorrect(_ stack: String) async throws {
        let check: (Int) async throws -> Void = { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.status == 0, "\(stack): \(scan.output)")
            #expect(scan.summary == [], "\(stack)")
        }
        switch stack {
        case "fastapi":
            try await Self.withFastAPI("correct", check)
        default:
            try await Self.withPython(stack) { [Self.stacks.appendingPathComponent("\(stack)_scan_app.py").path, String($0)] } _: {
                try await check($0)
            }
        }
    }

    @Test("FastAPI with CORS set by hand in the handlers: 404, 405 and the 422 of a malformed JSON body (`{`) lack it (missing-cors-on-error)")
    func fastapiByHand() async throws {
        try await Self.withFastAPI("by-hand") { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.status == 1)
            #expect(scan.summary == ["medium breakage missing-cors-on-error"], "\(scan.output)")
            let evidence = scan.findings.first?["evidence"] as? [[String: Any]] ?? []
            let statuses = evidence.compactMap { $0["status"] as? Int }
            #expect(Set(statuses) == [404, 405, 422], "\(statuses)")
        }
    }

    @Test(
        "aiohttp-cors, every route added: its real gaps only, no Vary: Origin and no CORS on 404/405 (aiohttp-cors cannot add them), no exposure"
    )
    func aiohttpCors() async throws {
        try await Self.withPython("aiohttp-cors") { [Self.stacks.appendingPathComponent("aiohttp_scan_app.py").path, String($0)] } _: { port in
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            #expect(scan.summary == ["medium breakage missing-cors-on-error", "medium breakage missing-vary-origin"], "\(scan.output)")
        }
    }

    // MARK: Python's http.server

    @Test("Python's http.server echoing a percent-decoded Access-Control-Request-Headers: crlf-injection; echoing it as received, no finding")
    func pythonCRLF() async throws {
        for mode in ["decode", "plain"] {
            let port = try DemoReloadTests.freePort()
            let server = try await ScanChildServer.start(
                "http.server (\(mode))", executable: "/usr/bin/python3",
                arguments: [Self.stacks.appendingPathComponent("crlf_server.py").path, mode, String(port)], port: port,
                environment: ["PYTHONDONTWRITEBYTECODE": "1"])
            defer { server.stop() }
            let scan = try await Self.scan("http://127.0.0.1:\(port)/api/me")
            if mode == "decode" {
                #expect(scan.summary == ["high exposure crlf-injection"], "\(scan.output)")
            } else {
                #expect(scan.status == 0, "\(scan.output)")
                #expect(scan.summary == [])
            }
        }
    }
}

/// A child process serving on 127.0.0.1:`port` until ``stop()``.
final class ScanChildServer: Sendable {
    let name: String
    let port: Int
    private let process: Process
    private let log: URL
    private let stopSignal: Int32

    private init(name: String, port: Int, process: Process, log: URL, stopSignal: Int32) {
        self.name = name
        self.port = port
        self.process = process
        self.log = log
        self.stopSignal = stopSignal
    }

    static func start(
        _ name: String, executable: String, arguments: [String], port: Int, environment: [String: String] = [:],
        stopSignal: Int32 = SIGKILL
    ) async throws -> ScanChildServer {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw LocalServerFailure(description: "\(name) needs \(executable): Scripts/test.sh installs it")
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("scan-stack-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try? output.close()
        let server = ScanChildServer(name: name, port: port, process: process, log: log, stopSignal: stopSignal)
        for _ in 0..<200 {
            if LoopbackPort.accepts(port) { return server }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        server.stop()
        throw LocalServerFailure(description: "\(name) did not listen on 127.0.0.1:\(port): \(text.suffix(1500))")
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, stopSignal)
            for _ in 0..<100 where process.isRunning { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: log)
    }

}

struct LocalServerFailure: Error, CustomStringConvertible {
    var description: String
}
