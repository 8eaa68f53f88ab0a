import CORSBrowserModel
import Foundation
import CORSTestSupport
import Testing

@testable import CORSCommandLine

/// `cors explain`: console text from any engine, HAR files, and unreadable input.
@Suite("cors explain")
struct ExplainCommandTests {
    static let sample: [ConsolePlaceholder: String] = [
        .url: "https://api.example.com/v1/me", .initialURL: "https://old.example.com/me", .origin: "https://app.example.com",
        .status: "500", .value: "https://other.example", .method: "PATCH", .header: "x-api-key", .token: "PUT DELETE",
        .location: "https://api.example.com/login", .kind: "fetch", .api: "Fetch API",
    ]

    func explain(_ arguments: [String], stdin: String = "") throws -> ExplainReport {
        let command = try ExplainCommand.parse(arguments)
        return try command.explain(standardInput: { () throws(ToolFailure) -> String in stdin })
    }

    func failure(_ arguments: [String], stdin: String = "") throws -> String? {
        let command = try ExplainCommand.parse(arguments)
        do {
            _ = try command.explain(standardInput: { () throws(ToolFailure) -> String in stdin })
            return nil
        } catch {
            return error.description
        }
    }

    @Test("Every catalogue line of every engine is read as that engine's message, with its causes")
    func everyCatalogueLine() throws {
        for message in ConsoleMessageReader.allMessages where message.role != .followUp {
            for template in message.templates {
                var values = Self.sample
                if template.text.contains("XMLHttpRequest") { values[.kind] = "XMLHttpRequest" }
                let line = template.render(values)
                let report = try explain(["--message", line])
                let finding = try #require(report.findings.first, "\(message.id)")
                #expect(finding.engine == message.engine, "\(message.id)")
                #expect(finding.messageID == message.id, "\(line)")
                #expect(report.exitCode == (message.role == .warning ? 0 : 1), "\(message.id)")
                if message.id != "redirectDenied" {
                    #expect(
                        Set(finding.causes.map { $0.reason.rawValue.replacingOccurrences(of: "Preflight", with: "") })
                            == Set(message.causes.map { $0.rawValue.replacingOccurrences(of: "Preflight", with: "") })
                            || message.id == "preflightNotSuccessful",
                        "\(message.id)")
                }
            }
        }
    }

    @Test("A Firefox line: the reason with its MDN name, both candidate responses and the probe; the follow-up line decides")
    func firefoxLine() throws {
        let line =
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8080/me. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403."
        let report = try explain(["--message", line])
        #expect(report.exitCode == 1)
        #expect(
            report.text().split(separator: "\n").map(String.init) == [
                "cors explain: 1 message read, 1 blocked request",
                "[1] Firefox: CORSMissingAllowOrigin",
                "    Reason:  CORS header ‘Access-Control-Allow-Origin’ missing",
                "    URL:     http://127.0.0.1:8080/me",
                "    Origin:  not in the message",
                "    Status:  403",
                "    MDN:     https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin",
                "    Cause:   MissingAllowOriginHeader (preflight or response): The response carries no Access-Control-Allow-Origin header. Send the page's origin in it; if this was an error response (404, 500), make sure the CORS layer also runs for errors.",
                "    Decide:  Firefox does not say whether the preflight or the actual response failed: the line \"(Reason: CORS request did not succeed). Status code: (null).\" right after it means the preflight (or, with a 3xx status, a redirect). `cors check` sends both and shows which.",
                "    Unknown: Firefox's line does not name the page's origin: put it in place of PAGE_ORIGIN.",
                "    Next:    cors check http://127.0.0.1:8080/me --origin PAGE_ORIGIN --browser firefox",
            ])
        let pasted = line
            + "\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8080/me. (Reason: CORS request did not succeed). Status code: (null).\n"
        let decided = try explain([], stdin: pasted)
        #expect(decided.findings.count == 1)
        #expect(decided.findings[0].causes.map(\.reason) == [.preflightMissingAllowOriginHeader])
        #expect(decided.findings[0].decidingProbe == nil)
    }

    @Test("A WebKit pair from Safari's console: URL from the follow-up line, the causes it cannot tell apart, the probe")
    func webkitPair() throws {
        let pasted = """
            [Error] Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 500
            [Error] Fetch API cannot load http://127.0.0.1:8080/boom due to access control checks.
            [Error] Failed to load resource: Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 500 (boom, line 0)
            """
        let report = try explain([], stdin: pasted)
        #expect(report.exitCode == 1)
        let finding = try #require(report.findings.first)
        #expect(finding.engine == .webkit)
        #expect(finding.url == "http://127.0.0.1:8080/boom")
        #expect(finding.origin == "http://localhost:5173")
        #expect(
            finding.causes.map(\.reason) == [
                .missingAllowOriginHeader, .allowOriginMismatch, .invalidAllowOriginValue,
            ])
        #expect(finding.decidingProbe?.hasPrefix("Status 500: most likely an error page without CORS headers") == true)
        #expect(finding.command == "cors check http://127.0.0.1:8080/boom --origin http://localhost:5173 --browser webkit")
    }

    @Test("A Chromium method line gives the method to the reproducing command; a 302 WebKit preflight is a redirect")
    func commands() throws {
        let chromium = try explain([
            "--message",
            "Access to XMLHttpRequest at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.",
        ])
        #expect(chromium.findings[0].command == "cors check https://api.example.com/x --origin https://app.example.com --method PATCH --browser chromium")
        let webkit = try explain([
            "--message",
            "Preflight response is not successful. Status code: 302\nFetch API cannot load https://api.example.com/x due to access control checks.",
        ])
        #expect(webkit.findings[0].causes.map(\.reason) == [.preflightDisallowedRedirect])
    }

    @Test("Text in no known format: one line naming the closest known message")
    func unknownText() throws {
        #expect(
            try failure(["--message", "CORS error: the Access-Control-Allow-Origin header is missing from the response"])
                == "no known CORS console message in the input; the closest known message is Chromium MissingAllowOriginHeader: \"Access to {kind} at '{url}' from origin '{origin}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\""
        )
        #expect(try failure([], stdin: "  \n") == "no console text to explain: the input is empty")
    }

    // MARK: HAR

    static func harDocument(creator: String = "WebInspector", entries: [String]) -> String {
        """
        {"log": {"version": "1.2", "creator": {"name": "\(creator)", "version": "1"},
        "pages": [{"id": "page_1", "title": "http://localhost:5173/"}],
        "entries": [\(entries.joined(separator: ","))]}}
        """
    }

    static func harEntry(
        method: String, url: String, requestHeaders: [(String, String)], status: Int, responseHeaders: [(String, String)] = [],
        initiator: String = "script", error: String? = nil
    ) -> String {
        func list(_ headers: [(String, String)]) -> String {
            headers.map { #"{"name": "\#($0.0)", "value": "\#($0.1)"}"# }.joined(separator: ",")
        }
        return """
            {"startedDateTime": "2026-11-29T20:00:00.000Z", "time": 1, "_initiator": {"type": "\(initiator)"},
             \(error.map { #""_error": "\#($0)","# } ?? "")
             "request": {"method": "\(method)", "url": "\(url)", "httpVersion": "HTTP/1.1", "headers": [\(list(requestHeaders))], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
             "response": {"status": \(status), "statusText": "", "httpVersion": "HTTP/1.1", "headers": [\(list(responseHeaders))], "cookies": [], "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
             "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}
            """
    }

    func writeTemporary(_ text: String, name: String = "trace.har") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cors-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("A Chrome HAR: the failed preflight is paired with its request and explained; the allowed request is not")
    func chromeHAR() throws {
        let api = "http://127.0.0.1:8080"
        let page = "http://localhost:5173"
        let har = Self.harDocument(entries: [
            Self.harEntry(
                method: "GET", url: "\(api)/ok", requestHeaders: [("Origin", page)], status: 200,
                responseHeaders: [("Access-Control-Allow-Origin", "*")]),
            Self.harEntry(
                method: "OPTIONS", url: "\(api)/me",
                requestHeaders: [("Origin", page), ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "x-api-key")],
                status: 204, responseHeaders: [("Access-Control-Allow-Origin", page), ("Access-Control-Allow-Methods", "PUT")],
                initiator: "preflight"),
            Self.harEntry(
                method: "PUT", url: "\(api)/me", requestHeaders: [("Origin", page), ("X-Api-Key", "k")], status: 0,
                error: "net::ERR_FAILED"),
            Self.harEntry(
                method: "GET", url: "\(api)/boom", requestHeaders: [("Origin", page)], status: 500,
                responseHeaders: [("Content-Type", "text/plain")]),
        ])
        let path = try writeTemporary(har)
        let report = try explain([path])
        #expect(report.exitCode == 1)
        #expect(report.harSummary?.entries == 4)
        #expect(report.harSummary?.crossOrigin == 3)
        #expect(report.harSummary?.blocked == 2)
        #expect(report.harSummary?.allowed == 1)
        #expect(report.findings.map(\.messageID) == ["HeaderDisallowedByPreflightResponse", "MissingAllowOriginHeader"])
        #expect(report.findings[0].command == "cors check \(api)/me --origin \(page) --method PUT -H 'x-api-key: k' --browser chromium"
            || report.findings[0].command == "cors check \(api)/me --origin \(page) --method PUT -H 'x-api-key: 1' --browser chromium")
        #expect(
            report.findings[1].lines == [
                "Access to fetch at '\(api)/boom' from origin '\(page)' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
            ])
        #expect(report.unknowns.first?.hasPrefix("The export carries no Cookie, Set-Cookie or Authorization header") == true)
        #expect(report.text().hasPrefix("cors explain \(path): 4 entries, 3 cross-origin requests, 1 preflights; 2 blocked, 1 allowed"))
    }

    @Test("A Firefox HAR: the engine's own words for the failure")
    func firefoxHAR() throws {
        let har = Self.harDocument(creator: "Firefox", entries: [
            Self.harEntry(
                method: "GET", url: "http://127.0.0.1:8080/me", requestHeaders: [("Origin", "http://localhost:5173")], status: 200,
                responseHeaders: [("Access-Control-Allow-Origin", "http://localhost:5173/")])
        ])
        let report = try explain([try writeTemporary(har)])
        #expect(report.findings.map(\.messageID) == ["CORSAllowOriginNotMatchingOrigin"])
        #expect(
            report.findings[0].lines == [
                "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8080/me. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://localhost:5173/’)."
            ])
        let clean = Self.harDocument(entries: [
            Self.harEntry(
                method: "GET", url: "http://127.0.0.1:8080/me", requestHeaders: [("Origin", "http://localhost:5173")], status: 200,
                responseHeaders: [("Access-Control-Allow-Origin", "*")])
        ])
        #expect(try explain([try writeTemporary(clean)]).exitCode == 0)
    }

    @Test("A HAR recorded from real Chromium on the zoo (Tests/EngineFixtures/har): every blocked request explained, no allowed one")
    func recordedChromiumHAR() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EngineFixtures/har/chromium-zoo.har").path
        let report = try explain([path])
        #expect(report.exitCode == 1)
        #expect(report.harSummary?.allowed == 2)
        #expect(
            report.findings.map(\.messageID) == [
                "MissingAllowOriginHeader", "WildcardOriginNotAllowed", "MissingAllowOriginHeader",
                "MethodDisallowedByPreflightResponse", "PreflightMissingAllowOriginHeader", "HeaderDisallowedByPreflightResponse",
                "MissingAllowOriginHeader",
            ])
        #expect(report.findings.allSatisfy { !($0.url ?? "").contains("acao-exact") && !($0.url ?? "").contains("preflight-ok") })
    }

    @Test("Bad input: one line naming the problem (in-process and from the binary, exit 2)")
    func badInput() async throws {
        let notJSON = try writeTemporary("this is not json")
        let truncated = try writeTemporary(String(Self.harDocument(entries: []).dropLast(5)))
        let notHAR = try writeTemporary(#"{"entries": []}"#)
        let oversized = try writeTemporary("", name: "huge.har")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: oversized))
        try handle.truncate(atOffset: UInt64(64 << 20) + 1)
        try handle.close()
        let expected = [
            (notJSON, "\(notJSON) is not a HAR file: it is not JSON"),
            (truncated, "\(truncated) is not valid JSON: it is truncated or corrupted"),
            (notHAR, "\(notHAR) is not a HAR file: it has no log.entries array"),
            (oversized, "\(oversized) is 67108865 bytes, above the 64 MiB limit for a HAR file: export only the failing requests (filter the Network panel first)"),
            ("/nonexistent/trace.har", "cannot read /nonexistent/trace.har: no such file"),
        ]
        for (path, line) in expected {
            #expect(try failure([path]) == line)
            let run = try await CORSExecutable.run(["explain", path])
            #expect(run.status == 2)
            #expect(run.standardError == "cors: \(line)\n")
            #expect(run.standardOutput.isEmpty)
        }
        let unknown = try await CORSExecutable.run(["explain", "--message", "something went wrong"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.hasPrefix("cors: no known CORS console message in the input; the closest known message is "))
    }

    @Test("The binary: a WebKit line on standard input, exit 1; --json is one document")
    func binary() async throws {
        let run = try await CORSExecutable.run([
            "explain", "--json", "--message",
            "Request header field X-Api-Key is not allowed by Access-Control-Allow-Headers.\nFetch API cannot load http://127.0.0.1:8080/me due to access control checks.",
        ])
        #expect(run.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let finding = try #require((json["findings"] as? [[String: Any]])?.first)
        #expect(finding["engine"] as? String == "webkit")
        #expect(finding["message"] as? String == "headerNotAllowed")
        #expect(finding["command"] as? String == "cors check http://127.0.0.1:8080/me --origin PAGE_ORIGIN -H 'X-Api-Key: 1' --browser webkit")
    }
}
