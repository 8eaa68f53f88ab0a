import CORSTestSupport
import Foundation
import Testing

/// `cors demo` as a person runs it, in headless Chromium: the page on `--frontend-port` is
/// trusted by the tutorial's policy, every allowed scenario is green, and every blocked one shows
/// its reason and fix on the page itself. With a policy that does not trust the page, the demo
/// says so at start-up and on the page.
@Suite("cors demo's page in Chromium", .serialized, .timeLimit(.minutes(3)))
struct DemoPageBrowserTests {
    /// A running `cors demo` process, stopped with SIGTERM.
    struct Demo {
        let process: Process
        let apiPort: Int
        let pagePort: Int
        let standardError: URL

        static func start(_ extraArguments: [String] = []) async throws -> Demo {
            let (apiPort, pagePort) = (try LoopbackPort.free(), try LoopbackPort.free())
            let standardError = FileManager.default.temporaryDirectory.appendingPathComponent("cors-demo-\(UUID().uuidString).err")
            _ = FileManager.default.createFile(atPath: standardError.path, contents: nil)
            let process = Process()
            process.executableURL = try CORSExecutable.url()
            process.arguments = ["demo", "--port", "\(apiPort)", "--frontend-port", "\(pagePort)"] + extraArguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: standardError)
            try process.run()
            let demo = Demo(process: process, apiPort: apiPort, pagePort: pagePort, standardError: standardError)
            for _ in 0..<300 where !(LoopbackPort.accepts(apiPort) && LoopbackPort.accepts(pagePort)) {
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            guard LoopbackPort.accepts(apiPort), LoopbackPort.accepts(pagePort) else {
                demo.stop()
                throw LoopbackPort.Failure(description: "cors demo did not start: \(demo.errors)")
            }
            return demo
        }

        var errors: String { (try? String(contentsOf: standardError, encoding: .utf8)) ?? "" }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    /// Loads the page and waits until every scenario has run; returns the page's results.
    static func results(of demo: Demo, in browser: Browser) async throws -> (results: [JSONValue], warning: String?) {
        let page = try await browser.openPage("http://localhost:\(demo.pagePort)/")
        defer { Task { await page.close() } }
        for _ in 0..<300 {
            if try await page.evaluate("document.title").string == "swift-cors demo: done" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let results = try await page.evaluate("window.results").array ?? []
        let warning = try await page.evaluate(
            "document.getElementById('warning').hidden ? null : document.getElementById('warning').textContent")
        return (results, warning.string)
    }

    @Test("--frontend-port: the tutorial's policy trusts the page; allowed scenarios green, blocked ones explained")
    func movedFrontendPort() async throws {
        let demo = try await Demo.start()
        defer { demo.stop() }
        let browser = try await Browser.launch()
        defer { Task { await browser.shutdown() } }
        let (results, warning) = try await Self.results(of: demo, in: browser)
        #expect(warning == nil)
        #expect(results.count == 9)
        for result in results {
            let name = result["name"]?.string ?? ""
            let expected = result["expected"]?.string ?? ""
            let shown = result["cls"]?.string
            #expect(shown == (expected.hasPrefix("allowed") ? "allowed" : "blocked"), "\(name): \(result)")
        }
        let patch = try #require(results.first { $0["name"]?.string?.hasPrefix("PATCH") == true })
        #expect(
            patch["reason"]?.string
                == "Access to fetch at 'http://localhost:\(demo.apiPort)/me' from origin 'http://localhost:\(demo.pagePort)' has been blocked by CORS policy: Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.")
        #expect((patch["fixes"]?.array ?? []).contains { $0.string?.contains("PATCH") == true })
        let header = try #require(results.first { $0["name"]?.string?.contains("X-Custom") == true })
        #expect(header["reason"]?.string?.hasSuffix("Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.") == true)
        #expect(!demo.errors.contains("does not trust"))
    }

    @Test("a policy that does not trust the page: a warning at start-up and on the page")
    func untrustedPage() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cors-demo-policy-\(UUID().uuidString).json")
        try Data(#"{"allowOrigins": ["https://app.example.com"], "allowMethods": ["PUT"]}"#.utf8).write(to: file)
        let demo = try await Demo.start(["--policy", file.path])
        defer { demo.stop() }
        let browser = try await Browser.launch()
        defer { Task { await browser.shutdown() } }
        let (results, warning) = try await Self.results(of: demo, in: browser)
        let expected =
            "warning: the policy does not trust the demo page's origin http://localhost:\(demo.pagePort), so the browser blocks every scenario; add \"http://localhost:\(demo.pagePort)\" to allowOrigins, or pass --frontend-port with a port it trusts."
        #expect(warning == expected)
        #expect(demo.errors.contains(expected))
        #expect(results.allSatisfy { $0["cls"]?.string == "blocked" })
        let (sockets, fetches) = (
            results.filter { $0["name"]?.string?.hasPrefix("WebSocket") == true },
            results.filter { $0["name"]?.string?.hasPrefix("WebSocket") != true }
        )
        #expect(fetches.allSatisfy { $0["reason"]?.string?.contains("No 'Access-Control-Allow-Origin' header") == true })
        #expect(sockets.count == 1)
        #expect(sockets.allSatisfy { $0["reason"]?.string?.hasPrefix("The API's WebSocket origin guard answers 403") == true })
    }
}
