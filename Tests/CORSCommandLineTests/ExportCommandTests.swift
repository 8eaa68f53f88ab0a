import Foundation
import Testing

import CORSTestSupport

/// `cors export` as a command: bad usage and invalid policies (exit 2, one line that names the
/// problem, then every problem `cors lint` finds), the `--json` document, and the exact
/// `cors export: warning: …` lines for what a stack cannot express.
@Suite("cors export: errors, --json and the warnings on stderr")
struct ExportCommandTests {
    static let tutorial =
        #"{"allowOrigins": ["https://app.example.com", "http://localhost:5173"], "allowCredentials": true, "allowMethods": ["GET", "POST", "PUT", "DELETE"], "allowHeaders": ["Authorization", "Content-Type"], "exposeHeaders": ["X-Request-Id"], "maxAge": 600}"#
    static let patterns =
        #"{"allowOriginPatterns": ["https://*.example.com", "http://localhost:*"], "allowMethods": ["PATCH"], "allowHeaders": ["X-Api-Key"], "maxAge": 600, "allowPrivateNetwork": true, "preflightStatus": 200}"#
    static let invalid =
        #"{"allowOrigins": ["*", "https://app.example.com/"], "allowCredentials": true, "allowMethods": ["GET"], "maxAge": -5}"#
    static let stacks =
        "nginx, caddy, apache, express, flask, django, fastapi, aiohttp, spring, aspnetcore, rails, go-rs-cors, go-jub0bs-cors, hummingbird, vapor, swift-cors"

    /// `body` with `json` saved as `policy.json` in a fresh directory.
    static func withPolicy(_ json: String, _ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-export-command-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("policy.json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        try await body(file.path)
    }

    @Test("An unknown stack: one line naming it and every stack, exit 2, nothing on stdout")
    func unknownStack() async throws {
        try await Self.withPolicy(Self.tutorial) { file in
            let run = try await CORSExecutable.run(["export", file, "--to", "iis"])
            #expect(run.status == 2)
            #expect(run.errorLines == ["cors: unknown stack 'iis' for --to; one of \(Self.stacks)"], "\(run)")
            #expect(run.standardOutput.isEmpty)
        }
    }

    @Test(
        "nginx: the upstream as a keep-alive pool, its scheme's default port explicit and its path kept",
        arguments: [
            ("http://127.0.0.1:8000", "server 127.0.0.1:8000;", "proxy_pass http://cors_upstream;"),
            ("https://api.internal/base", "server api.internal:443;", "proxy_pass https://cors_upstream/base;"),
            ("http://[::1]:9000", "server [::1]:9000;", "proxy_pass http://cors_upstream;"),
            ("http://backend", "server backend:80;", "proxy_pass http://cors_upstream;"),
        ])
    func nginxUpstreamPool(upstream: String, server: String, proxyPass: String) async throws {
        try await Self.withPolicy(Self.tutorial) { file in
            let run = try await CORSExecutable.run(["export", file, "--to", "nginx", "--upstream", upstream])
            #expect(run.status == 0, "\(run)")
            let lines = run.standardOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.contains(server), "\(run.standardOutput)")
            #expect(lines.contains("keepalive 32;"))
            #expect(lines.contains(proxyPass))
        }
    }

    @Test("A malformed --listen or --upstream: one line, exit 2")
    func badEndpoints() async throws {
        try await Self.withPolicy(Self.tutorial) { file in
            let listen = try await CORSExecutable.run(["export", file, "--to", "nginx", "--listen", "8080"])
            #expect(listen.status == 2)
            #expect(listen.errorLines == ["cors: --listen must be HOST:PORT, such as 127.0.0.1:8080, not '8080'"], "\(listen)")
            let upstream = try await CORSExecutable.run(["export", file, "--to", "nginx", "--upstream", "127.0.0.1:8000"])
            #expect(upstream.status == 2)
            #expect(upstream.errorLines == ["cors: --upstream must be an http:// or https:// URL, not '127.0.0.1:8000'"], "\(upstream)")
        }
    }

    @Test("An unreadable file: one line, exit 2, as `cors lint`")
    func unreadableFile() async throws {
        let missing = "/nonexistent/cors-policy.json"
        let export = try await CORSExecutable.run(["export", missing, "--to", "nginx"])
        let lint = try await CORSExecutable.run(["lint", missing])
        #expect(export.status == 2)
        #expect(lint.status == 2)
        #expect(export.errorLines.count == 1, "\(export)")
        #expect(export.errorLines == lint.errorLines, "\(export)\n\(lint)")
    }

    @Test("An invalid policy: exit 2, nothing exported, and every problem `cors lint` finds, one line each")
    func invalidPolicy() async throws {
        try await Self.withPolicy(Self.invalid) { file in
            let run = try await CORSExecutable.run(["export", file, "--to", "nginx"])
            #expect(run.status == 2)
            #expect(run.standardOutput.isEmpty)
            let lines = run.errorLines
            #expect(lines.first == "cors: \(file) (profile production) is not a valid policy; nothing exported:", "\(run)")
            // cors lint judges the same file: exit 1 (lint errors), and the same problems.
            let lint = try await CORSExecutable.run(["lint", file, "--json"])
            #expect(lint.status == 1)
            let document = try checkParseJSON(lint.standardOutput)
            let findings = try #require(document["findings"] as? [[String: Any]])
            let expected = findings.map { "\($0["severity"] as? String ?? "")[\($0["code"] as? String ?? "")] \($0["path"] as? String ?? ""): " }
            #expect(expected.count == 4)
            #expect(lines.count == 1 + expected.count, "\(run)")
            for (line, prefix) in zip(lines.dropFirst(), expected) {
                #expect(line.hasPrefix(prefix), "\(line) should start with \(prefix)")
            }
            #expect(
                lines.dropFirst().map { $0.prefix { $0 != "]" } + "]" }
                    == ["error[wildcard-with-credentials]", "warning[wildcard-mixed-with-origins]", "error[origin-trailing-slash]", "error[max-age-out-of-range]"])
        }
    }

    @Test("--json: exactly {config, stack, verified, warnings}; config is the plain output, verified the proving test or null")
    func jsonDocument() async throws {
        try await Self.withPolicy(Self.patterns) { file in
            for (stack, verified) in [
                ("nginx", "verified with nginx/1.22.1 (Debian nginx-light) by ExportConformanceTests/nginx"),
                ("apache", "verified with Apache/2.4 (Debian apache2) by ExportConformanceTests/apache"),
                ("django", "verified with Django (PyPI, runserver) by ExportConformanceTests/django"),
                ("aiohttp", "verified with aiohttp (PyPI) by ExportConformanceTests/aiohttp"),
                ("aspnetcore", nil),
            ] {
                let run = try await CORSExecutable.run(["export", file, "--to", stack, "--json"])
                #expect(run.status == 0, "\(run)")
                #expect(run.standardError.isEmpty, "--json puts the warnings in the document: \(run)")
                let document = try checkParseJSON(run.standardOutput)
                #expect(document.keys.sorted() == ["config", "stack", "verified", "warnings"])
                #expect(document["stack"] as? String == stack)
                if let verified {
                    #expect(document["verified"] as? String == verified)
                } else {
                    #expect(document["verified"] is NSNull)
                }
                let plain = try await CORSExecutable.run(["export", file, "--to", stack])
                #expect(document["config"] as? String == plain.standardOutput)
                let warnings = try #require(document["warnings"] as? [String])
                #expect(warnings.map { "cors export: warning: \($0)" } == plain.errorLines)
                // The header names the proof, or says that there is none.
                let header = plain.standardOutput.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
                #expect(header.hasSuffix(verified.map { "\($0)." } ?? "no test runs this export on the real ASP.NET Core (AddCors)."), "\(header)")
            }
        }
    }

    @Test(
        "What a stack cannot express, on stderr, exactly: Private Network Access, the ok-status rule, a fixed preflight status",
        arguments: [
            (
                "aspnetcore",
                [
                    "ASP.NET Core answers a refused preflight with 204 and no Access-Control-Allow-Origin, not an ok status with the real lists",
                    "ASP.NET Core has no Private Network Access support",
                ]
            ),
            (
                "go-jub0bs-cors",
                [
                    "jub0bs/cors answers a refused preflight with 403 and no CORS fields, not an ok status with the real lists",
                    "jub0bs/cors dropped Private Network Access (v0.7.0)",
                    "jub0bs/cors always answers preflights with 204",
                ]
            ),
            (
                "rails",
                [
                    "rack-cors answers a refused preflight with no CORS fields, not an ok status with the real lists",
                    "rack-cors 1.1 has no Private Network Access option: the export leaves Access-Control-Allow-Private-Network out",
                ]
            ),
            ("go-rs-cors", ["rs/cors answers a refused preflight with 204 and only Vary, not an ok status with the real lists"]),
            ("apache", []),
            ("django", []),
            ("aiohttp", []),
        ])
    func warnings(_ stack: String, _ expected: [String]) async throws {
        try await Self.withPolicy(Self.patterns) { file in
            let run = try await CORSExecutable.run(["export", file, "--to", stack])
            #expect(run.status == 0, "\(run)")
            #expect(run.errorLines == expected.map { "cors export: warning: \($0)" }, "\(run)")
            #expect(!run.standardOutput.isEmpty)
        }
    }
}
