import Foundation
import Testing
import CORSTestSupport

/// `cors check` against deliberately misconfigured real servers (nginx-light, Caddy, Express with
/// `cors`, Flask-CORS, FastAPI, django-cors-headers, aiohttp-cors): it names the stack, its first
/// fix is a line of that stack's configuration, and once the test applies that line (the
/// configuration or app rewritten, the server restarted) the same check passes with exit 0.
///
/// The misconfigured apps are in `Tests/StackFix/`. Applying a fix is mechanical: a line is put
/// where the app marks "cors check's fix goes here" (or replaces the `add_header` of the same
/// field), and `name=[..., "X"]` adds "X" to that argument of the existing call.
///
/// Needs what `Scripts/test.sh` installs: nginx-light, caddy, node-express, node-cors, and in
/// `.build/fastapi-venv` fastapi, uvicorn, flask, flask-cors, django, django-cors-headers,
/// aiohttp and aiohttp-cors. Without them these tests fail; they never skip.
@Suite("cors check on misconfigured real stacks: the stack's own fix first, and applied it passes", .serialized)
struct StackFixTests {
    static let frontend = "http://localhost:5173"
    static let marker = "cors check's fix goes here"
    static var appDirectory: URL { ExportHarness.repositoryRoot.appendingPathComponent("Tests/StackFix") }

    @Test("Express, cors() mounted per route: Express answers OPTIONS itself; app.options('/me', cors(corsOptions)) fixes it")
    func express() async throws {
        let source = try Self.app("express_per_route.js")
        let arguments = ["--method", "PUT", "-H", "Content-Type: application/json", "--credentials", "include"]
        let before = try await Self.serveApp("express_per_route.js", source, Self.node) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(before.status == 1, "\(before)")
        #expect(before.stack == "express", "\(before)")
        #expect(
            before.firstFix
                == "app.options('/me', cors(corsOptions))  // cors() is mounted per route, so Express answers OPTIONS itself (Allow, no CORS fields)",
            "\(before)")
        #expect(
            before.problem?.hasPrefix(
                "OPTIONS /me was answered 200 OK with 'Allow: GET,HEAD,PUT' and no CORS header at all: the framework's automatic OPTIONS answered the preflight")
                == true, "\(before)")
        let after = try await Self.serveApp("express_per_route.js", try Self.applied(before, to: source), Self.node) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(after.status == 0, "\(after)")
    }

    @Test("Flask-CORS without X-Api-Key in allow_headers: CORS(app, allow_headers=[..., \"X-Api-Key\"]) fixes it")
    func flask() async throws {
        let source = try Self.app("flask_missing_header.py")
        let arguments = ["--method", "PUT", "-H", "X-Api-Key: k", "--credentials", "include"]
        let before = try await Self.serveApp("flask_missing_header.py", source, Self.pythonScript) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(before.status == 1, "\(before)")
        #expect(before.stack == "flask", "\(before)")
        #expect(before.firstFix == #"CORS(app, allow_headers=[..., "X-Api-Key"])"#, "\(before)")
        let after = try await Self.serveApp("flask_missing_header.py", try Self.applied(before, to: source), Self.pythonScript) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(after.status == 0, "\(after)")
    }

    @Test("FastAPI without X-Api-Key in allow_headers: the fix names the header from Starlette's 400 body first")
    func fastapi() async throws {
        let source = try Self.app("fastapi_missing_header.py")
        let arguments = ["--method", "PUT", "-H", "X-Api-Key: k", "--credentials", "include"]
        let before = try await Self.serveApp("fastapi_missing_header.py", source, Self.uvicorn) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(before.status == 1, "\(before)")
        #expect(before.stack == "fastapi", "\(before)")
        #expect(before.firstFix == #"app.add_middleware(CORSMiddleware, allow_headers=[..., "X-Api-Key"])"#, "\(before)")
        #expect(
            before.problem?.hasPrefix(
                "Starlette's CORSMiddleware refused the preflight with 400 'Disallowed CORS headers': the header X-Api-Key is not in allow_headers."
            ) == true, "\(before)")
        let after = try await Self.serveApp("fastapi_missing_header.py", try Self.applied(before, to: source), Self.uvicorn) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(after.status == 0, "\(after)")
    }

    @Test("django-cors-headers at its default CORS_ALLOW_HEADERS: CORS_ALLOW_HEADERS = (*default_headers, \"X-Api-Key\") fixes it")
    func django() async throws {
        let source = try Self.app("django_missing_header.py")
        let arguments = ["--method", "PUT", "-H", "X-Api-Key: k", "--credentials", "include"]
        let before = try await Self.serveApp("django_missing_header.py", source, Self.pythonScript) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(before.status == 1, "\(before)")
        #expect(before.stack == "django", "\(before)")
        #expect(before.firstFix == #"CORS_ALLOW_HEADERS = (*default_headers, "X-Api-Key")"#, "\(before)")
        let after = try await Self.serveApp("django_missing_header.py", try Self.applied(before, to: source), Self.pythonScript) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(after.status == 0, "\(after)")
    }

    @Test("aiohttp-cors set up but the route never added: OPTIONS is a 405; cors.add on every route fixes it")
    func aiohttp() async throws {
        let source = try Self.app("aiohttp_route_not_added.py")
        let arguments = ["--method", "PUT", "-H", "Content-Type: application/json", "--credentials", "include"]
        let before = try await Self.serveApp("aiohttp_route_not_added.py", source, Self.pythonScript) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(before.status == 1, "\(before)")
        #expect(before.stack == "aiohttp", "\(before)")
        #expect(
            before.firstFix == "for route in list(app.router.routes()): cors.add(route)  # every route, or OPTIONS has no handler",
            "\(before)")
        let after = try await Self.serveApp("aiohttp_route_not_added.py", try Self.applied(before, to: source), Self.pythonScript) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", arguments)
        }
        #expect(after.status == 0, "\(after)")
    }

    @Test("nginx add_header without `always` in front of an app that fails: the 500 loses the headers; `always` fixes it")
    func nginxWithoutAlways() async throws {
        let location = """
                    add_header Access-Control-Allow-Origin "http://localhost:5173";
                    add_header Vary Origin;
                    # \(Self.marker)
            """
        try await Self.withUpstream("Tests/StackFix/plain_upstream.py") { upstream in
            let before = try await Self.serveNginx(location: location, upstream: upstream) { port in
                try await Self.check("http://127.0.0.1:\(port)/boom", [])
            }
            #expect(before.status == 1, "\(before)")
            #expect(before.stack == "nginx", "\(before)")
            #expect(
                before.firstFix
                    == #"add_header Access-Control-Allow-Origin "http://localhost:5173" always;  # `always` on every add_header, or 4xx/5xx responses lose them"#,
                "\(before)")
            let after = try await Self.serveNginx(location: try Self.applied(before, to: location), upstream: upstream) { port in
                try await Self.check("http://127.0.0.1:\(port)/boom", [])
            }
            #expect(after.status == 0, "\(after)")
        }
    }

    @Test("nginx and the app both add Access-Control-Allow-Origin: proxy_hide_header fixes it")
    func nginxAndAppBothAddAllowOrigin() async throws {
        let location = """
                    add_header Access-Control-Allow-Origin "http://localhost:5173" always;
                    add_header Vary Origin always;
                    # \(Self.marker)
            """
        // Tests/Export/upstream.py adds CORS fields of its own to every response.
        try await Self.withUpstream("Tests/Export/upstream.py") { upstream in
            let before = try await Self.serveNginx(location: location, upstream: upstream) { port in
                try await Self.check("http://127.0.0.1:\(port)/me", [])
            }
            #expect(before.status == 1, "\(before)")
            #expect(before.stack == "nginx", "\(before)")
            #expect(
                before.firstFix == "proxy_hide_header Access-Control-Allow-Origin;  # keep one layer's CORS fields: the upstream's are dropped",
                "\(before)")
            let after = try await Self.serveNginx(location: try Self.applied(before, to: location), upstream: upstream) { port in
                try await Self.check("http://127.0.0.1:\(port)/me", [])
            }
            #expect(after.status == 0, "\(after)")
        }
    }

    @Test("Caddy with CORS set by reverse_proxy's header_down: Caddy's own 502 loses it; the header directive fixes it")
    func caddyHeaderDown() async throws {
        // Nothing listens on the upstream port: Caddy answers 502 itself.
        let deadPort = try LoopbackPort.free()
        let site = """
                # \(Self.marker)
                reverse_proxy 127.0.0.1:\(deadPort) {
                    header_down Access-Control-Allow-Origin "http://localhost:5173"
                }
            """
        let before = try await Self.serveCaddy(site: site) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", [])
        }
        #expect(before.status == 1, "\(before)")
        #expect(before.stack == "caddy", "\(before)")
        #expect(
            before.firstFix
                == #"header Access-Control-Allow-Origin "http://localhost:5173"  # the site's header directive, not reverse_proxy's header_down: Caddy's own errors (502, 504) keep it"#,
            "\(before)")
        let after = try await Self.serveCaddy(site: try Self.applied(before, to: site)) { port in
            try await Self.check("http://127.0.0.1:\(port)/me", [])
        }
        #expect(after.status == 0, "\(after)")
    }

    // MARK: Running cors check

    /// What `cors check --json` said.
    struct Outcome: CustomStringConvertible {
        var status: Int32
        var stack: String?
        var evidence: [String]
        /// The first fix's line for the detected stack.
        var firstFix: String?
        /// The first fix's problem sentence.
        var problem: String?
        var output: String

        var description: String { "status \(status), stack \(stack ?? "unknown") \(evidence), first fix \(firstFix ?? "none")\n\(output)" }
    }

    static func check(_ url: String, _ arguments: [String]) async throws -> Outcome {
        let run = try await ExportHarness.run(
            ExportHarness.corsExecutable(), ["check", url, "--origin", frontend, "--timeout", "60", "--json"] + arguments)
        guard run.status == 0 || run.status == 1,
            let document = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
        else { throw ExportHarness.Failure(description: "cors check exited \(run.status): \(run.error) \(run.output)") }
        let stack = document["stack"] as? [String: Any]
        let firstFix = (document["fixDetails"] as? [[String: Any]])?.first
        let stackFixes = firstFix?["stackFixes"] as? [[String: Any]] ?? []
        return Outcome(
            status: run.status, stack: stack?["name"] as? String, evidence: stack?["evidence"] as? [String] ?? [],
            firstFix: stackFixes.first { $0["detected"] as? Bool == true }?["fix"] as? String,
            problem: firstFix?["problem"] as? String, output: run.output)
    }

    // MARK: Applying a fix

    /// `source` with the outcome's first fix applied.
    static func applied(_ outcome: Outcome, to source: String) throws -> String {
        let fix = try #require(outcome.firstFix, "no stack fix in \(outcome)")
        return try apply(fix, to: source)
    }

    /// `fix` applied to `source`: arguments written `name=[..., "X"]` are added to the same
    /// argument of the existing call; an `add_header NAME …` replaces the line adding NAME; any
    /// other line goes where the marker is.
    static func apply(_ fix: String, to source: String) throws -> String {
        let addition = try NSRegularExpression(pattern: #"(\w+)=\[\.\.\., (.*?)\]"#)
        let fixRange = NSRange(fix.startIndex..., in: fix)
        let additions = addition.matches(in: fix, range: fixRange)
        if !additions.isEmpty {
            var result = source
            for match in additions {
                let name = String(fix[Range(match.range(at: 1), in: fix)!])
                let items = String(fix[Range(match.range(at: 2), in: fix)!])
                let existing = try NSRegularExpression(pattern: "\(name)=\\[([^\\]]*)\\]")
                guard let found = existing.firstMatch(in: result, range: NSRange(result.startIndex..., in: result)),
                    let range = Range(found.range, in: result), let inner = Range(found.range(at: 1), in: result)
                else { throw ExportHarness.Failure(description: "no \(name)=[…] in the source for '\(fix)'") }
                result.replaceSubrange(range, with: "\(name)=[\(result[inner]), \(items)]")
            }
            return result
        }
        var lines = source.components(separatedBy: "\n")
        let words = fix.split(separator: " ")
        if words.first == "add_header", words.count > 1,
            let index = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("add_header \(words[1]) ") })
        {
            lines[index] = String(lines[index].prefix { $0 == " " }) + fix
            return lines.joined(separator: "\n")
        }
        guard let index = lines.firstIndex(where: { $0.contains(marker) }) else {
            throw ExportHarness.Failure(description: "no marker in the source for '\(fix)'")
        }
        lines[index] = String(lines[index].prefix { $0 == " " }) + fix
        return lines.joined(separator: "\n")
    }

    // MARK: Servers

    static func app(_ name: String) throws -> String {
        try String(contentsOf: appDirectory.appendingPathComponent(name), encoding: .utf8)
    }

    typealias Command = @Sendable (_ directory: URL, _ file: String, _ port: Int) -> (String, [String])

    static let node: Command = { _, file, port in
        ("/usr/bin/env", ["NODE_PATH=/usr/share/nodejs", "node", file, String(port)])
    }
    static let pythonScript: Command = { _, file, port in
        ("/usr/bin/env", ["PYTHONDONTWRITEBYTECODE=1", AppServer.python(), file, String(port)])
    }
    static let uvicorn: Command = { directory, file, port in
        let module = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return (
            "/usr/bin/env",
            [
                "PYTHONDONTWRITEBYTECODE=1", AppServer.python(), "-m", "uvicorn", "\(module):app", "--app-dir", directory.path,
                "--host", "127.0.0.1", "--port", String(port), "--log-level", "critical",
            ]
        )
    }

    /// Saves `source` as `name` in a fresh directory, starts it with `command`, runs `body`.
    static func serveApp<T>(_ name: String, _ source: String, _ command: Command, _ body: (Int) async throws -> T) async throws -> T {
        let directory = try ExportHarness.temporaryDirectory("stackfix")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try source.write(to: file, atomically: true, encoding: .utf8)
        let port = try LoopbackPort.free()
        let (executable, arguments) = command(directory, file.path, port)
        let server = try await ChildServer.start(name, executable: executable, arguments: arguments, port: port, directory: directory)
        return try await running(server) { try await body(port) }
    }

    /// `body`, then `server` stopped, whether `body` threw or not.
    static func running<T>(_ server: ChildServer, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// A Python upstream from the repository on a free port.
    static func withUpstream(_ path: String, _ body: (Int) async throws -> Void) async throws {
        let port = try LoopbackPort.free()
        let server = try await ChildServer.start(
            "upstream", executable: "/usr/bin/env",
            arguments: ["python3", ExportHarness.repositoryRoot.appendingPathComponent(path).path, String(port)],
            port: port, environment: ["PYTHONDONTWRITEBYTECODE": "1"])
        try await running(server) { try await body(port) }
    }

    /// Debian's nginx with one `location /` made of `location` and a `proxy_pass` to `upstream`.
    static func serveNginx<T>(location: String, upstream: Int, _ body: (Int) async throws -> T) async throws -> T {
        let executable = NginxServer.executable
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ExportHarness.Failure(description: "nginx is not installed: apt-get install nginx-light (Scripts/test.sh does)")
        }
        let port = try LoopbackPort.free()
        let directory = try ExportHarness.temporaryDirectory("stackfix-nginx")
        defer { try? FileManager.default.removeItem(at: directory) }
        let version = try await ExportHarness.run(URL(fileURLWithPath: executable), ["-V"])
        let temporary = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .filter { $0 == "client_body" || $0 == "proxy" || version.error.contains("--http-\($0)-temp-path") }
            .map { "    \($0)_temp_path \(directory.path)/temp-\($0);" }
        let user = getuid() == 0 ? "user root root;\n" : ""
        let conf = """
            \(user)worker_processes 1;
            error_log \(directory.path)/error.log warn;
            pid \(directory.path)/nginx.pid;
            events { worker_connections 128; }
            http {
                access_log off;
            \(temporary.joined(separator: "\n"))
                server {
                    listen 127.0.0.1:\(port);
                    location / {
            \(location)
                        proxy_pass http://127.0.0.1:\(upstream);
                    }
                }
            }

            """
        let file = directory.appendingPathComponent("nginx.conf")
        try conf.write(to: file, atomically: true, encoding: .utf8)
        let test = try await ExportHarness.run(URL(fileURLWithPath: executable), ["-t", "-p", directory.path + "/", "-c", file.path])
        guard test.status == 0 else { throw ExportHarness.Failure(description: "nginx -t: \(test.error)\n\(conf)") }
        let server = try await ChildServer.start(
            "nginx", executable: executable, arguments: ["-p", directory.path + "/", "-c", file.path, "-g", "daemon off;"],
            port: port, stopSignal: SIGTERM)
        return try await running(server) { try await body(port) }
    }

    /// Debian's caddy serving one site made of `site` (admin endpoint off).
    static func serveCaddy<T>(site: String, _ body: (Int) async throws -> T) async throws -> T {
        let executable = CaddyServer.executable
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ExportHarness.Failure(description: "caddy is not installed: apt-get install caddy (Scripts/test.sh does)")
        }
        let port = try LoopbackPort.free()
        let directory = try ExportHarness.temporaryDirectory("stackfix-caddy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let caddyfile = """
            {
                admin off
            }
            http://127.0.0.1:\(port) {
            \(site)
            }

            """
        let file = directory.appendingPathComponent("Caddyfile")
        try caddyfile.write(to: file, atomically: true, encoding: .utf8)
        let environment = [
            "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path,
            "XDG_DATA_HOME": directory.appendingPathComponent("data").path, "HOME": directory.path,
        ]
        let server = try await ChildServer.start(
            "caddy", executable: executable, arguments: ["run", "--config", file.path, "--adapter", "caddyfile"], port: port,
            environment: environment)
        return try await running(server) { try await body(port) }
    }
}
