import CORS
import CORSTestSupport
import Foundation
import NIOCore
import Testing

@testable import CORSCommandLine

/// A request head over NIO's 80 KB limit is refused by the HTTP server before any middleware runs.
/// Hummingbird 2 then answers 400, half-closes and stops reading; only its idle timeout ever
/// closes such a connection, so without one a hostile client keeps every connection it opens
/// (measured: 38 → 397 MiB and 1,764 descriptors). The demo sets one, and these tests prove that
/// it closes the connection — on both frameworks.
@Suite("Oversized request heads: the server answers and the connection does not stay open")
struct OversizedHeadTests {
    /// A preflight whose Access-Control-Request-Headers alone is 1 MiB.
    static let megabytePreflight: [UInt8] = {
        var head = "OPTIONS /me HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:5173\r\n"
        head += "Access-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: "
        head += String(repeating: "x-a,", count: 262_144) + "x-a\r\n\r\n"
        return Array(head.utf8)
    }()

    @Test("Hummingbird demo: 400, then the connection is closed by the idle timeout")
    func hummingbird() async throws {
        let (outcome, held) = try await Self.sendMegabytePreflight(
            to: UpstreamServer.hummingbirdDemo(policy: .tutorial, idleTimeout: .seconds(2)))
        #expect(outcome.statusLine.hasPrefix("HTTP/1.1 400"), "\(outcome)")
        #expect(!outcome.containsAllowOrigin, "\(outcome)")
        #expect(outcome.ended, "\(outcome)")
        #expect(held == 0, "server-side sockets still open")
    }

    @Test("Vapor demo: an error status, then the connection is closed")
    func vapor() async throws {
        let (outcome, held) = try await Self.sendMegabytePreflight(to: UpstreamServer.vaporDemo(policy: .tutorial))
        // Vapor answers 4xx, or resets the connection while the client is still sending; never a CORS answer.
        #expect(outcome.statusLine.hasPrefix("HTTP/1.1 4") || (outcome.reset && outcome.statusLine.isEmpty), "\(outcome)")
        #expect(!outcome.containsAllowOrigin, "\(outcome)")
        #expect(outcome.ended, "\(outcome)")
        #expect(held == 0, "server-side sockets still open")
    }

    /// Sends ``megabytePreflight`` to `server`, waits for the server to let the connection go,
    /// and stops the server: what the client saw, and how many server-side sockets stayed open.
    static func sendMegabytePreflight(to server: UpstreamServer) async throws -> (RawConnection.Outcome, held: Int) {
        do {
            let outcome = try await RawConnection.sendAndWaitForClose(megabytePreflight, port: server.port)
            // The client keeps its end open, as a hostile client would: only the server can let go.
            let held = await RawConnection.serverReleasesConnections(port: server.port)
            close(outcome.descriptor)
            await server.stop()
            return (outcome, held)
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// A blocking TCP client on a thread of its own (never on the cooperative pool): it writes a
/// request, reads until the server ends its side (end of stream or reset) or `limit` passes, and
/// keeps its socket open, as a hostile client would. ``serverReleasesConnections(port:limit:)``
/// then looks at the server's side: a server socket whose descriptor is still open stays in
/// /proc/net/tcp with its inode; once the server closes it, the kernel orphans it (inode 0).
enum RawConnection {
    struct Outcome: CustomStringConvertible {
        var statusLine: String
        var containsAllowOrigin: Bool
        /// The server ended its side: end of stream, or a reset.
        var ended: Bool
        var reset: Bool
        /// The client's socket, still open: the caller closes it.
        var descriptor: Int32
        var description: String {
            "status line '\(statusLine)', Allow-Origin \(containsAllowOrigin), ended \(ended), reset \(reset)"
        }
    }

    static func sendAndWaitForClose(_ request: [UInt8], port: Int, limit: Duration = .seconds(20)) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try run(request, port: port, limit: limit) })
            }
        }
    }

    /// How many sockets on the server's side of `port` are still held open by a process (an inode
    /// in /proc/net/tcp, any state but LISTEN) once they have all gone, or `limit` has passed. A
    /// server that half-closes and never reads again keeps them forever.
    static func serverReleasesConnections(port: Int, limit: Duration = .seconds(20)) async -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var held = heldSockets(port: port)
        while held > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(200))
            held = heldSockets(port: port)
        }
        return held
    }

    private static func heldSockets(port: Int) -> Int {
        let localPort = ":" + String(format: "%04X", port)
        var count = 0
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9, fields[1].hasSuffix(localPort), fields[3] != "0A", fields[9] != "0" else { continue }
                count += 1
            }
        }
        return count
    }

    private static func run(_ request: [UInt8], port: Int, limit: Duration) throws -> Outcome {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HangError(description: "socket() failed: errno \(errno)") }
        var keepOpen = false
        defer { if !keepOpen { close(descriptor) } }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw HangError(description: "connect() failed: errno \(errno)") }
        // One-second timeouts on both directions, so every call returns and `limit` is honoured.
        var second = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &second, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &second, socklen_t(MemoryLayout<timeval>.size))
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        // The server refuses the head after its first 80 KB and answers while the rest is still
        // being sent: stop writing as soon as the answer is there. Writing on would only fill
        // the buffers, and a server that then closes with unread data resets the connection,
        // which discards the answer on this side before it is read.
        var sent = 0
        while sent < request.count, clock.now < deadline {
            var readable = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&readable, 1, 0) > 0 { break }
            let chunk = request[sent..<min(sent + 16_384, request.count)]
            let written = chunk.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 { sent += written } else if written < 0, errno != EAGAIN, errno != EINTR { break }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while clock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: buffer[..<count])
            } else if count == 0 {
                keepOpen = true
                return outcome(received, ended: true, reset: false, descriptor: descriptor)
            } else if errno != EAGAIN, errno != EINTR {
                keepOpen = true
                return outcome(received, ended: true, reset: true, descriptor: descriptor)
            }
        }
        keepOpen = true
        return outcome(received, ended: false, reset: false, descriptor: descriptor)
    }

    private static func outcome(_ received: [UInt8], ended: Bool, reset: Bool, descriptor: Int32) -> Outcome {
        let text = String(decoding: received, as: UTF8.self)
        let statusLine = text.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        return Outcome(
            statusLine: statusLine, containsAllowOrigin: text.lowercased().contains("access-control-allow-origin"),
            ended: ended, reset: reset, descriptor: descriptor)
    }
}
