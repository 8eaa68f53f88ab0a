import CORS
import Foundation
import Testing

@testable import CORSCommandLine
import CORSTestSupport

/// `cors proxy` at its edges, as a script sees it: the `--json` start-up document, an invalid
/// policy, bad values, a non-loopback address, and `--report-only` end to end.
@Suite("cors proxy: the command line at its edges", .serialized)
struct ProxyCommandLineTests {
    typealias ProxyProcess = ProxyCommandTests.ProxyProcess

    /// The top-level keys of a pretty-printed JSON object, in document order.
    static func topLevelKeys(_ json: String) -> [String] {
        json.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  \""), !line.hasPrefix("   "), let end = line.dropFirst(3).firstIndex(of: "\"") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 3)..<end])
        }
    }

    static func writePolicy(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-cli-\(UUID()).json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("--json: one JSON document on stdout with exactly these keys, in each mode")
    func jsonDocument() async throws {
        let file = try Self.writePolicy(#"{"allowOrigins": ["https://app.example.com"], "allowCredentials": true}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let modes: [(arguments: [String], mode: String, keys: [String])] = [
            (
                ["--route", "/=http://localhost:5173", "--route", "/api=http://127.0.0.1:8000"], "same-origin",
                ["listen", "mode", "routes", "hostHeader", "productionEquivalent"]
            ),
            (
                ["--policy", file.path, "--upstream", "http://127.0.0.1:8000"], "policy",
                ["listen", "mode", "routes", "hostHeader", "policy", "findings", "keepUpstreamCORS", "reportOnly", "effectivePolicy", "productionEquivalent"]
            ),
            (
                ["--policy", file.path, "--upstream", "http://127.0.0.1:8000", "--report-only"], "report-only",
                ["listen", "mode", "routes", "hostHeader", "policy", "findings", "keepUpstreamCORS", "reportOnly", "effectivePolicy", "productionEquivalent"]
            ),
        ]
        for (arguments, mode, keys) in modes {
            let proxy = try await ProxyProcess(arguments + ["--json"])
            // The document is written whole once the proxy listens.
            for _ in 0..<100 where (try? JSONSerialization.jsonObject(with: Data(proxy.standardOutput.utf8))) == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
            proxy.stop()
            let text = proxy.standardOutput
            let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
            #expect(Self.topLevelKeys(text) == keys, "\(mode)")
            #expect(Set(document.keys) == Set(keys))
            #expect(document["mode"] as? String == mode)
            #expect(document["listen"] as? String == "http://127.0.0.1:\(proxy.port)")
            #expect(document["hostHeader"] as? String == "passthrough")
            let routes = try #require(document["routes"] as? [[String: Any]])
            #expect(routes.map { Set($0.keys) } == Array(repeating: ["prefix", "upstream", "stripPrefix"], count: routes.count))
            let production = try #require(document["productionEquivalent"] as? [String: String])
            #expect(Set(production.keys) == (mode == "same-origin" ? ["nginx"] : ["nginx", "caddy"]))
            if mode != "same-origin" {
                #expect(document["reportOnly"] as? Bool == (mode == "report-only"))
                #expect(document["keepUpstreamCORS"] as? Bool == false)
                #expect(document["policy"] as? String == "\(file.path) (profile production)")
                #expect(document["findings"] as? [String] == [])
            }
            #expect(proxy.standardError.isEmpty, "\(proxy.standardError)")
        }
    }

    @Test("An invalid policy: every problem on stderr, nothing served, exit 1 as cors demo and cors lint")
    func invalidPolicy() async throws {
        let file = try Self.writePolicy(
            #"{"allowOrigins": ["*", "http://localhost:5173/"], "allowCredentials": true, "allowMethods": ["GET", "FOO BAR"], "maxAge": -1}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await CORSExecutable.run(["proxy", "--policy", file.path, "--upstream", "http://127.0.0.1:8000", "--listen", "127.0.0.1:0"])
        #expect(run.status == 1, "\(run)")
        #expect(run.standardOutput.isEmpty)
        let lines = run.errorLines
        #expect(lines.first == "cors proxy: \(file.path) (profile production) is invalid; nothing is served:")
        #expect(
            lines.dropFirst().map { String($0.prefix { $0 != ":" }) } == [
                "  error[wildcard-with-credentials] allowOrigins[0]", "  warning[wildcard-mixed-with-origins] allowOrigins[0]",
                "  error[origin-trailing-slash] allowOrigins[1]", "  error[invalid-method] allowMethods[1]",
                "  error[max-age-out-of-range] maxAge",
            ])
        #expect(lines.contains("  error[invalid-method] allowMethods[1]: \"FOO BAR\" is not a valid HTTP method name (an RFC 9110 token). Fix: write the method name alone, e.g. \"PATCH\"; one method per entry."))

        let missing = try await CORSExecutable.run(["proxy", "--policy", "/nonexistent/policy.json", "--upstream", "http://127.0.0.1:8000"])
        #expect(missing.status == 2)
        #expect(missing.errorLines == ["cors: cannot read policy file /nonexistent/policy.json: no such file"])
    }

    @Test("Bad --route, --upstream and --listen values: one line on stderr naming the value, exit 2")
    func badValues() async throws {
        let upstreamMessage = { (value: String) in
            "cors: an upstream must be an http:// or https:// URL without query, such as http://127.0.0.1:8000, not '\(value)'"
        }
        let cases: [(arguments: [String], line: String)] = [
            (["--route", "/api"], "cors: --route must be PREFIX=URL, such as /api=http://127.0.0.1:8000, not '/api'"),
            (["--route", "api=http://127.0.0.1:8000"], "cors: a route's prefix must be a path starting with '/', not 'api'"),
            (["--route", "/api=ftp://127.0.0.1"], upstreamMessage("ftp://127.0.0.1")),
            (["--upstream", "127.0.0.1:8000"], upstreamMessage("127.0.0.1:8000")),
            (["--upstream", "http://"], upstreamMessage("http://")),
            (["--upstream", "http://127.0.0.1:8000", "--listen", "127.0.0.1"], "cors: --listen must be HOST:PORT, such as 127.0.0.1:3000, not '127.0.0.1'"),
            (["--upstream", "http://127.0.0.1:8000", "--listen", "127.0.0.1:99999"], "cors: --listen must be HOST:PORT, such as 127.0.0.1:3000, not '127.0.0.1:99999'"),
            (["--upstream", "http://127.0.0.1:8000", "--listen", ":3000"], "cors: --listen must be HOST:PORT, such as 127.0.0.1:3000, not ':3000'"),
        ]
        for (arguments, line) in cases {
            let run = try await CORSExecutable.run(["proxy"] + arguments)
            #expect(run.status == 2, "\(arguments): \(run)")
            #expect(run.errorLines == [line], "\(arguments)")
            #expect(run.standardOutput.isEmpty)
        }
        // Flag combinations ArgumentParser refuses: its "Error:" line names the problem.
        let combinations: [(arguments: [String], line: String)] = [
            (["--upstream", "http://127.0.0.1:8000", "--report-only"], "Error: --report-only decides with a policy without enforcing it; give --policy FILE."),
            (
                ["--upstream", "http://127.0.0.1:8000", "--policy", "p.json", "--report-only", "--keep-upstream-cors"],
                "Error: --report-only already keeps the upstream's CORS headers and reports every difference; drop --keep-upstream-cors."
            ),
            (
                ["--upstream", "http://127.0.0.1:8000", "--policy", "p.json", "--report-only", "--report-only-origin-cap", "20000"],
                "Error: --report-only-origin-cap must be from 0 to 10000, not 20000."
            ),
        ]
        for (arguments, line) in combinations {
            let run = try await CORSExecutable.run(["proxy"] + arguments)
            #expect(run.status == 2, "\(arguments): \(run)")
            #expect(run.errorLines.first == line, "\(arguments): \(run)")
        }
    }

    @Test("A non-loopback --listen: the warning line, then served; an address it cannot bind: one line, exit 2")
    func nonLoopbackListen() async throws {
        let port = try LoopbackPort.free()
        let open = try await ProxyProcess(["--upstream", "http://127.0.0.1:8000", "--listen", "0.0.0.0:\(port)"])
        open.stop()
        #expect(
            open.standardError.split(separator: "\n").map(String.init) == [
                "cors proxy: warning: listening on 0.0.0.0:\(port), not on loopback: every machine that can reach this address can use the routes below."
            ])
        #expect(open.standardOutput.hasPrefix("cors proxy on http://0.0.0.0:\(port): same-origin mode"))

        // 192.0.2.1 (TEST-NET-1) is no address of this machine.
        let unbound = try await CORSExecutable.run(["proxy", "--upstream", "http://127.0.0.1:8000", "--listen", "192.0.2.1:\(port)"])
        #expect(unbound.status == 2)
        #expect(unbound.errorLines.count == 2, "\(unbound)")
        #expect(unbound.errorLines.first?.hasPrefix("cors proxy: warning: listening on 192.0.2.1:\(port), not on loopback") == true)
        #expect(unbound.errorLines.last?.hasPrefix("cors: cannot serve on 192.0.2.1:\(port): ") == true, "\(unbound)")
    }

    @Test("--report-only end to end: the start-up report says so, answers pass unchanged, each difference is one log line on stderr")
    func reportOnlyBinary() async throws {
        let demo = try await LocalServer.start("demo API") { onRunning in
            HummingbirdDemoServer.application(
                policy: .tutorial, host: "127.0.0.1", port: 0, logger: LocalServer.quietLogger, onRunning: onRunning)
        }
        defer { Task { await demo.stop() } }
        let file = try Self.writePolicy(#"{"allowOrigins": ["https://app.example.com"], "allowMethods": ["GET"]}"#)
        defer { try? FileManager.default.removeItem(at: file) }
        let proxy = try await ProxyProcess(["--policy", file.path, "--upstream", demo.baseURL, "--report-only"])
        defer { proxy.stop() }

        let through = try await proxyExchange(proxy.url("/me"), headers: [("Origin", "http://localhost:5173")])
        let direct = try await proxyExchange(demo.baseURL + "/me", headers: [("Origin", "http://localhost:5173")])
        #expect(ProxyReportOnlyTests.comparable(through) == ProxyReportOnlyTests.comparable(direct))
        #expect(through.value("Access-Control-Allow-Origin") == "http://localhost:5173", "the upstream's grant, untouched")
        let preflight = try await proxyExchange(
            proxy.url("/me"), method: "OPTIONS",
            headers: [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "PUT")])
        #expect(preflight.status == 204)
        #expect(preflight.value("Access-Control-Allow-Methods") == "GET, POST, PUT, DELETE", "the upstream's preflight answer")
        _ = try await proxyExchange(proxy.url("/me"), headers: [("Origin", "https://evil.example")])
        proxy.stop()

        let lines = proxy.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(lines.prefix(7)) == [
                "cors proxy on http://127.0.0.1:\(proxy.port): report-only mode, the upstream's answers pass unchanged and the policy only reports",
                "Routes:",
                "  /  → \(demo.baseURL)",
                "Policy \(file.path) (profile production): valid, no warnings",
                "  allowOrigins:        https://app.example.com",
                "  allowMethods:        GET",
                "Report-only: in force. Every request, preflights included, reaches the upstream and its answer comes back unchanged, CORS headers included.",
            ])
        #expect(
            lines.contains(
                "Each request the policy would answer differently is logged on stderr and counted in cors_report_only_differences_total{difference,origin}: would-deny, would-allow, would-change-header (origins beyond the first 100 counted as other)."
            ))
        // swift-log's stream handler: a timestamp, then level, label, sorted metadata, source, message.
        let logLines = proxy.standardError.split(separator: "\n").map { $0.drop { $0 != " " }.dropFirst() }.map(String.init)
        #expect(
            logLines == [
                "info cors.proxy.report-only: cors.origin=http://localhost:5173 cors.report_only=would-deny http.method=GET http.path=/me [CORSObservability] CORS report-only: the policy would deny what the current answer allows (GET /me from http://localhost:5173)",
                "info cors.proxy.report-only: cors.origin=https://app.example.com cors.report_only=would-deny http.method=OPTIONS http.path=/me [CORSObservability] CORS report-only: the policy would deny what the current answer allows (OPTIONS /me from https://app.example.com)",
            ], "\(proxy.standardError)")
    }
}
