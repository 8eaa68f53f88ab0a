import CORS
import CORSObservability
import CORSVapor
import Foundation
import MetricsTestKit
import Testing
import VaporTesting

@Suite("Vapor guards: cross-origin protection, WebSocket origins, report-only mode")
struct VaporGuardMiddlewareTests {
    static func withApp<T>(
        logs: LogStore, _ configure: (Application) throws -> Void, _ body: (Application) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test") { _ in CapturingLogHandler(store: logs) }
        logger.logLevel = .debug
        let app = try await Application.make(.testing, logger: logger)
        do {
            try configure(app)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    @Test("a cross-site POST from an untrusted origin: 403 naming the reason, logged and counted; trusted and safe requests pass")
    func crossOriginProtection() async throws {
        let metrics = TestMetrics()
        let logs = LogStore()
        let source = CORSPolicySource.fixed(CORSPolicyTable(.tutorial))
        try await Self.withApp(logs: logs) { app in
            app.middleware.use(cors: CORSPolicyMiddleware(source: source, recorder: CORSDecisionRecorder(recordsMetrics: false)))
            app.middleware.use(
                CrossOriginProtectionMiddleware(
                    source: source, protection: try CrossOriginProtection(bypassing: ["POST /hooks/"]),
                    recorder: CORSGuardRecorder(metricsFactory: metrics)))
            app.post("transfer") { _ in "done" }
            app.get("transfer") { _ in "form" }
            app.post("hooks", "stripe") { _ in "hooked" }
        } _: { app in
            let refused = try await app.testing().sendRequest(
                .POST, "transfer",
                headers: ["Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"], body: ByteBuffer(string: "amount=1"))
            #expect(refused.status == .forbidden)
            #expect(refused.body.string == "Forbidden: cross-origin request refused (Sec-Fetch-Site is not same-origin, and the origin is not trusted)\n")
            #expect(refused.headers.first(name: "Access-Control-Allow-Origin") == nil)
            #expect(refused.headers.first(name: "Vary") == "Origin")
            let trusted = try await app.testing().sendRequest(
                .POST, "transfer", headers: ["Origin": "https://app.example.com", "Sec-Fetch-Site": "cross-site"])
            #expect(trusted.status == .ok)
            #expect(trusted.body.string == "done")
            #expect(trusted.headers.first(name: "Access-Control-Allow-Origin") == "https://app.example.com")
            let safe = try await app.testing().sendRequest(
                .GET, "transfer", headers: ["Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"])
            #expect(safe.status == .ok)
            let hook = try await app.testing().sendRequest(
                .POST, "hooks/stripe", headers: ["Origin": "https://stripe.example", "Sec-Fetch-Site": "cross-site"])
            #expect(hook.status == .ok)
            let sameHost = try await app.testing().sendRequest(
                .POST, "transfer", headers: ["Origin": "http://api.local:8080", "Host": "api.local:8080"])
            #expect(sameHost.status == .ok, "no Sec-Fetch-Site, and the Origin names the request's Host")
            let oldBrowser = try await app.testing().sendRequest(.POST, "transfer", headers: ["Origin": "https://evil.example"])
            #expect(oldBrowser.status == .forbidden)
        }
        #expect(metrics.counterTotal(label: "cors_csrf_refusals_total", dimensions: [("reason", "sec-fetch-site")]) == 1)
        #expect(metrics.counterTotal(label: "cors_csrf_refusals_total", dimensions: [("reason", "origin-mismatch")]) == 1)
        let lines = logs.entries.filter { $0.metadata["cors.guard"] == "csrf" }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.level == .info })
    }

    @Test("an upgrade from an untrusted origin is refused with 403 before app.webSocket upgrades it")
    func webSocketOrigins() async throws {
        let metrics = TestMetrics()
        let logs = LogStore()
        try await Self.withApp(logs: logs) { app in
            app.middleware.use(corsPolicy: .tutorial, recordsMetrics: false)
            app.middleware.use(
                WebSocketOriginGuardMiddleware(
                    source: .fixed(CORSPolicyTable(.tutorial)), recorder: CORSGuardRecorder(metricsFactory: metrics)))
            app.webSocket("ws") { _, socket in socket.onText { socket, text in socket.send(text) } }
        } _: { app in
            let upgrade: HTTPHeaders = [
                "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            ]
            var untrusted = upgrade
            untrusted.add(name: "Origin", value: "https://evil.example")
            let refused = try await app.testing().sendRequest(.GET, "ws", headers: untrusted)
            #expect(refused.status == .forbidden)
            #expect(refused.body.string == "Forbidden: WebSocket upgrade refused (the origin is not trusted)\n")
            var trusted = upgrade
            trusted.add(name: "Origin", value: "https://app.example.com")
            let accepted = try await app.testing().sendRequest(.GET, "ws", headers: trusted)
            #expect(accepted.status == .switchingProtocols)
            let program = try await app.testing().sendRequest(.GET, "ws", headers: upgrade)
            #expect(program.status == .switchingProtocols)
        }
        #expect(metrics.counterTotal(label: "cors_websocket_refusals_total", dimensions: [("reason", "origin-not-trusted")]) == 1)
        #expect(logs.entries.filter { $0.metadata["cors.guard"] == "websocket" }.map(\.message) == [
            "WebSocket upgrade refused: Forbidden: WebSocket upgrade refused (the origin is not trusted)"
        ])
    }

    /// Vapor's `ErrorMiddleware` writes its JSON keys in no fixed order: compare them sorted.
    static func normalized(_ body: String) -> String {
        guard body.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)),
            let sorted = try? JSONSerialization.data(withJSONObject: object, options: .sortedKeys)
        else { return body }
        return String(decoding: sorted, as: UTF8.self)
    }

    @Test("report-only: every response byte as without it, behind Vapor's own CORSMiddleware; differences counted")
    func reportOnly() async throws {
        let metrics = TestMetrics()
        let logs = LogStore()
        let requests: [(HTTPMethod, String, HTTPHeaders)] = [
            (.GET, "me", ["Origin": "https://app.example.com"]),
            (.GET, "me", ["Origin": "https://evil.example"]),
            (.GET, "me", [:]),
            (.OPTIONS, "me", ["Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"]),
            (.GET, "abort", ["Origin": "https://evil.example"]),
        ]
        func run(reportOnly: Bool) async throws -> [String] {
            try await Self.withApp(logs: logs) { app in
                app.middleware.use(
                    CORSMiddleware(configuration: .init(allowedOrigin: .originBased, allowedMethods: [.GET, .PUT], allowedHeaders: [])),
                    at: .beginning)
                if reportOnly {
                    app.middleware.use(
                        CORSReportOnlyMiddleware(
                            source: .fixed(CORSPolicyTable(.tutorial)), recorder: CORSReportOnlyRecorder(metricsFactory: metrics)),
                        at: .beginning)
                }
                app.get("me") { _ in "alice" }
                app.get("abort") { _ -> String in throw Abort(.unauthorized, reason: "log in first") }
            } _: { app in
                var answers: [String] = []
                for (method, path, headers) in requests {
                    let response = try await app.testing().sendRequest(method, path, headers: headers)
                    let fields = response.headers.filter { $0.name.lowercased() != "date" }.map { "\($0.name): \($0.value)" }
                    answers.append("\(response.status.code) \(fields) \(Self.normalized(response.body.string))")
                }
                return answers
            }
        }
        let without = try await run(reportOnly: false)
        let with = try await run(reportOnly: true)
        #expect(with == without)
        func count(_ difference: String, _ origin: String) -> Int64 {
            metrics.counterTotal(
                label: "cors_report_only_differences_total", dimensions: [("difference", difference), ("origin", origin)])
        }
        // GET /me, the preflight and the 401 all reflect the untrusted origin today.
        #expect(count("would-deny", "https://evil.example") == 3)
        #expect(count("would-change-header", "https://app.example.com") == 1)
    }
}
