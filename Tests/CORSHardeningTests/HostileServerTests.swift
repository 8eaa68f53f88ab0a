import CORS
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import Testing

@testable import CORSCommandLine
import CORSTestSupport

/// `cors check` and `cors scan` against servers that misbehave on purpose: every case ends in
/// bounded time (a 60 s hang guard, never a wall-clock expectation beyond it), with the exit
/// status DESIGN.md gives, exactly one line on stderr naming the problem when the status is 2,
/// and no crash.
///
/// Exit status decided for each kind of case:
/// - no usable HTTP response (timeout, drip, silence, connection closed, garbage, headers the
///   client refuses, TLS failure): a network failure, status 2 for both commands.
/// - a response the client could parse, however odd (redirect loops, ten thousand header lines, a
///   huge or invalid Allow-Origin value): `check` gives the browser's verdict, and a browser
///   blocks all of these, so status 1 with the reason on stdout and nothing on stderr; a redirect
///   loop is a network error inside the browser (ERR_TOO_MANY_REDIRECTS) but a verdict for
///   `check`, which received every answer. `scan` never follows redirects and audits what it
///   received: status 0 or 1 by its findings, nothing on stderr.
@Suite("Hostile servers: cors check and cors scan end, with one clear line")
struct HostileServerTests {
    static let origin = "http://localhost:5173"

    /// What a command must end with.
    enum Expectation: Sendable {
        /// Status 2, one line on stderr containing this text.
        case failure(String)
        /// `check`: status 1 and this text on stdout, nothing on stderr.
        case blocked(String)
        /// `scan`: status 0 or 1 (findings), nothing on stderr.
        case audited
        /// `check`: status 0, nothing on stderr (the head decides; a body still arriving at the
        /// deadline is cut there).
        case allowed
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var scheme = "http"
        var path = "/me"
        var check: Expectation
        var scan: Expectation
        var trigger: HostileServer.Trigger = .afterRequestHead
        var script: HostileServer.Script

        var testDescription: String { name }
    }

    // MARK: The cases

    static let redirectHead = "HTTP/1.1 302 Found\nAccess-Control-Allow-Origin: *\nContent-Length: 0\nConnection: close\n"
    static let tooLarge = "larger than the client's limit"

    /// Sends `text` (`\n` as CRLF) and closes the connection.
    static func answer(_ text: String) -> [HostileServer.Step] {
        [.send(HostileServer.http(text)), .close]
    }

    static let cases: [Case] = [
        Case(
            name: "redirects forever to itself (same origin)", check: .blocked("ERR_TOO_MANY_REDIRECTS"), scan: .audited,
            script: { request, _ in
                let hop = (Int(request?.target.split(separator: "/").last ?? "") ?? 0) + 1
                return answer(redirectHead + "Location: /loop/\(hop)\n\n")
            }),
        Case(
            name: "1 MB Access-Control-Allow-Origin", check: .failure(tooLarge), scan: .failure(tooLarge),
            script: { _, _ in
                let value = String(repeating: "a", count: 1 << 20)
                return answer("HTTP/1.1 200 OK\nContent-Length: 0\nAccess-Control-Allow-Origin: \(value)\n\n")
            }),
        Case(
            name: "10,000 header lines of 20 bytes (200 KB head)", check: .failure(tooLarge), scan: .failure(tooLarge),
            script: { _, _ in
                let lines = (0..<10_000).map { String(format: "X-Filler-%05d: 1\n", $0) }.joined()
                return answer("HTTP/1.1 200 OK\nContent-Length: 0\n" + lines + "\n")
            }),
        Case(
            name: "10,000 tiny header lines (60 KB head, under the client's limit)",
            check: .blocked("Access-Control-Allow-Origin"), scan: .audited,
            script: { _, _ in
                answer("HTTP/1.1 200 OK\nContent-Length: 0\n" + String(repeating: "a: b\n", count: 10_000) + "\n")
            }),
        Case(
            name: "a 64 KB Access-Control-Allow-Origin", check: .blocked("Access-Control-Allow-Origin"), scan: .audited,
            script: { _, _ in
                let value = "http://localhost:5173" + String(repeating: "a", count: 64 * 1024)
                return answer("HTTP/1.1 200 OK\nContent-Length: 0\nAccess-Control-Allow-Origin: \(value)\n\n")
            }),
        Case(
            name: "a header line without a colon", check: .failure("not valid HTTP"), scan: .failure("not valid HTTP"),
            script: { _, _ in
                answer("HTTP/1.1 200 OK\nAccess-Control-Allow-Origin http://localhost:5173\nContent-Length: 0\n\n")
            }),
        Case(
            name: "NUL and invalid UTF-8 in Access-Control-Allow-Origin", check: .failure("not valid HTTP"),
            scan: .failure("not valid HTTP"),
            script: { _, _ in
                [
                    .send(HostileServer.http("HTTP/1.1 200 OK\nContent-Length: 0\nAccess-Control-Allow-Origin: http://localhost:5173")),
                    .send([0, 0xFF, 0xFE]), .send(HostileServer.http("\n\n")), .close,
                ]
            }),
        Case(
            name: "garbage instead of HTTP", check: .failure("not valid HTTP"), scan: .failure("not valid HTTP"),
            script: { _, _ in
                [.send(Array("SSH-2.0-OpenSSH_9.2\r\n".utf8) + (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) }), .close]
            }),
        Case(
            name: "an impossible status line", check: .failure("not valid HTTP"), scan: .failure("not valid HTTP"),
            script: { _, _ in answer("HTTP/1.1 2000000 OK\nContent-Length: 0\n\n") }),
        Case(
            name: "drips the head one byte a second", check: .failure("timeout"), scan: .failure("timeout"),
            script: { _, _ in
                [
                    .drip(HostileServer.http("HTTP/1.1 200 OK\nX-Slow: "), interval: .seconds(1)),
                    .dripForever(UInt8(ascii: "a"), interval: .seconds(1)),
                ]
            }),
        Case(
            name: "sends the head, then drips the body one byte a second", check: .allowed, scan: .audited,
            script: { _, _ in
                [
                    .send(HostileServer.http("HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\nContent-Length: 100000\n\n")),
                    .dripForever(UInt8(ascii: "a"), interval: .seconds(1)),
                ]
            }),
        Case(
            name: "accepts and never answers", check: .failure("timeout"), scan: .failure("timeout"),
            script: { _, _ in [.stayOpen] }),
        Case(
            name: "closes in the middle of the head", check: .failure("closed the connection"),
            scan: .failure("closed the connection"),
            script: { _, _ in answer("HTTP/1.1 200 OK\nAccess-Control-Allow-Or") }),
        Case(
            name: "closes in the middle of the body", check: .failure("closed the connection"), scan: .audited,
            script: { _, _ in answer("HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\nContent-Length: 1000\n\n0123456789") }),
        Case(
            name: "https URL, the server answers plain HTTP", scheme: "https", check: .failure("does not answer in TLS"),
            scan: .failure("does not answer in TLS"), trigger: .onFirstBytes,
            script: { _, _ in answer("HTTP/1.1 400 Bad Request\nContent-Length: 0\nConnection: close\n\n") }),
        Case(
            name: "https URL, the server sends an HTTP banner at once", scheme: "https", check: .failure("TLS failure"),
            scan: .failure("TLS failure"), trigger: .onConnect,
            script: { _, _ in answer("HTTP/1.1 200 OK\nContent-Length: 0\n\n") }),
        Case(
            name: "https URL, the server accepts and never answers", scheme: "https", check: .failure("timeout"),
            scan: .failure("timeout"), trigger: .onConnect,
            script: { _, _ in [.stayOpen] }),
    ]

    static let timeout = "3"

    // MARK: Tests

    @Test("cors check (in-process) ends with the right result", arguments: cases)
    func checkInProcess(_ hostile: Case) async throws {
        let result = try await Self.withServer(hostile) { url in
            try await withHangGuard("cors check \(url)") {
                let command = try CheckCommand.parse([url, "--origin", Self.origin, "--timeout", Self.timeout])
                return await command.execute()
            }
        }
        switch hostile.check {
        case .failure(let keyword):
            #expect(result.exitCode == 2, "\(result.output)")
            let line = try #require(result.errorLine, "no error line; output: \(result.output.prefix(2000))")
            #expect(!line.contains("\n"), "\(line)")
            #expect(line.localizedCaseInsensitiveContains(keyword), "'\(keyword)' not in: \(line)")
        case .blocked(let keyword):
            #expect(result.errorLine == nil, "\(result.errorLine ?? "")")
            #expect(result.exitCode == 1, "\(result.output.prefix(3000))")
            #expect(result.output.localizedCaseInsensitiveContains(keyword), "'\(keyword)' not in: \(result.output.prefix(3000))")
        case .allowed:
            #expect(result.errorLine == nil, "\(result.errorLine ?? "")")
            #expect(result.exitCode == 0, "\(result.output.prefix(3000))")
        case .audited:
            Issue.record("not an expectation for check")
        }
    }

    @Test("cors check (the binary) ends with the right status and one line on stderr", arguments: cases)
    func checkBinary(_ hostile: Case) async throws {
        let run = try await Self.withServer(hostile) { url in
            try await CORSExecutable.run(["check", url, "--origin", Self.origin, "--timeout", Self.timeout])
        }
        Self.expectNoCrash(run)
        switch hostile.check {
        case .failure(let keyword): Self.expectFailure(run, keyword)
        case .blocked(let keyword):
            #expect(run.status == 1, "\(run)")
            #expect(run.errorLines.isEmpty, "\(run)")
            #expect(run.standardOutput.localizedCaseInsensitiveContains(keyword), "'\(keyword)' not in: \(run)")
        case .allowed:
            #expect(run.status == 0, "\(run)")
            #expect(run.errorLines.isEmpty, "\(run)")
        case .audited:
            Issue.record("not an expectation for check")
        }
    }

    @Test("cors scan (the binary) ends with the right status and at most one line on stderr", arguments: cases)
    func scanBinary(_ hostile: Case) async throws {
        let run = try await Self.withServer(hostile) { url in
            try await CORSExecutable.run([
                "scan", url, "--trusted-origin", Self.origin, "--timeout", Self.timeout, "--max-requests", "20", "--rate", "1000",
            ])
        }
        Self.expectNoCrash(run)
        switch hostile.scan {
        case .failure(let keyword): Self.expectFailure(run, keyword)
        case .audited:
            #expect(run.status == 0 || run.status == 1, "\(run)")
            #expect(run.errorLines.isEmpty, "\(run)")
        case .blocked, .allowed:
            Issue.record("not an expectation for scan")
        }
    }

    /// A redirect loop across two origins (two servers sending the request to each other): the
    /// browser follows cross-origin redirects too, with `Origin: null` after the first.
    @Test("cors check and cors scan end on a cross-origin redirect loop")
    func crossOriginRedirectLoop() async throws {
        let other = NIOLockedPort()
        let first = try await HostileServer.start { _, _ in
            [.send(HostileServer.http(Self.redirectHead + "Location: http://127.0.0.1:\(other.value)/me\n\n")), .close]
        }
        let second = try await HostileServer.start { _, _ in
            [.send(HostileServer.http(Self.redirectHead + "Location: http://127.0.0.1:\(first.port)/me\n\n")), .close]
        }
        other.value = second.port
        let url = "\(first.baseURL)/me"
        let check: CORSExecutable.Run
        let scan: CORSExecutable.Run
        do {
            check = try await CORSExecutable.run(["check", url, "--origin", Self.origin, "--timeout", Self.timeout])
            scan = try await CORSExecutable.run([
                "scan", url, "--trusted-origin", Self.origin, "--timeout", Self.timeout, "--max-requests", "20",
                "--rate", "1000",
            ])
        } catch {
            await first.stop()
            await second.stop()
            throw error
        }
        await first.stop()
        await second.stop()
        Self.expectNoCrash(check)
        #expect(check.status == 1, "\(check)")
        #expect(check.errorLines.isEmpty, "\(check)")
        #expect(check.standardOutput.contains("ERR_TOO_MANY_REDIRECTS"), "\(check)")
        #expect(first.connectionCount + second.connectionCount >= 20)
        Self.expectNoCrash(scan)
        #expect(scan.status == 0 || scan.status == 1, "\(scan)")
        #expect(scan.errorLines.isEmpty, "\(scan)")
    }

    // MARK: Helpers

    /// Runs `body` with the URL of a server playing `hostile`, and stops the server afterwards.
    static func withServer<T>(_ hostile: Case, _ body: (String) async throws -> T) async throws -> T {
        let server = try await HostileServer.start(trigger: hostile.trigger, hostile.script)
        let url = "\(hostile.scheme)://127.0.0.1:\(server.port)\(hostile.path)"
        do {
            let result = try await body(url)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    static func expectNoCrash(_ run: CORSExecutable.Run, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.exited, "cors died of a signal: \(run)", sourceLocation: sourceLocation)
        #expect(!run.standardError.contains("Fatal error"), "\(run)", sourceLocation: sourceLocation)
    }

    static func expectFailure(_ run: CORSExecutable.Run, _ keyword: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 2, "\(run)", sourceLocation: sourceLocation)
        #expect(run.errorLines.count == 1, "expected exactly one line on stderr: \(run)", sourceLocation: sourceLocation)
        let line = run.errorLines.first ?? ""
        #expect(line.hasPrefix("cors: "), "\(run)", sourceLocation: sourceLocation)
        #expect(line.localizedCaseInsensitiveContains(keyword), "'\(keyword)' not in: \(line)", sourceLocation: sourceLocation)
    }
}

/// A port known only after the server that redirects to it has started.
final class NIOLockedPort: Sendable {
    private let box = NIOLockedValueBox(0)
    var value: Int {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }
}
