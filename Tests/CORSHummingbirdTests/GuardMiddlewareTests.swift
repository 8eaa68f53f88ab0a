import CORS
import CORSHummingbird
import CORSObservability
import CORSTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import MetricsTestKit
import NIOCore
import Glibc
import Testing

@Suite("Hummingbird guards: cross-origin protection, WebSocket origins, report-only mode")
struct GuardMiddlewareTests {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    static func protectedRouter(metrics: TestMetrics) throws -> Router<BasicRequestContext> {
        let router = Router()
        let source = CORSPolicySource.fixed(CORSPolicyTable(.tutorial))
        router.add(middleware: CORSPolicyMiddleware(source: source, recorder: CORSDecisionRecorder(recordsMetrics: false)))
        router.add(
            middleware: CrossOriginProtectionMiddleware(
                source: source, protection: try CrossOriginProtection(bypassing: ["POST /hooks/"]),
                recorder: CORSGuardRecorder(metricsFactory: metrics)))
        router.post("transfer") { _, _ in "done" }
        router.get("transfer") { _, _ in "form" }
        router.post("hooks/stripe") { _, _ in "hooked" }
        return router
    }

    @Test("a cross-site POST from an untrusted origin: 403 naming the reason, logged and counted; trusted and safe requests pass")
    func crossOriginProtection() async throws {
        let metrics = TestMetrics()
        let logs = LogCapture()
        try await Application(router: try Self.protectedRouter(metrics: metrics), logger: logs.logger()).test(.router) { client in
            let refused = try await client.execute(
                uri: "/transfer", method: .post,
                headers: [.origin: "https://evil.example", Self.secFetchSite: "cross-site", .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "amount=100"))
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body) == "Forbidden: cross-origin request refused (Sec-Fetch-Site is not same-origin, and the origin is not trusted)\n")
            #expect(refused.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(refused.headers[.accessControlAllowOrigin] == nil)
            #expect(refused.headers[.vary] == "Origin")

            let trusted = try await client.execute(
                uri: "/transfer", method: .post,
                headers: [.origin: "https://app.example.com", Self.secFetchSite: "cross-site"])
            #expect(trusted.status == .ok)
            #expect(String(buffer: trusted.body) == "done")
            #expect(trusted.headers[.accessControlAllowOrigin] == "https://app.example.com")

            let safe = try await client.execute(
                uri: "/transfer", method: .get, headers: [.origin: "https://evil.example", Self.secFetchSite: "cross-site"])
            #expect(safe.status == .ok)
            let sameOrigin = try await client.execute(uri: "/transfer", method: .post, headers: [Self.secFetchSite: "same-origin"])
            #expect(sameOrigin.status == .ok)
            let program = try await client.execute(uri: "/transfer", method: .post)
            #expect(program.status == .ok)
            let hook = try await client.execute(
                uri: "/hooks/stripe", method: .post, headers: [.origin: "https://stripe.example", Self.secFetchSite: "cross-site"])
            #expect(hook.status == .ok)
            let oldBrowser = try await client.execute(uri: "/transfer", method: .post, headers: [.origin: "https://evil.example"])
            #expect(oldBrowser.status == .forbidden)
            #expect(String(buffer: oldBrowser.body) == "Forbidden: cross-origin request refused (Origin matches neither Host nor a trusted origin)\n")
        }
        #expect(metrics.counterTotal(label: "cors_csrf_refusals_total", dimensions: [("reason", "sec-fetch-site")]) == 1)
        #expect(metrics.counterTotal(label: "cors_csrf_refusals_total", dimensions: [("reason", "origin-mismatch")]) == 1)
        let lines = logs.entries.filter { $0.metadata["cors.guard"] == "csrf" }
        #expect(lines.count == 2)
        #expect(lines.first?.level == .info)
        #expect(lines.first?.message == "Cross-origin POST request refused: Forbidden: cross-origin request refused (Sec-Fetch-Site is not same-origin, and the origin is not trusted)")
        #expect(lines.first?.metadata["cors.origin"] == "https://evil.example")
        #expect(lines.first?.metadata["http.path"] == "/transfer")
    }

    /// The demo's echo socket behind the guard, on a live server.
    static func webSocketApplication(metrics: TestMetrics, logger: Logger) -> some ApplicationProtocol {
        let source = CORSPolicySource.fixed(CORSPolicyTable(.tutorial))
        let router = Router()
        router.get("me") { _, _ in "alice" }
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        webSocketRouter.ws("ws") { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 16) {
                if case .text(let text) = message { try await outbound.write(.text(text)) }
            }
        }
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: webSocketRouter, originGuard: WebSocketOriginGuard(), source: source,
                recorder: CORSGuardRecorder(metricsFactory: metrics)),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger)
    }

    @Test("an upgrade from an untrusted origin is refused with 403 before upgrading; a trusted origin's socket echoes")
    func webSocketOrigins() async throws {
        let metrics = TestMetrics()
        let logs = LogCapture()
        try await Self.webSocketApplication(metrics: metrics, logger: logs.logger()).test(.live) { client in
            let port = try #require(client.port)
            func upgrade(origin: String?) -> String {
                "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n" + (origin.map { "Origin: \($0)\r\n" } ?? "")
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
            }
            let accepted = try RawHTTP.exchange(port: port, upgrade(origin: "https://app.example.com"), untilHeadEnd: true)
            #expect(accepted.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"), "\(accepted)")
            let program = try RawHTTP.exchange(port: port, upgrade(origin: nil), untilHeadEnd: true)
            #expect(program.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"), "a client without Origin is not a browser page: \(program)")
            // hummingbird-websocket's own client sends `Origin: ws://127.0.0.1`, an origin no page has.
            let client = try RawHTTP.exchange(port: port, upgrade(origin: "ws://127.0.0.1"), untilHeadEnd: true)
            #expect(client.hasPrefix("HTTP/1.1 403 Forbidden\r\n"), "\(client)")
            let refused = try RawHTTP.exchange(port: port, upgrade(origin: "https://evil.example"))
            #expect(refused.hasPrefix("HTTP/1.1 403 Forbidden\r\n"), "\(refused)")
            #expect(refused.contains("\r\nconnection: close\r\n") || refused.contains("\r\nConnection: close\r\n"), "\(refused)")
            #expect(refused.hasSuffix("\r\n\r\nForbidden: WebSocket upgrade refused (the origin is not trusted)\n"), "\(refused)")
        }
        #expect(metrics.counterTotal(label: "cors_websocket_refusals_total", dimensions: [("reason", "origin-not-trusted")]) == 2)
        let refusals = logs.entries.filter { $0.metadata["cors.guard"] == "websocket" }
        #expect(refusals.count == 2)
        #expect(refusals.last?.message == "WebSocket upgrade refused: Forbidden: WebSocket upgrade refused (the origin is not trusted)")
        #expect(refusals.last?.metadata["cors.origin"] == "https://evil.example")
        #expect(!logs.entries.contains { $0.level >= .error }, "a refusal is not an error: \(logs.entries.filter { $0.level >= .error }.map(\.message))")
    }

    @Test("report-only: every response byte as without it; differences counted by origin, with a cap")
    func reportOnly() async throws {
        let metrics = TestMetrics()
        let logs = LogCapture()
        func router(reportOnly: Bool) -> Router<BasicRequestContext> {
            let router = Router()
            if reportOnly {
                router.add(
                    middleware: CORSReportOnlyMiddleware(
                        source: .fixed(CORSPolicyTable(.tutorial)),
                        recorder: CORSReportOnlyRecorder(originCardinalityCap: 2, metricsFactory: metrics)))
            }
            // What answers today: Hummingbird's own middleware, reflecting any origin.
            router.add(middleware: CORSMiddleware(allowOrigin: .originBased, allowHeaders: [.contentType], allowMethods: [.get, .put]))
            router.get("me") { _, _ in "alice" }
            router.get("boom") { _, _ -> String in throw HTTPError(.badRequest, message: "no") }
            return router
        }
        let requests: [(String, HTTPRequest.Method, HTTPFields)] = [
            ("/me", .get, [.origin: "https://app.example.com"]),
            ("/me", .get, [.origin: "https://evil.example"]),
            ("/me", .get, [.origin: "https://other.example"]),
            ("/me", .get, [:]),
            ("/me", .options, [.origin: "https://evil.example", .accessControlRequestMethod: "PUT"]),
            ("/boom", .get, [.origin: "https://app.example.com"]),
        ]
        func run(_ router: Router<BasicRequestContext>) async throws -> [String] {
            try await Application(router: router, logger: logs.logger()).test(.router) { client in
                var answers: [String] = []
                for (uri, method, headers) in requests {
                    let response = try await client.execute(uri: uri, method: method, headers: headers)
                    answers.append("\(response.status.code) \(response.headers.filter { $0.name != .date }.map { "\($0.name): \($0.value)" }) \(String(buffer: response.body))")
                }
                return answers
            }
        }
        let without = try await run(router(reportOnly: false))
        let with = try await run(router(reportOnly: true))
        #expect(with == without)
        func count(_ difference: String, _ origin: String) -> Int64 {
            metrics.counterTotal(
                label: "cors_report_only_differences_total", dimensions: [("difference", difference), ("origin", origin)])
        }
        #expect(count("would-deny", "https://evil.example") == 2)
        #expect(count("would-deny", "other") == 1, "beyond the cap of 2 origins, origins are counted as other")
        #expect(count("would-change-header", "https://app.example.com") == 2)
        let lines = logs.entries.filter { $0.metadata["cors.report_only"] != nil }
        #expect(lines.contains { $0.message == "CORS report-only: the policy would deny what the current answer allows (GET /me from https://evil.example)" })
    }
}

/// One request written on a new connection to 127.0.0.1, and everything read until the server
/// closes it: the exact bytes of the answer.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameter untilHeadEnd: Stop once the answer's head is in (for a socket that stays open).
    static func exchange(port: Int, _ request: String, untilHeadEnd: Bool = false) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect() failed") }
        let bytes = Array(request.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw Failure(description: "write() failed") }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            answer += buffer[0..<count]
            if untilHeadEnd, String(decoding: answer, as: UTF8.self).contains("\r\n\r\n") { break }
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
