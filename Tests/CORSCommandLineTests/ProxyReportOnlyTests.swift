import CORS
import CORSObservability
import Foundation
import Logging
import MetricsTestKit
import Testing

@testable import CORSCommandLine
import CORSTestSupport

/// `cors proxy --report-only`: the upstream (the demo API with the tutorial's policy, the CORS
/// layer in place) answers everything, preflights included, and its answers pass unchanged; a
/// stricter policy decides on the side, and every difference is logged and counted by the
/// adapters' recorder.
@Suite("cors proxy: report-only mode")
struct ProxyReportOnlyTests {
    /// The policy being tried: one origin, no credentials, GET only.
    static let trialPolicy = try! CORSPolicy(allowOrigins: ["https://app.example.com"], allowMethods: ["GET"])

    static let requests: [(method: String, path: String, headers: [(String, String)])] = [
        ("GET", "/me", [("Origin", "http://localhost:5173")]),
        ("GET", "/me", [("Origin", "https://app.example.com")]),
        ("OPTIONS", "/me", [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "content-type")]),
        ("OPTIONS", "/me", [("Origin", "http://localhost:5173"), ("Access-Control-Request-Method", "GET")]),
        ("GET", "/me", [("Origin", "https://evil.example")]),
        ("OPTIONS", "/me", [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET")]),
        ("GET", "/me", []),
        ("GET", "/boom", [("Origin", "http://localhost:5173")]),
        ("PUT", "/me?x=1", [("Origin", "https://app.example.com"), ("Content-Type", "application/json")]),
    ]

    /// An exchange with the values that change from one answer to the next (`Date`, the demo's
    /// random `X-Request-Id`) masked; everything else, order included, is compared.
    static func comparable(_ exchange: ProxyExchange) -> String {
        let fields = exchange.headers.map { name, value in
            ["date", "x-request-id"].contains(name.lowercased()) ? "\(name): *" : "\(name): \(value)"
        }
        return "\(exchange.status)\n\(fields.joined(separator: "\n"))\n\n\(exchange.body)"
    }

    @Test("The upstream's answers pass unchanged, preflights included; differences logged and counted as the adapters do")
    func upstreamAnswersUnchanged() async throws {
        let demo = try await LocalServer.start("demo API") { onRunning in
            HummingbirdDemoServer.application(
                policy: .tutorial, host: "127.0.0.1", port: 0, logger: LocalServer.quietLogger, onRunning: onRunning)
        }
        let metrics = TestMetrics()
        let logs = LogCapture()
        let reportOnly = ProxyReportOnly(
            recorder: CORSReportOnlyRecorder(originCardinalityCap: 2, metricsFactory: metrics), logger: logs.logger(level: .info))
        let proxy = try await RunningProxy.start(["--upstream", demo.baseURL], policy: Self.trialPolicy, reportOnly: reportOnly)
        defer { Task { await proxy.stop(); await demo.stop() } }

        for request in Self.requests {
            let direct = try await proxyExchange(demo.baseURL + request.path, method: request.method, headers: request.headers)
            let proxied = try await proxyExchange(proxy.url(request.path), method: request.method, headers: request.headers)
            #expect(Self.comparable(proxied) == Self.comparable(direct), "\(request.method) \(request.path) \(request.headers)")
        }

        #expect(
            logs.entries.map(\.message) == [
                "CORS report-only: the policy would deny what the current answer allows (GET /me from http://localhost:5173)",
                "CORS report-only: the policy would change access-control-allow-credentials, access-control-expose-headers (GET /me from https://app.example.com)",
                "CORS report-only: the policy would deny what the current answer allows (OPTIONS /me from https://app.example.com)",
                "CORS report-only: the policy would deny what the current answer allows (OPTIONS /me from http://localhost:5173)",
                "CORS report-only: the policy would deny what the current answer allows (GET /boom from http://localhost:5173)",
                // The policy allows only GET, but its verdict on a PUT is given by the preflight:
                // on the actual request only the fields differ.
                "CORS report-only: the policy would change access-control-allow-credentials, access-control-expose-headers (PUT /me from https://app.example.com)",
            ])
        #expect(logs.entries.allSatisfy { $0.level == .info })
        #expect(
            logs.entries.first?.metadata == [
                "cors.report_only": "would-deny", "cors.origin": "http://localhost:5173", "http.method": "GET", "http.path": "/me",
            ])
        #expect(
            logs.entries.dropFirst().first?.metadata == [
                "cors.report_only": "would-change-header", "cors.origin": "https://app.example.com", "http.method": "GET",
                "http.path": "/me", "cors.fields": "access-control-allow-credentials,access-control-expose-headers",
            ])

        func count(_ difference: String, _ origin: String) -> Int64 {
            metrics.counterTotal(
                label: "cors_report_only_differences_total", dimensions: [("difference", difference), ("origin", origin)])
        }
        #expect(count("would-deny", "http://localhost:5173") == 3)
        #expect(count("would-deny", "https://app.example.com") == 1)
        #expect(count("would-change-header", "https://app.example.com") == 2)
        #expect(count("would-allow", "https://evil.example") == 0)
        #expect(count("would-deny", "other") == 0)
    }

    @Test("Beyond the origin cap, origins are counted as other; the proxy's own 502 carries no CORS field and is not recorded")
    func capAndGatewayFailure() async throws {
        let upstream = try await LocalServer.start(router: ProxyTestUpstream.router())
        let metrics = TestMetrics()
        let logs = LogCapture()
        let reportOnly = ProxyReportOnly(
            recorder: CORSReportOnlyRecorder(originCardinalityCap: 1, metricsFactory: metrics), logger: logs.logger(level: .info))
        let proxy = try await RunningProxy.start(["--upstream", upstream.baseURL], policy: Self.trialPolicy, reportOnly: reportOnly)
        // /own-cors answers Access-Control-Allow-Origin: * to everyone: the trial policy denies
        // both origins, the second of which is over the cap.
        for origin in ["https://one.example", "https://two.example", "https://two.example"] {
            let exchange = try await proxyExchange(proxy.url("/own-cors"), headers: [("Origin", origin)])
            #expect(exchange.value("Access-Control-Allow-Origin") == "*")
            #expect(exchange.value("Vary") == "Accept-Encoding")
        }
        await proxy.stop()
        await upstream.stop()
        func count(_ difference: String, _ origin: String) -> Int64 {
            metrics.counterTotal(
                label: "cors_report_only_differences_total", dimensions: [("difference", difference), ("origin", origin)])
        }
        #expect(count("would-deny", "https://one.example") == 1)
        #expect(count("would-deny", "other") == 2)
        #expect(logs.entries.map { $0.metadata["cors.origin"] } == ["https://one.example", "https://two.example", "https://two.example"])

        let downPort = try DemoReloadTests.freePort()
        let down = try await RunningProxy.start(
            ["--upstream", "http://127.0.0.1:\(downPort)"], policy: Self.trialPolicy, reportOnly: reportOnly)
        let failed = try await proxyExchange(down.url("/me"), headers: [("Origin", "https://app.example.com")])
        let preflight = try await proxyExchange(
            down.url("/me"), method: "OPTIONS",
            headers: [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "GET")])
        await down.stop()
        #expect(failed.status == 502)
        #expect(failed.body == "cors proxy: the upstream http://127.0.0.1:\(downPort) is unreachable (connection refused)\n")
        #expect(preflight.status == 502, "the preflight went to the upstream, not to the policy")
        for exchange in [failed, preflight] {
            #expect(!exchange.headers.contains { $0.0.lowercased().hasPrefix("access-control-") || $0.0.lowercased() == "vary" })
        }
        #expect(logs.entries.count == 3, "the proxy's own answers are not the upstream's: nothing to compare")
    }
}
