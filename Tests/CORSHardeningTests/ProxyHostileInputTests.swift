import CORS
import CORSTestSupport
import Foundation
import Testing

@testable import CORSCommandLine

/// The hostile-client cases (Scripts/hostile-clients.sh and ``OversizedHeadTests``, written for
/// `cors demo`) sent to `cors proxy` in policy mode in front of the demo API: every answer has an
/// exact status, a request head the proxy refuses closes the connection at once (well within the
/// idle timeout), and a client that sends its head byte by byte, or nothing, is cut off by the
/// idle timeout. The suite bounds time, so Scripts/test.sh runs it in its time-bounded batch.
@Suite("cors proxy: hostile clients get bounded answers")
struct ProxyHostileInputTests {
    static let origin = "http://localhost:5173"

    /// One raw request and what the proxy must answer.
    struct HostileCase: Sendable, CustomTestStringConvertible {
        var name: String
        var request: [UInt8]
        /// The exact status line.
        var statusLine: String
        /// Whether `Access-Control-Allow-Origin` is in the answer.
        var grant: Bool
        var testDescription: String { name }
    }

    static func head(_ lines: [String]) -> [UInt8] {
        Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    static func preflight(_ extra: [String]) -> [UInt8] {
        head(
            ["OPTIONS /me HTTP/1.1", "Host: 127.0.0.1", "Origin: \(origin)", "Access-Control-Request-Method: PUT"] + extra)
    }

    static let badRequest = "HTTP/1.1 400 Bad Request"

    static let cases: [HostileCase] = [
        // Refused by the proxy's HTTP server before anything is forwarded.
        HostileCase(
            name: "1 MiB Access-Control-Request-Headers", request: OversizedHeadTests.megabytePreflight, statusLine: badRequest,
            grant: false),
        HostileCase(
            name: "a head just over --max-header-bytes (40 KB Origin)",
            request: head(["GET /me HTTP/1.1", "Host: 127.0.0.1", "Origin: https://" + String(repeating: "a", count: 40_000) + ".example.com"]),
            statusLine: badRequest, grant: false),
        HostileCase(
            name: "64 KB Origin",
            request: head(["GET /me HTTP/1.1", "Host: 127.0.0.1", "Origin: https://" + String(repeating: "a", count: 65_536) + ".example.com"]),
            statusLine: badRequest, grant: false),
        HostileCase(
            name: "10,000 names in Access-Control-Request-Headers (40 KB)",
            request: preflight(["Access-Control-Request-Headers: " + String(repeating: "x-a,", count: 10_000)]), statusLine: badRequest,
            grant: false),
        HostileCase(
            name: "10,000 header fields",
            request: head(["GET /me HTTP/1.1", "Host: 127.0.0.1"] + (0..<10_000).map { "x-h\($0): v" }), statusLine: badRequest,
            grant: false),
        HostileCase(
            name: "control bytes in Origin",
            request: head(["GET /me HTTP/1.1", "Host: 127.0.0.1", "Origin: \(origin)\u{01}\u{1b}\u{7f}"]), statusLine: badRequest,
            grant: false),
        HostileCase(name: "a malformed request line", request: head(["GARBAGE"]), statusLine: badRequest, grant: false),
        HostileCase(name: "HTTP/9.9", request: head(["GET /me HTTP/9.9", "Host: 127.0.0.1"]), statusLine: badRequest, grant: false),
        HostileCase(
            name: "NUL in the request target", request: head(["GET /me\u{0} HTTP/1.1", "Host: 127.0.0.1"]), statusLine: badRequest,
            grant: false),
        HostileCase(
            name: "a space in a field name", request: head(["GET /me HTTP/1.1", "Host: 127.0.0.1", "Bad Name: x"]),
            statusLine: badRequest, grant: false),
        HostileCase(
            name: "Content-Length and Transfer-Encoding (smuggling)",
            request: Array("POST /me HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8),
            statusLine: badRequest, grant: false),
        HostileCase(
            name: "two different Content-Lengths",
            request: Array("POST /me HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!".utf8),
            statusLine: badRequest, grant: false),
        HostileCase(
            name: "absolute form for another host (open proxy)",
            request: head(["GET http://example.com/me HTTP/1.1", "Host: example.com", "Origin: \(origin)"]), statusLine: badRequest,
            grant: false),
        HostileCase(
            name: "CONNECT (open proxy)", request: head(["CONNECT example.com:443 HTTP/1.1", "Host: example.com:443"]),
            statusLine: badRequest, grant: false),
        HostileCase(
            name: "a valid request, then a malformed one on the same connection: answered in order, then 400",
            request: Array("GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGARBAGE\r\n\r\n".utf8), statusLine: "HTTP/1.1 200 OK",
            grant: false),
        // Forwarded or answered by the policy: the adapters' answers.
        HostileCase(
            name: "10,000 commas in Access-Control-Request-Headers: the policy's own Allow-Headers",
            request: preflight(["Access-Control-Request-Headers: " + String(repeating: ",", count: 10_000), "Connection: close"]),
            statusLine: "HTTP/1.1 204 No Content", grant: true),
        HostileCase(
            name: "three Origin fields: no grant",
            request: head(["GET /me HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Origin: \(origin)", "Origin: https://evil.example.net", "Origin: null"]),
            statusLine: "HTTP/1.1 200 OK", grant: false),
        HostileCase(
            name: "bytes 0x80-0xFF in Origin and Access-Control-Request-Headers: refused preflight",
            request: Array("OPTIONS /me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nOrigin: \(origin)".utf8) + [0xFF, 0xFE, 0x80]
                + Array("\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: ".utf8) + [0xFF, 0xFE, 0x2C, 0xC0, 0x80]
                + Array("\r\n\r\n".utf8),
            statusLine: "HTTP/1.1 403 Forbidden", grant: false),
        HostileCase(
            name: "a head just under --max-header-bytes (30 KB Cookie): forwarded",
            request: head(["GET /me HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Origin: \(origin)", "Cookie: c=" + String(repeating: "a", count: 30_000)]),
            statusLine: "HTTP/1.1 200 OK", grant: true),
    ]

    /// The demo API with the tutorial's policy, and `cors proxy` with the same policy in front of it.
    static func withProxy<T: Sendable>(
        idleTimeout: String, _ body: (_ proxyPort: Int) async throws -> T
    ) async throws -> T {
        let demo = try await UpstreamServer.hummingbirdDemo(policy: .tutorial)
        var settings = try ProxyCommand.parse([
            "--upstream", demo.baseURL, "--listen", "127.0.0.1:0", "--idle-timeout", idleTimeout,
        ]).makeSettings()
        settings.policy = .fixed(CORSPolicyTable(.tutorial))
        let client = ProxyServer.makeClient(settings)
        let proxySettings = settings
        do {
            let proxy = try await LocalServer.start("cors proxy") { onRunning in
                ProxyServer.application(
                    settings: proxySettings, client: client, comparison: nil, logger: LocalServer.quietLogger, onRunning: onRunning)
            }
            do {
                let result = try await body(proxy.port)
                await proxy.stop()
                await demo.stop()
                try? await client.shutdown()
                return result
            } catch {
                await proxy.stop()
                throw error
            }
        } catch {
            await demo.stop()
            try? await client.shutdown()
            throw error
        }
    }

    @Test("Exact answers; refused heads close the connection at once", arguments: cases)
    func hostileRequest(_ hostile: HostileCase) async throws {
        // An idle timeout far above the bound below: a connection closed within it was closed on
        // purpose, not by the timer.
        try await Self.withProxy(idleTimeout: "30") { port in
            let clock = ContinuousClock()
            let start = clock.now
            let outcome = try await RawConnection.sendAndWaitForClose(hostile.request, port: port)
            let elapsed = clock.now - start
            #expect(outcome.statusLine == hostile.statusLine, "\(outcome)")
            #expect(outcome.containsAllowOrigin == hostile.grant, "\(outcome)")
            #expect(outcome.ended, "\(outcome)")
            #expect(elapsed < .seconds(10), "closed after \(elapsed)")
            // A refused connection is let go by the proxy while the client holds its end open. An
            // answered `Connection: close` request is half-closed and waits for the client's own
            // close (or the idle timeout), as the adapters' Hummingbird server does: the client
            // closes first.
            let refused = hostile.statusLine == Self.badRequest
            if !refused { close(outcome.descriptor) }
            let held = await RawConnection.serverReleasesConnections(port: port, limit: .seconds(10))
            if refused { close(outcome.descriptor) }
            #expect(held == 0, "server-side sockets still open")
        }
    }

    @Test("Slow loris: a head sent a byte at a time, and a connection that sends nothing, are closed by the idle timeout")
    func slowClients() async throws {
        try await Self.withProxy(idleTimeout: "2") { port in
            let clock = ContinuousClock()
            let slowHead = Array("GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: \(Self.origin)\r\nX-Slow: ".utf8) + Array(repeating: 0x61, count: 200)
            let start = clock.now
            async let trickled = SlowClient.trickle(slowHead, port: port, interval: .milliseconds(250), limit: .seconds(15))
            async let silent = SlowClient.trickle([], port: port, interval: .milliseconds(250), limit: .seconds(15))
            let (trickleEnded, silentEnded) = try await (trickled, silent)
            let bound = Duration.seconds(2) ... Duration.seconds(6)
            #expect(bound.contains(trickleEnded), "byte by byte: closed after \(trickleEnded)")
            #expect(bound.contains(silentEnded), "silent: closed after \(silentEnded)")
            #expect(clock.now - start < .seconds(10))
            #expect(await RawConnection.serverReleasesConnections(port: port, limit: .seconds(10)) == 0)
        }
    }
}

/// A client on a thread of its own that sends `bytes` one at a time, every `interval`, then
/// waits: it returns how long after connecting the server closed the connection.
enum SlowClient {
    struct NotClosed: Error, CustomStringConvertible {
        var description: String
    }

    static func trickle(_ bytes: [UInt8], port: Int, interval: Duration, limit: Duration) async throws -> Duration {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try run(bytes, port: port, interval: interval, limit: limit) })
            }
        }
    }

    private static func run(_ bytes: [UInt8], port: Int, interval: Duration, limit: Duration) throws -> Duration {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw NotClosed(description: "socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw NotClosed(description: "connect() failed: errno \(errno)") }
        let clock = ContinuousClock()
        let start = clock.now
        var next = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while clock.now - start < limit {
            // Closed? (end of stream or reset; an answer would be read and ignored.)
            var readable = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&readable, 1, Int32(interval.components.attoseconds / 1_000_000_000_000_000 + interval.components.seconds * 1000)) > 0 {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count <= 0 { return clock.now - start }
                continue
            }
            if next < bytes.count {
                let sent = bytes[next...next].withUnsafeBytes { send(descriptor, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) }
                if sent < 0 { return clock.now - start }
                next += 1
            }
        }
        throw NotClosed(description: "still open after \(limit), \(next) of \(bytes.count) bytes sent")
    }
}
