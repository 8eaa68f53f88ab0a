import AsyncHTTPClient
import CORSBrowserModel
import Foundation
import Testing

@testable import CORSCommandLine
import CORSTestSupport

/// `cors check` and `cors scan` against real FastAPI applications (Starlette's CORSMiddleware,
/// served by uvicorn on 127.0.0.1): the backend most of our users come from. The apps are in
/// `Tests/FastAPI/`; every verdict, reason, finding and FastAPI fix below is what their users
/// would see.
///
/// Needs Python with fastapi and uvicorn: `Scripts/test.sh` installs them into
/// `.build/fastapi-venv` (or `CORS_TEST_PYTHON` names an interpreter that has them). Without
/// them these tests fail, they never skip.
@Suite("cors check and cors scan against real FastAPI apps", .serialized)
struct FastAPITests {
    static let frontend = "http://localhost:5173"

    @Test("The frontend's GET with credentials is allowed, and X-Request-Id is readable")
    func allowedGet() async throws {
        try await FastAPIServer.with { server in
            let result = try await runCheck([server.url("/me"), "--origin", Self.frontend, "--credentials", "include"])
            #expect(result.exitCode == 0, "\(result.output)")
            let report = try #require(result.report)
            #expect(report.failure == nil)
            #expect(report.steps.count == 1)
            let readable = try #require(report.readable)
            #expect(readable.readableHeaderNames.contains("x-request-id"), "\(readable.readableHeaderNames)")
            #expect(report.fixes.isEmpty)
        }
    }

    @Test("A header Starlette does not allow: its 400 'Disallowed CORS headers' names the header first, and the fix is allow_headers")
    func disallowedHeader() async throws {
        try await FastAPIServer.with { server in
            let result = try await runCheck([
                server.url("/me"), "--origin", Self.frontend, "--method", "PUT", "-H", "X-Api-Key: k", "--credentials", "include",
            ])
            #expect(result.exitCode == 1)
            let report = try #require(result.report)
            #expect(report.failure == CORSFailure(.preflightInvalidStatus, offendingValue: "400"))
            #expect(
                report.consoleMessage
                    == "Access to fetch at '\(server.url("/me"))' from origin 'http://localhost:5173' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status."
            )
            let fix = try #require(report.fixes.first)
            #expect(
                fix.problem.hasPrefix(
                    "Starlette's CORSMiddleware refused the preflight with 400 'Disallowed CORS headers': the header X-Api-Key is not in allow_headers."
                ), "\(fix.problem)")
            #expect(report.stack.stack == .fastapi)
            #expect(fix.stackFixes.first?.fix == #"app.add_middleware(CORSMiddleware, allow_headers=[..., "X-Api-Key"])"#)
            #expect(fix.fastAPI == #"CORSMiddleware(..., allow_headers=["Authorization", "X-Api-Key"])"#)
        }
    }

    @Test("A method and an origin Starlette refuses in one preflight: the missing Allow-Origin comes first, as in Chrome; both settings are named")
    func disallowedOriginAndMethod() async throws {
        try await FastAPIServer.with { server in
            let result = try await runCheck([server.url("/me"), "--origin", "https://evil.example", "--method", "PATCH"])
            #expect(result.exitCode == 1)
            let report = try #require(result.report)
            // Starlette's 400 for an untrusted origin has no Access-Control-Allow-Origin; Chrome
            // checks that before the status.
            #expect(report.failure == CORSFailure(.preflightMissingAllowOriginHeader))
            #expect(
                report.consoleMessage
                    == "Access to fetch at '\(server.url("/me"))' from origin 'https://evil.example' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource."
            )
            #expect(
                report.fixes.first?.problem.hasPrefix(
                    "Starlette's CORSMiddleware refused the preflight with 400 'Disallowed CORS origin, method': the origin 'https://evil.example' is not in allow_origins and the method PATCH is not in allow_methods."
                ) == true, "\(report.fixes.first?.problem ?? "")")
            #expect(
                report.fixes.first?.fastAPI
                    == #"CORSMiddleware(..., allow_origins=[..., "https://evil.example"], allow_methods=["GET", "POST", "PUT", "DELETE", "PATCH"])"#
            )
        }
    }

    @Test("An origin it does not trust: no Access-Control-Allow-Origin, the fix names allow_origins")
    func untrustedOrigin() async throws {
        try await FastAPIServer.with { server in
            let result = try await runCheck([server.url("/me"), "--origin", "https://evil.example"])
            #expect(result.exitCode == 1)
            let report = try #require(result.report)
            #expect(report.failure == CORSFailure(.missingAllowOriginHeader))
            #expect(
                report.fixes.first?.fastAPI == #"app.add_middleware(CORSMiddleware, allow_origins=[..., "https://evil.example"])"#)
        }
    }

    @Test("An unhandled exception: the 500 has no CORS headers, named as a server error hidden by CORS")
    func hiddenServerError() async throws {
        try await FastAPIServer.with { server in
            let result = try await runCheck([server.url("/boom"), "--origin", Self.frontend])
            #expect(result.exitCode == 1)
            let report = try #require(result.report)
            #expect(report.failure == CORSFailure(.missingAllowOriginHeader))
            #expect(report.steps.last?.response.status.code == 500)
            #expect(report.pitfalls == [.errorWithoutCORSHeaders])
            #expect(report.fixes.first?.fastAPI?.hasPrefix("Starlette's ServerErrorMiddleware sits outside") == true)
        }
    }

    @Test("A redirect: followed like the browser, both hops CORS-checked, and named")
    func redirect() async throws {
        try await FastAPIServer.with { server in
            let result = try await runCheck([server.url("/old-me"), "--origin", Self.frontend, "--json"])
            #expect(result.exitCode == 0, "\(result.output)")
            let report = try #require(result.report)
            #expect(report.steps.count == 2)
            #expect(report.steps.map { $0.response.status.code } == [307, 200])
            #expect(report.pitfalls == [.redirect])
        }
    }

    @Test("cors scan, the tutorial app: no finding; Starlette's 400 for an unknown header is a note, not a finding")
    func scanTutorialApp() async throws {
        try await FastAPIServer.with { server in
            let run = try await CORSExecutable.run(["scan", server.url("/me"), "--trusted-origin", Self.frontend, "--json"])
            #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
            #expect(run.standardError.isEmpty)
            let document = try checkParseJSON(run.standardOutput)
            let target = try #require((document["targets"] as? [[String: Any]])?.first)
            #expect((target["findings"] as? [Any])?.isEmpty == true, "\(target)")
            let notes = try #require(target["notes"] as? [String])
            #expect(notes.count == 1 && notes[0].contains("Starlette's CORSMiddleware answers 400"), "\(notes)")
        }
    }

    @Test("cors scan, an allow_origin_regex without the dot: one high suffix-match with every look-alike it lets through as evidence, exit 1")
    func scanRegexApp() async throws {
        try await FastAPIServer.with(app: "regex_app") { server in
            let run = try await CORSExecutable.run([
                "scan", server.url("/me"), "--trusted-origin", "https://app.example.com", "--json",
            ])
            #expect(run.status == 1, "\(run.standardOutput)\(run.standardError)")
            let document = try checkParseJSON(run.standardOutput)
            let target = try #require((document["targets"] as? [[String: Any]])?.first)
            let findings = try #require(target["findings"] as? [[String: Any]])
            let found = Dictionary(
                findings.map { ($0["code"] as? String ?? "", $0["severity"] as? String ?? "") }, uniquingKeysWith: { first, _ in first })
            // One root cause: the regex's `.*` before the domain. The `…x…` spellings and the
            // subdomains it also lets through are its evidence, not findings of their own.
            #expect(found == ["suffix-match": "high"], "\(found)")
            let suffix = try #require(findings.first { $0["code"] as? String == "suffix-match" })
            #expect(suffix["probeOrigin"] as? String == "https://evilexample.com")
            #expect(Set((suffix["alsoShownBy"] as? [String]) ?? []) == ["unescaped-dot", "any-subdomain"], "\(suffix["alsoShownBy"] ?? "")")
        }
    }
}

/// uvicorn serving an app of `Tests/FastAPI/` on a free 127.0.0.1 port, until ``stop()``.
struct FastAPIServer: Sendable {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    private let process: Process
    private let log: URL

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Runs `body` with `app` (a module in Tests/FastAPI) started, and stops it afterwards.
    static func with(app: String = "tutorial_app", _ body: (FastAPIServer) async throws -> Void) async throws {
        let server = try await start(app: app)
        do {
            try await body(server)
        } catch {
            server.stop()
            throw error
        }
        server.stop()
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `CORS_TEST_PYTHON`, else the virtual environment Scripts/test.sh makes, else `python3`.
    static func python() -> (executable: URL, arguments: [String]) {
        if let named = ProcessInfo.processInfo.environment["CORS_TEST_PYTHON"], !named.isEmpty {
            return (URL(fileURLWithPath: named), [])
        }
        let venv = repositoryRoot.appendingPathComponent(".build/fastapi-venv/bin/python")
        if FileManager.default.isExecutableFile(atPath: venv.path) { return (venv, []) }
        return (URL(fileURLWithPath: "/usr/bin/env"), ["python3"])
    }

    static func start(app: String) async throws -> FastAPIServer {
        var lastFailure = "it never listened"
        for _ in 0..<3 {
            let port = try DemoReloadTests.freePort()
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("cors-fastapi-\(UUID().uuidString).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let output = try FileHandle(forWritingTo: log)
            let (executable, prefix) = python()
            let process = Process()
            process.executableURL = executable
            process.arguments =
                prefix + [
                    "-m", "uvicorn", "\(app):app", "--app-dir", repositoryRoot.appendingPathComponent("Tests/FastAPI").path,
                    "--host", "127.0.0.1", "--port", String(port), "--log-level", "warning",
                ]
            process.standardOutput = output
            process.standardError = output
            // No __pycache__ in the source tree.
            process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONDONTWRITEBYTECODE": "1"]) { $1 }
            try process.run()
            try? output.close()
            let server = FastAPIServer(port: port, process: process, log: log)
            for _ in 0..<300 {
                if await server.answers() { return server }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            lastFailure = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            server.stop()
            if lastFailure.contains("No module named") {
                throw Unavailable(
                    description:
                        "FastAPI and uvicorn are not installed for \(executable.path) \(prefix.joined(separator: " ")): run Scripts/test.sh, which installs them into .build/fastapi-venv (\(lastFailure.split(separator: "\n").last ?? ""))"
                )
            }
        }
        throw Unavailable(description: "uvicorn did not start: \(lastFailure)")
    }

    private func answers() async -> Bool {
        (try? await HTTPClient.shared.execute(HTTPClientRequest(url: url("/me")), timeout: .seconds(2))) != nil
    }

    /// SIGKILL: uvicorn holds no state worth a graceful shutdown, and a process started from a
    /// test thread may inherit a signal mask that blocks SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: log)
    }
}
