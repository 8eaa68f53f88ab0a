import Foundation
import Testing
import CORSTestSupport

/// `cors export` proven on the real servers: each stack's export of each policy of the
/// conformance table runs in the real server (Debian's nginx-light and caddy), in front of an
/// upstream (`Tests/Export/upstream.py`) that answers the table's routes and adds CORS fields of
/// its own everywhere, and must answer every case of that policy exactly as the Swift adapters
/// do: status, every `Access-Control-*` value, `Vary`, and an empty preflight body.
///
/// Field order is compared per name, not across names: Go's HTTP server (Caddy) writes fields
/// sorted by name, and HTTP gives the order of distinct fields no meaning.
///
/// `Vary` is compared as a list (elements in order, whitespace around commas free): Apache's core
/// rewrites every `Vary` as `a,b`, and HTTP gives that whitespace no meaning.
///
/// Needs nginx-light, caddy and apache2 (`Scripts/test.sh` installs them) and python3. Without
/// them these tests fail; they never skip.
@Suite("cors export: the exports on the real servers answer the conformance table", .serialized)
struct ExportConformanceTests {
    /// The policies a file can hold (the routed table is not one).
    static let policies: [ConformancePolicy] = [.tutorial, .publicAPI, .patterns]

    /// Cases a stack cannot pass, with the reason its export prints as a warning.
    static let knownDeviations: [String: [String: String]] = [
        "nginx": ["two Origin fields": "nginx 1.22 reads only the first Origin field"],
        "flask": [
            "huge Access-Control-Request-Headers":
                "Werkzeug's development server (Python's http.server) refuses a 100 kB field line with 431 before Flask runs"
        ],
        "django": [
            "huge Access-Control-Request-Headers":
                "Django's runserver (Python's http.server) refuses a 100 kB field line with 431 before Django runs"
        ],
    ]

    @Test("nginx: `nginx -t` accepts the export, and nginx answers the table")
    func nginx() async throws {
        for policy in Self.policies {
            try await Upstream.with { upstream in
                try await NginxServer.with(policy, upstreamPort: upstream.port) { port in
                    try await Self.runTable(policy, stack: "nginx", port: port)
                }
            }
        }
    }

    @Test("Caddy: `caddy validate` accepts the export, and Caddy answers the table")
    func caddy() async throws {
        for policy in Self.policies {
            try await Upstream.with { upstream in
                try await CaddyServer.with(policy, upstreamPort: upstream.port) { port in
                    try await Self.runTable(policy, stack: "caddy", port: port)
                }
            }
        }
    }

    @Test("Apache httpd (Debian apache2): `apache2 -t` accepts the export, and Apache answers the table")
    func apache() async throws {
        for policy in Self.policies {
            try await Upstream.with { upstream in
                try await ApacheServer.with(policy, upstreamPort: upstream.port) { port in
                    try await Self.runTable(policy, stack: "apache", port: port)
                }
            }
        }
    }

    @Test("Django (PyPI, runserver): the exported WSGI wrapper answers the table")
    func django() async throws {
        for policy in Self.policies {
            try await AppServer.with(policy, stack: "django", moduleName: "cors_policy.py") { directory, _, port in
                let apps = ExportHarness.repositoryRoot.appendingPathComponent("Tests/Export")
                return (
                    "/usr/bin/env",
                    [
                        "PYTHONPATH=\(directory.path):\(apps.path)", "PYTHONDONTWRITEBYTECODE=1", AppServer.python(),
                        apps.appendingPathComponent("django_app.py").path, String(port),
                    ]
                )
            }
        }
    }

    @Test("aiohttp (PyPI): the exported middleware answers the table")
    func aiohttp() async throws {
        for policy in Self.policies {
            try await AppServer.with(policy, stack: "aiohttp", moduleName: "cors_policy.py") { directory, _, port in
                (
                    "/usr/bin/env",
                    [
                        "PYTHONPATH=\(directory.path)", "PYTHONDONTWRITEBYTECODE=1", AppServer.python(),
                        ExportHarness.repositoryRoot.appendingPathComponent("Tests/Export/aiohttp_app.py").path, String(port),
                    ]
                )
            }
        }
    }

    @Test("Express with cors (Debian): the exported module answers the table")
    func express() async throws {
        for policy in Self.policies {
            try await AppServer.with(policy, stack: "express", moduleName: "cors-policy.js") { directory, module, port in
                (
                    "/usr/bin/env",
                    [
                        "NODE_PATH=/usr/share/nodejs", "node", "--max-http-header-size=131072",
                        ExportHarness.repositoryRoot.appendingPathComponent("Tests/Export/express_app.js").path, module.path,
                        String(port),
                    ]
                )
            }
        }
    }

    @Test("FastAPI (PyPI, uvicorn): the exported module answers the table")
    func fastapi() async throws {
        for policy in Self.policies {
            try await AppServer.with(policy, stack: "fastapi", moduleName: "cors_policy.py") { directory, _, port in
                (
                    "/usr/bin/env",
                    [
                        "PYTHONPATH=\(directory.path)", "PYTHONDONTWRITEBYTECODE=1", AppServer.python(), "-m", "uvicorn",
                        "fastapi_app:app", "--app-dir", ExportHarness.repositoryRoot.appendingPathComponent("Tests/Export").path,
                        "--host", "127.0.0.1", "--port", String(port), "--log-level", "critical",
                        "--h11-max-incomplete-event-size", "131072",
                    ]
                )
            }
        }
    }

    @Test("Flask (PyPI, Werkzeug): the exported module answers the table")
    func flask() async throws {
        for policy in Self.policies {
            try await AppServer.with(policy, stack: "flask", moduleName: "cors_policy.py") { directory, _, port in
                (
                    "/usr/bin/env",
                    [
                        "PYTHONPATH=\(directory.path)", "PYTHONDONTWRITEBYTECODE=1", AppServer.python(),
                        ExportHarness.repositoryRoot.appendingPathComponent("Tests/Export/flask_app.py").path, String(port),
                    ]
                )
            }
        }
    }

    /// Every case of `policy`, against the server on `port`.
    static func runTable(_ policy: ConformancePolicy, stack: String, port: Int) async throws {
        for testCase in ConformanceCase.all where testCase.policy == policy {
            let response = try await RawHTTPClient.send(
                port: port, method: testCase.method, path: testCase.path, fields: testCase.headers)
            let observed = Observed(status: response.status, fields: response.fields, bodyIsEmpty: response.body.isEmpty)
            let expected = Observed(expected: testCase)
            let matches =
                observed.status == expected.status && Self.byName(observed.cors) == Self.byName(expected.cors)
                && Self.elements(observed.vary) == Self.elements(expected.vary)
                && (!testCase.isPreflight || observed.bodyIsEmpty)
            let comment = Comment(rawValue: "\(stack) \(policy) '\(testCase.name)': got \(observed), expected \(expected)")
            if let reason = knownDeviations[stack]?[testCase.name] {
                withKnownIssue(Comment(rawValue: reason)) { #expect(matches, comment) }
            } else {
                #expect(matches, comment)
            }
        }
    }

    /// A list field's elements, without the whitespace around its commas.
    static func elements(_ list: String) -> [String] {
        list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// Fields grouped by name (stable within a name), so that only the order across names is free.
    static func byName(_ fields: [Observed.Field]) -> [Observed.Field] {
        fields.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }.map(\.element)
    }
}

/// `Tests/Export/upstream.py` on a free port.
enum Upstream {
    static func with(_ body: (ChildServer) async throws -> Void) async throws {
        let port = try LoopbackPort.free()
        let server = try await ChildServer.start(
            "upstream", executable: "/usr/bin/env",
            arguments: ["python3", ExportHarness.repositoryRoot.appendingPathComponent("Tests/Export/upstream.py").path, String(port)],
            port: port, environment: ["PYTHONDONTWRITEBYTECODE": "1"])
        do { try await body(server) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// Debian's nginx with the export included inside `http { }`, as its header says to.
enum NginxServer {
    static let executable = "/usr/sbin/nginx"

    static func with(_ policy: ConformancePolicy, upstreamPort: Int, _ body: (Int) async throws -> Void) async throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ExportHarness.Failure(description: "nginx is not installed: apt-get install nginx-light (Scripts/test.sh does)")
        }
        let port = try LoopbackPort.free()
        let directory = try ExportHarness.temporaryDirectory("nginx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let exported = try await ExportHarness.export(
            policy, to: "nginx", extra: ["--upstream", "http://127.0.0.1:\(upstreamPort)", "--listen", "127.0.0.1:\(port)"])
        try exported.write(to: directory.appendingPathComponent("cors.conf"), atomically: true, encoding: .utf8)
        // Compiled-in temporary paths point into /var/lib/nginx: every one moves here.
        let temporary = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map { "    \($0)_temp_path \(directory.path)/temp-\($0);" }
        let user = getuid() == 0 ? "user root root;\n" : ""
        let main = """
            \(user)worker_processes 1;
            error_log \(directory.path)/error.log warn;
            pid \(directory.path)/nginx.pid;
            events { worker_connections 128; }
            http {
                access_log off;
            \(try await supported(temporary, directory: directory).joined(separator: "\n"))
                include \(directory.path)/cors.conf;
            }

            """
        let conf = directory.appendingPathComponent("nginx.conf")
        try main.write(to: conf, atomically: true, encoding: .utf8)
        let check = try await ExportHarness.run(URL(fileURLWithPath: executable), ["-t", "-p", directory.path + "/", "-c", conf.path])
        try #require(check.status == 0, "nginx -t: \(check.error)")
        let server = try await ChildServer.start(
            "nginx", executable: executable, arguments: ["-p", directory.path + "/", "-c", conf.path, "-g", "daemon off;"],
            port: port, stopSignal: SIGTERM)
        do { try await body(port) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The temporary-path directives this nginx build knows (nginx-light lacks uwsgi and scgi).
    private static func supported(_ lines: [String], directory: URL) async throws -> [String] {
        let version = try await ExportHarness.run(URL(fileURLWithPath: executable), ["-V"])
        return lines.filter { line in
            let module = line.split(separator: " ").first.map { String($0.dropLast("_temp_path".count)) } ?? ""
            return module == "client_body" || module == "proxy" || version.error.contains("--http-\(module)-temp-path")
        }
    }
}

/// Debian's apache2 with the exported `<VirtualHost>` included by a main configuration of its own
/// (modules, `Listen`, pid, logs and runtime files in a temporary directory), in the foreground
/// (`-X`, one process).
enum ApacheServer {
    static let executable = "/usr/sbin/apache2"
    static let modules = "/usr/lib/apache2/modules"

    static func with(_ policy: ConformancePolicy, upstreamPort: Int, _ body: (Int) async throws -> Void) async throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ExportHarness.Failure(description: "apache2 is not installed: apt-get install apache2 (Scripts/test.sh does)")
        }
        let port = try LoopbackPort.free()
        let directory = try ExportHarness.temporaryDirectory("apache")
        defer { try? FileManager.default.removeItem(at: directory) }
        let exported = try await ExportHarness.export(
            policy, to: "apache", extra: ["--upstream", "http://127.0.0.1:\(upstreamPort)", "--listen", "127.0.0.1:\(port)"])
        try exported.write(to: directory.appendingPathComponent("cors.conf"), atomically: true, encoding: .utf8)
        let loads = [
            ("mpm_event", "mod_mpm_event"), ("authz_core", "mod_authz_core"), ("alias", "mod_alias"), ("headers", "mod_headers"),
            ("rewrite", "mod_rewrite"), ("proxy", "mod_proxy"), ("proxy_http", "mod_proxy_http"),
        ].map { "LoadModule \($0.0)_module \(modules)/\($0.1).so" }
        // As root, Apache insists on switching to an unprivileged user for its workers.
        let user = getuid() == 0 ? "User nobody\nGroup nogroup\n" : ""
        let main = """
            ServerRoot \(directory.path)
            \(loads.joined(separator: "\n"))
            \(user)ServerName 127.0.0.1
            Listen 127.0.0.1:\(port)
            PidFile \(directory.path)/httpd.pid
            DefaultRuntimeDir \(directory.path)
            ErrorLog \(directory.path)/error.log
            LogLevel warn
            LimitRequestFieldSize 131072
            Include \(directory.path)/cors.conf

            """
        let conf = directory.appendingPathComponent("httpd.conf")
        try main.write(to: conf, atomically: true, encoding: .utf8)
        let check = try await ExportHarness.run(URL(fileURLWithPath: executable), ["-t", "-f", conf.path])
        try #require(check.status == 0, "apache2 -t: \(check.error)")
        let server = try await ChildServer.start(
            "apache2", executable: executable, arguments: ["-X", "-f", conf.path], port: port)
        do { try await body(port) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// Debian's caddy running the exported Caddyfile (admin endpoint off, as exported).
enum CaddyServer {
    static let executable = "/usr/bin/caddy"

    static func with(_ policy: ConformancePolicy, upstreamPort: Int, _ body: (Int) async throws -> Void) async throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ExportHarness.Failure(description: "caddy is not installed: apt-get install caddy (Scripts/test.sh does)")
        }
        let port = try LoopbackPort.free()
        let directory = try ExportHarness.temporaryDirectory("caddy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let exported = try await ExportHarness.export(
            policy, to: "caddy", extra: ["--upstream", "http://127.0.0.1:\(upstreamPort)", "--listen", "127.0.0.1:\(port)"])
        let file = directory.appendingPathComponent("Caddyfile")
        try exported.write(to: file, atomically: true, encoding: .utf8)
        // Caddy keeps its autosave and data under XDG directories: here, not in $HOME.
        let environment = [
            "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path,
            "XDG_DATA_HOME": directory.appendingPathComponent("data").path, "HOME": directory.path,
        ]
        let check = try await ExportHarness.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            environment.map { "\($0.key)=\($0.value)" } + [executable, "validate", "--config", file.path, "--adapter", "caddyfile"])
        try #require(check.status == 0, "caddy validate: \(check.error)")
        let server = try await ChildServer.start(
            "caddy", executable: executable, arguments: ["run", "--config", file.path, "--adapter", "caddyfile"], port: port,
            environment: environment)
        do { try await body(port) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// An application-level export: the exported module saved in a fresh directory, the test app of
/// `Tests/Export/` that installs it started on a free port, then the table.
enum AppServer {
    /// `CORS_TEST_PYTHON`, else the virtual environment Scripts/test.sh makes, else `python3`.
    static func python() -> String {
        if let named = ProcessInfo.processInfo.environment["CORS_TEST_PYTHON"], !named.isEmpty { return named }
        let venv = ExportHarness.repositoryRoot.appendingPathComponent(".build/fastapi-venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv.path : "python3"
    }

    static func with(
        _ policy: ConformancePolicy, stack: String, moduleName: String,
        command: (URL, URL, Int) -> (String, [String])
    ) async throws {
        let directory = try ExportHarness.temporaryDirectory(stack)
        defer { try? FileManager.default.removeItem(at: directory) }
        let module = directory.appendingPathComponent(moduleName)
        try await ExportHarness.export(policy, to: stack).write(to: module, atomically: true, encoding: .utf8)
        let port = try LoopbackPort.free()
        let (executable, arguments) = command(directory, module, port)
        let server = try await ChildServer.start(stack, executable: executable, arguments: arguments, port: port)
        do {
            try await ExportConformanceTests.runTable(policy, stack: stack, port: port)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
