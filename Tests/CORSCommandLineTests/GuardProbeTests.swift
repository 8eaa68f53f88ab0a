import CORS
import CORSBrowserModel
import Foundation
import HTTPTypes
import Testing
import Vapor

@testable import CORSCommandLine
import CORSTestSupport

/// `cors check --websocket` and `cors scan --websocket PATH --state-changing METHOD:PATH` against
/// real servers: aiohttp written the tutorial way (a socket that never looks at the Origin, a form
/// handler without cross-origin protection) and with the fixes `cors` gives for aiohttp; Vapor
/// with the same routes and no guard; and `cors demo`'s API with its guards on. Each
/// misconfiguration is found, each correct instance is clean, and every SARIF is schema-checked.
@Suite("cors check --websocket and cors scan's guard probes against real servers", .serialized)
struct GuardProbeTests {
    static let aiohttpTrusted = "https://app.example.test"
    static let demoTrusted = "http://localhost:5173"

    // MARK: Servers

    /// `Tests/ScanStacks/aiohttp_guards_app.py MODE PORT` (open or guarded).
    static func withAiohttp(_ mode: String, _ body: (Int) async throws -> Void) async throws {
        let port = try DemoReloadTests.freePort()
        let (python, prefix) = FastAPIServer.python()
        let server = try await ScanChildServer.start(
            "aiohttp (\(mode))", executable: python.path,
            arguments: prefix + [ScanRealStackTests.stacks.appendingPathComponent("aiohttp_guards_app.py").path, mode, String(port)],
            port: port, environment: ["PYTHONDONTWRITEBYTECODE": "1"])
        defer { server.stop() }
        try await body(port)
    }

    /// Vapor with GET /api/me, POST /transfer (form, session cookie) and an echo socket at /ws,
    /// and neither WebSocketOriginGuardMiddleware nor CrossOriginProtectionMiddleware.
    static func withOpenVapor(_ body: (Int) async throws -> Void) async throws {
        let port = try DemoReloadTests.freePort()
        let app = try await Application.make(.testing, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        app.get("api", "me") { _ -> String in DemoAPI.meBody }
        app.on(.POST, "transfer", body: .collect(maxSize: 4096)) { request -> Vapor.Response in
            let answer = DemoAPI.transfer(cookieHeader: request.headers[.cookie].joined(separator: "; "), form: request.body.string ?? "")
            return Vapor.Response(status: .init(statusCode: answer.status), body: .init(string: answer.body))
        }
        app.webSocket("ws") { _, socket in
            socket.onText { socket, text in socket.send(text) }
        }
        do {
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            try await body(port)
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    // MARK: cors scan

    struct Scan {
        var status: Int32
        var requests: Int
        var findings: [[String: Any]]
        var notes: [String]
        var sarif: [String: Any]
        var output: String

        var summary: [String] {
            findings.map { "\($0["severity"] as? String ?? "") \($0["axis"] as? String ?? "") \($0["code"] as? String ?? "")" }
        }

        /// ``summary`` of the two guard classes only (a server without any CORS layer has
        /// breakage findings of its own).
        var guardSummary: [String] {
            summary.filter { $0.hasSuffix(" websocket-origin") || $0.hasSuffix(" csrf-unprotected") }
        }
    }

    /// `cors scan URL --trusted-origin T --json --sarif FILE EXTRA…`, the SARIF validated.
    static func scan(_ url: String, trusted: String, _ extra: [String]) async throws -> Scan {
        let sarif = FileManager.default.temporaryDirectory.appendingPathComponent("guard-probes-\(UUID()).sarif").path
        defer { try? FileManager.default.removeItem(atPath: sarif) }
        let run = try await CORSExecutable.run(["scan", url, "--trusted-origin", trusted, "--json", "--sarif", sarif] + extra)
        let document = try checkParseJSON(run.standardOutput)
        let target = try #require((document["targets"] as? [[String: Any]])?.first, "\(run)")
        try SARIFSchema.validate(file: sarif)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any])
        return Scan(
            status: run.status, requests: target["requests"] as? Int ?? 0, findings: target["findings"] as? [[String: Any]] ?? [],
            notes: target["notes"] as? [String] ?? [], sarif: log, output: run.standardOutput + run.standardError)
    }

    static let routes = ["--websocket", "/ws", "--state-changing", "POST:/transfer"]

    @Test("aiohttp, no Origin check and no CSRF protection: websocket-origin and csrf-unprotected, both high with the session cookie; SARIF with CWE-1385 and CWE-352")
    func aiohttpOpen() async throws {
        try await Self.withAiohttp("open") { port in
            let scan = try await Self.scan(
                "http://127.0.0.1:\(port)/api/me", trusted: Self.aiohttpTrusted, Self.routes + ["--cookie", "session=alice"])
            #expect(scan.status == 1)
            #expect(scan.summary == ["high exposure websocket-origin", "high exposure csrf-unprotected"], "\(scan.output)")
            let socket = try #require(scan.findings.first)
            #expect((socket["probeOrigin"] as? String)?.hasPrefix("http://cors-probe-") == true)
            let evidence = try #require((socket["evidence"] as? [[String: Any]])?.first)
            #expect(evidence["status"] as? Int == 101)
            #expect(evidence["target"] as? String == "/ws")
            #expect((socket["fix"] as? String)?.hasPrefix(
                #"aiohttp: if request.headers.get("Origin") not in {..., "https://app.example.test"}: raise web.HTTPForbidden()  # before ws.prepare(request)"#) == true,
                "\(socket["fix"] ?? "")")
            let form = try #require(scan.findings.last)
            let formEvidence = try #require((form["evidence"] as? [[String: Any]])?.first)
            #expect(formEvidence["status"] as? Int == 200)
            #expect(formEvidence["method"] as? String == "POST")
            #expect((form["explanation"] as? String)?.contains("reached the route: 200") == true)
            #expect((form["fix"] as? String)?.hasPrefix("aiohttp: @web.middleware async def csrf(request, handler):") == true)

            let run = try #require((scan.sarif["runs"] as? [[String: Any]])?.first)
            let results = try #require(run["results"] as? [[String: Any]])
            #expect(results.map { $0["ruleId"] as? String } == ["websocket-origin", "csrf-unprotected"])
            for result in results {
                let properties = try #require(result["properties"] as? [String: Any])
                #expect(properties["security-severity"] as? String == "8.1")
                #expect((result["webRequest"] as? [String: Any])?["headers"] != nil)
            }
            #expect((results[0]["webResponse"] as? [String: Any])?["statusCode"] as? Int == 101)
            let rules = try #require((run["tool"] as? [String: Any]).flatMap { $0["driver"] as? [String: Any] }?["rules"] as? [[String: Any]])
            let socketRule = try #require(rules.first { $0["id"] as? String == "websocket-origin" })
            let socketTags = ((socketRule["properties"] as? [String: Any])?["tags"] as? [String]) ?? []
            #expect(socketTags.contains("CWE-1385") && socketTags.contains("external/cwe/cwe-1385"), "\(socketTags)")
            #expect(((socketRule["help"] as? [String: String])?["markdown"])?.contains("CWE-1385") == true)
            let formRule = try #require(rules.first { $0["id"] as? String == "csrf-unprotected" })
            #expect(((formRule["properties"] as? [String: Any])?["tags"] as? [String])?.contains("CWE-352") == true)
            #expect((formRule["properties"] as? [String: Any])?["security-severity"] as? String == "8.1")
        }
    }

    @Test("aiohttp with the fixes cors gives for it: no finding, exit 0")
    func aiohttpGuarded() async throws {
        try await Self.withAiohttp("guarded") { port in
            let scan = try await Self.scan(
                "http://127.0.0.1:\(port)/api/me", trusted: Self.aiohttpTrusted, Self.routes + ["--cookie", "session=alice"])
            #expect(scan.status == 0, "\(scan.output)")
            #expect(scan.summary == [])
            #expect(!scan.notes.contains { $0.contains("/ws") || $0.contains("/transfer") }, "\(scan.notes)")
        }
    }

    @Test("Vapor without guards: websocket-origin (medium without a cookie, high with it) and csrf-unprotected once the session is sent")
    func openVapor() async throws {
        try await Self.withOpenVapor { port in
            let url = "http://127.0.0.1:\(port)/api/me"
            let anonymous = try await Self.scan(url, trusted: Self.demoTrusted, Self.routes)
            #expect(anonymous.status == 1)
            #expect(anonymous.guardSummary == ["medium exposure websocket-origin"], "\(anonymous.output)")
            #expect(
                anonymous.notes.contains(
                    "the cross-site form POST /transfer got 401: the route needs a session; pass one with --cookie to find out whether a cross-site form runs as the user"),
                "\(anonymous.notes)")
            let fix = (anonymous.findings.first { $0["code"] as? String == "websocket-origin" }?["fix"] as? String) ?? ""
            #expect(fix.hasPrefix("swift-cors: WebSocketOriginGuard refuses upgrades"), "\(fix)")
            #expect(fix.contains("Any stack: check the Origin of every upgrade request"), "\(fix)")

            let session = try await Self.scan(url, trusted: Self.demoTrusted, Self.routes + ["--cookie", "session=alice"])
            #expect(session.guardSummary == ["high exposure websocket-origin", "high exposure csrf-unprotected"], "\(session.output)")
        }
    }

    @Test("cors demo with its guards on: neither class, exit 0, even with the session cookie")
    func guardedDemo() async throws {
        try await withCheckDemo(policy: .tutorial) { server in
            let scan = try await Self.scan(
                "\(server.baseURL)/me", trusted: Self.demoTrusted, Self.routes + ["--cookie", "session=alice"])
            #expect(scan.status == 0, "\(scan.output)")
            #expect(scan.summary == [])
            #expect(!scan.notes.contains { $0.contains("/ws") || $0.contains("/transfer") }, "\(scan.notes)")
        }
    }

    @Test("cors demo --framework vapor with its guards on: neither class; check --websocket names the origin guard's refusal")
    func guardedVaporDemo() async throws {
        let port = try DemoReloadTests.freePort()
        let server = Task { try await runVaporDemoAPI(policy: .tutorial, host: "127.0.0.1", port: port) }
        defer { server.cancel() }
        try await DemoReloadTests.waitUntilServing(port: port)
        let scan = try await Self.scan(
            "http://127.0.0.1:\(port)/me", trusted: Self.demoTrusted, Self.routes + ["--cookie", "session=alice"])
        #expect(scan.status == 0, "\(scan.output)")
        #expect(scan.summary == [])
        #expect(!scan.notes.contains { $0.contains("/ws") || $0.contains("/transfer") }, "\(scan.notes)")

        let refused = try await runCheck(["ws://127.0.0.1:\(port)/ws", "--origin", "https://evil.example"])
        #expect(refused.exitCode == 1)
        let lines = Self.lines(refused)
        #expect(lines.contains("Verdict: REFUSED — origin-not-trusted (403)"), "\(refused.output)")
        #expect(lines.contains("      body: Forbidden: WebSocket upgrade refused (the origin is not trusted)"), "\(refused.output)")
        let accepted = try await runCheck(["ws://127.0.0.1:\(port)/ws", "--origin", Self.demoTrusted])
        #expect(accepted.exitCode == 0, "\(accepted.output)")
        server.cancel()
        _ = await server.result
    }

    @Test("--max-requests holds with the route probes, which keep their requests; --rate paces them too")
    func boundsHold() async throws {
        try await Self.withOpenVapor { port in
            let started = ContinuousClock.now
            let scan = try await Self.scan(
                "http://127.0.0.1:\(port)/api/me", trusted: Self.demoTrusted,
                Self.routes + ["--cookie", "session=alice", "--max-requests", "13", "--rate", "5"])
            let elapsed = ContinuousClock.now - started
            // 10 for the origin probes, 3 kept for the routes: the upgrade (accepted, so no control
            // upgrade follows) and the form.
            #expect(scan.requests == 12, "\(scan.output)")
            #expect(scan.guardSummary == ["high exposure websocket-origin", "high exposure csrf-unprotected"], "\(scan.output)")
            // 12 requests at 5 per second: 11 intervals of 0.2 s after the first.
            #expect(elapsed >= .milliseconds(2200), "\(elapsed)")
        }
    }

    @Test("Bad route arguments exit 2 with one line")
    func badArguments() async throws {
        let url = "http://127.0.0.1:9/me"
        for (arguments, expected) in [
            (["--state-changing", "GET:/me"], "The value 'GET:/me' is invalid for '--state-changing <METHOD:PATH>'"),
            (["--websocket", "ws"], "--websocket ws is not a path"),
            (["--cookie", "session=alice"], "--cookie is sent only by the --websocket and --state-changing probes"),
            (["--websocket", "/ws", "--max-requests", "11"], "--max-requests must be at least 10, plus 2 per --websocket"),
        ] {
            let run = try await CORSExecutable.run(["scan", url] + arguments)
            #expect(run.status == 2, "\(arguments): \(run)")
            #expect(run.errorLines.first?.contains(expected) == true, "\(arguments): \(run.errorLines)")
        }
    }

    // MARK: cors check --websocket

    /// The lines of a text result, for exact comparisons.
    static func lines(_ result: CheckCommandResult) -> [String] {
        result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("check --websocket on cors demo: an untrusted page is refused by the origin guard, the server's own origin is not, the trusted page is accepted")
    func checkDemo() async throws {
        try await withCheckDemo(policy: .tutorial) { server in
            let refused = try await runCheck(["ws://127.0.0.1:\(server.port)/ws", "--origin", "https://evil.example"])
            #expect(refused.exitCode == 1, "\(refused.output)")
            let lines = Self.lines(refused)
            #expect(lines[0] == "cors check --websocket: ws://127.0.0.1:\(server.port)/ws")
            #expect(lines[1] == "  from a page on https://evil.example: new WebSocket(\"ws://127.0.0.1:\(server.port)/ws\")")
            #expect(lines[3] == "[1] WebSocket upgrade  GET http://127.0.0.1:\(server.port)/ws")
            #expect(Array(lines[5...8]) == ["      Connection: Upgrade", "      Upgrade: websocket", "      Origin: https://evil.example", "      Sec-WebSocket-Version: 13"])
            #expect(lines.contains("    ← 403 Forbidden"))
            #expect(lines.contains("      body: Forbidden: WebSocket upgrade refused (the origin is not trusted)"))
            #expect(lines.contains("    ✗ status 403, not 101 Switching Protocols: the server did not upgrade"))
            #expect(lines.contains("[2] The same upgrade from the server's own origin  GET http://127.0.0.1:\(server.port)/ws"))
            #expect(lines.contains("      Origin: http://127.0.0.1:\(server.port)"))
            #expect(lines.contains("    ✓ Upgrade: websocket and Sec-WebSocket-Accept matches the key: the socket is open"))
            #expect(lines.contains("Verdict: REFUSED — origin-not-trusted (403)"))
            #expect(
                lines.contains(
                    "Why:     The server refused the upgrade from https://evil.example with 403 Forbidden: its WebSocket origin check does not trust https://evil.example (the same upgrade from the server's own origin http://127.0.0.1:\(server.port) was accepted). Its body: \"Forbidden: WebSocket upgrade refused (the origin is not trusted)\". The page's socket only gets an error event and a close with code 1006; it cannot see the status."
                ), "\(refused.output)")
            #expect(
                lines.contains(
                    "  - If https://evil.example is your frontend, trust it: add \"https://evil.example\" to the origins the check allows (in swift-cors, allowOrigins of the CORS policy: WebSocketOriginGuard trusts exactly the policy's origins, so one list governs reads, writes and sockets)."
                ))
            #expect(lines.contains("  - If it is not: nothing to fix. This refusal is what keeps a page on another site from opening a socket as your users."))
            #expect(
                lines.contains(
                    "Note: WebSockets are not subject to CORS: a browser never preflights an upgrade and ignores Access-Control-* on the answer, and it sends the site's cookies with it. Only the server's own check of the Origin keeps a page on another site from opening a socket as the user (cross-site WebSocket hijacking, CWE-1385)."
                ))

            let accepted = try await runCheck(["http://127.0.0.1:\(server.port)/ws", "--websocket", "--origin", Self.demoTrusted])
            #expect(accepted.exitCode == 0, "\(accepted.output)")
            let acceptedLines = Self.lines(accepted)
            #expect(acceptedLines.contains("    ← 101 Switching Protocols"))
            #expect(acceptedLines.contains("    ✓ status 101 Switching Protocols"))
            #expect(acceptedLines.contains("Verdict: ACCEPTED — the page gets an open socket (101)"))
            #expect(!acceptedLines.contains { $0.hasPrefix("[2]") })

            let json = try await runCheck(["ws://127.0.0.1:\(server.port)/ws", "--origin", "https://evil.example", "--json"])
            #expect(json.exitCode == 1)
            let document = try checkParseJSON(json.output)
            #expect(checkTopLevelKeys(json.output) == ["websocket", "verdict", "reason", "url", "origin", "status", "explanation", "fixes", "notes", "exchanges", "stack"])
            #expect(document["verdict"] as? String == "refused")
            #expect(document["reason"] as? String == "origin-not-trusted")
            #expect(document["status"] as? Int == 403)
            let exchanges = try #require(document["exchanges"] as? [[String: Any]])
            #expect(exchanges.map { $0["purpose"] as? String } == ["upgrade", "same-origin-control"])
            #expect(exchanges.map { $0["accepted"] as? Bool } == [false, true])
            #expect(((exchanges[0]["response"] as? [String: Any])?["body"] as? String) == "Forbidden: WebSocket upgrade refused (the origin is not trusted)")
        }
    }

    @Test("check --websocket on aiohttp: accepted from any origin without a check (with aiohttp's fix), refused once guarded, 404 off the route")
    func checkAiohttp() async throws {
        try await Self.withAiohttp("open") { port in
            let open = try await runCheck(["ws://127.0.0.1:\(port)/ws", "--origin", "https://evil.example"])
            #expect(open.exitCode == 0, "\(open.output)")
            let lines = Self.lines(open)
            #expect(lines.contains("Verdict: ACCEPTED — the page gets an open socket (101)"))
            #expect(lines.contains { $0.hasPrefix("Stack:   aiohttp, from Server: Python/") && $0.contains(" aiohttp/") }, "\(open.output)")
            #expect(lines.contains("If https://evil.example is not one of your frontends, any site can do the same (cross-site WebSocket hijacking): check the Origin before upgrading."))
            #expect(lines.contains(#"  - aiohttp: if request.headers.get("Origin") not in {..., "https://app.example.com"}: raise web.HTTPForbidden()  # before ws.prepare(request)"#), "\(open.output)")
            #expect(lines.contains("Note: cors scan URL --websocket PATH tries an upgrade from an origin nobody trusts."))

            let missing = try await runCheck(["ws://127.0.0.1:\(port)/nothere", "--origin", "https://evil.example"])
            #expect(missing.exitCode == 1)
            #expect(Self.lines(missing).contains("Verdict: REFUSED — not-found (404)"), "\(missing.output)")
        }
        try await Self.withAiohttp("guarded") { port in
            let guarded = try await runCheck(["ws://127.0.0.1:\(port)/ws", "--origin", "https://evil.example"])
            #expect(guarded.exitCode == 1)
            let lines = Self.lines(guarded)
            #expect(lines.contains("Verdict: REFUSED — origin-not-trusted (403)"), "\(guarded.output)")
            #expect(lines.contains("      body: origin not allowed"))
            #expect(lines.contains(#"  - aiohttp: if request.headers.get("Origin") not in {..., "https://evil.example"}: raise web.HTTPForbidden()  # before ws.prepare(request)"#), "\(guarded.output)")
            let trusted = try await runCheck(["ws://127.0.0.1:\(port)/ws", "--origin", Self.aiohttpTrusted])
            #expect(trusted.exitCode == 0, "\(trusted.output)")
        }
    }

    @Test("check --websocket judges the handshake as a browser: a wrong Sec-WebSocket-Accept and a redirect fail the socket")
    func checkHandshakeRules() async throws {
        let wrongAccept = CheckFakeExchanger { _ in
            checkReply(101, [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "AAAA")])
        }
        let invalid = try await runCheck(["ws://api.example.test/ws", "--origin", "https://app.example.test"], exchanger: wrongAccept)
        #expect(invalid.exitCode == 1)
        #expect(Self.lines(invalid).contains("Verdict: REFUSED — invalid-handshake (101)"), "\(invalid.output)")
        #expect(Self.lines(invalid).contains { $0.hasPrefix("    ✗ Sec-WebSocket-Accept is 'AAAA', not '") })

        let redirect = CheckFakeExchanger { _ in checkReply(301, [("Location", "wss://api.example.test/ws")]) }
        let moved = try await runCheck(["ws://api.example.test/ws", "--origin", "https://app.example.test"], exchanger: redirect)
        #expect(moved.exitCode == 1)
        #expect(Self.lines(moved).contains("Verdict: REFUSED — redirected (301)"))
        #expect(redirect.requests.count == 1)

        let good = CheckFakeExchanger { request throws(HTTPExchangeError) in
            let key = WebSocketHandshakeKey(value: request.headerFields[.secWebSocketKey] ?? "")
            return checkReply(101, [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", key.expectedAccept)])
        }
        let sameOrigin = try await runCheck(["wss://api.example.test/ws", "--origin", "https://api.example.test", "-H", "Cookie: session=alice"], exchanger: good)
        #expect(sameOrigin.exitCode == 0)
        #expect(Self.lines(sameOrigin).contains("Verdict: ACCEPTED — the page gets an open socket (101)"))
        #expect(good.requests.first?.scheme == "https")
        #expect(good.requests.first?.headerFields[.cookie] == "session=alice")
        #expect(!Self.lines(sameOrigin).contains { $0.hasPrefix("If ") })
    }

    @Test("The upgrade client is bounded: a server that never answers times out, an endless head stops at 16 KiB")
    func upgradeClientBounds() async throws {
        let silent = try CheckSilentSocket(listening: true)
        let started = ContinuousClock.now
        let timedOut = try await runCheck(["ws://127.0.0.1:\(silent.port)/ws", "--origin", "https://a.example", "--timeout", "1"])
        #expect(timedOut.exitCode == 2)
        #expect(timedOut.errorLine == "timeout: no response from 127.0.0.1:\(silent.port) within 1 s (GET http://127.0.0.1:\(silent.port)/ws)")
        #expect(ContinuousClock.now - started < .seconds(10))

        let port = try DemoReloadTests.freePort()
        let endless = """
            import socket
            server = socket.create_server(("127.0.0.1", \(port)))
            while True:
                connection, _ = server.accept()
                try:
                    connection.sendall(b"HTTP/1.1 101 Switching Protocols\\r\\n")
                    while True:
                        connection.sendall(b"X-Pad: " + b"a" * 1000 + b"\\r\\n")
                except OSError:
                    connection.close()
            """
        let server = try await ScanChildServer.start(
            "an endless response head", executable: "/usr/bin/python3", arguments: ["-c", endless], port: port)
        defer { server.stop() }
        let oversized = try await runCheck(["ws://127.0.0.1:\(port)/ws", "--origin", "https://a.example", "--timeout", "10"])
        #expect(oversized.exitCode == 2)
        #expect(
            oversized.errorLine
                == "network error: the response from 127.0.0.1:\(port) is not valid HTTP (its head is larger than 16 KiB) (GET http://127.0.0.1:\(port)/ws)")
    }

    @Test("The response reader: Content-Length, chunks and the end of the connection, up to the body limit")
    func responseReader() throws {
        var chunked = ResponseReader(isHead: false, bodyLimit: 1024)
        #expect(try chunked.consume(Array("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nno o".utf8)) == nil)
        let refusal = try #require(try chunked.consume(Array("\r\n6\r\nrigin!\r\n0\r\n\r\n".utf8)))
        #expect(refusal.status.code == 403 && refusal.status.reasonPhrase == "Forbidden")
        #expect(String(decoding: refusal.bodyPrefix, as: UTF8.self) == "no origin!")

        var interim = ResponseReader(isHead: false, bodyLimit: 4)
        let limited = try #require(
            try interim.consume(Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789".utf8)))
        #expect(limited.status.code == 200)
        #expect(limited.bodyPrefix == Array("0123".utf8) && limited.isBodyTruncated)

        var untilClose = ResponseReader(isHead: false, bodyLimit: 1024)
        #expect(try untilClose.consume(Array("HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\ngone".utf8)) == nil)
        let closed = try untilClose.finishAtClose()
        #expect(closed.status.code == 404 && closed.headerFields[.server] == "x")
        #expect(closed.bodyPrefix == Array("gone".utf8))

        var notHTTP = ResponseReader(isHead: false, bodyLimit: 1024)
        #expect(throws: ResponseReader.Malformed.self) { try notHTTP.consume(Array("SSH-2.0-OpenSSH_9.2\r\n\r\n".utf8)) }
    }

    @Test("The handshake key follows RFC 6455's example")
    func handshakeKey() {
        #expect(WebSocketHandshakeKey(value: "dGhlIHNhbXBsZSBub25jZQ==").expectedAccept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(WebSocketHandshakeKey.random().value.count == 24)
    }

    @Test("check --websocket: bad input and an unreachable server exit 2 with one line")
    func checkBadInput() async throws {
        let cases: [([String], String)] = [
            (["ws://127.0.0.1:9/ws", "--origin", "https://a.example", "--method", "POST"], "invalid --method 'POST' with --websocket: a WebSocket upgrade is always GET"),
            (["ws://127.0.0.1:9/ws", "--origin", "https://a.example", "-H", "X-Api-Key: 1"], "invalid --header 'X-Api-Key' with --websocket: a page's new WebSocket() sets no header; only Cookie (the browser's cookies for the site) and Sec-WebSocket-Protocol (its protocols argument) apply"),
            (["ws://127.0.0.1:9/ws", "--origin", "nowhere"], "invalid --origin: 'nowhere' is not an origin (scheme://host[:port], or null)"),
            (["ftp://127.0.0.1/ws", "--websocket", "--origin", "https://a.example"], "invalid URL: 'ftp://127.0.0.1/ws' is not a ws, wss, http or https URL"),
            (["ws://127.0.0.1:9/ws", "--origin", "https://a.example", "--browser", "firefox"], "--browser does not apply to --websocket: every engine sends the same upgrade and none applies CORS to it"),
            (["ws://127.0.0.1:9/ws", "--origin", "https://a.example", "--credentials", "include"], "--credentials does not apply to --websocket: a browser always sends the site's cookies with an upgrade (give them with -H 'Cookie: name=value')"),
        ]
        for (arguments, line) in cases {
            let result = try await runCheck(arguments)
            #expect(result.exitCode == 2)
            #expect(result.errorLine == line)
        }
        let closed = try CheckSilentSocket(listening: false)
        let refused = try await runCheck(["ws://127.0.0.1:\(closed.port)/ws", "--origin", "https://a.example", "--timeout", "5"])
        #expect(refused.exitCode == 2)
        #expect(refused.errorLine?.hasPrefix("connection refused: ") == true, "\(refused.errorLine ?? "")")
        #expect(refused.errorLine?.hasSuffix("(GET http://127.0.0.1:\(closed.port)/ws)") == true, "\(refused.errorLine ?? "")")
    }
}
