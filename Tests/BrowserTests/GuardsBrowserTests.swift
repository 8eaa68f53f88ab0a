import CORS
@testable import CORSCommandLine
import Foundation
import Hummingbird
import Logging
import Testing

/// The guards of `cors demo` in headless Chromium, on Hummingbird and on Vapor, with the
/// tutorial's policy trusting the page's origin (`http://localhost:PAGE`) and the demo's session
/// cookie (`SameSite=None; Secure`). A page on `http://127.0.0.1:PAGE` is not trusted, yet it is
/// same-site with the API on `http://127.0.0.1:API`, so the browser sends it the cookie: only the
/// guards stand between it and the user's account.
@Suite("Guards in Chromium: cross-origin protection and the WebSocket origin guard", .serialized, .timeLimit(.minutes(3)))
struct GuardsBrowserTests {
    /// The demo API (guards on) on a free port of 127.0.0.1.
    static func startAPI(_ framework: DemoFramework, policy: CORSPolicy) async throws -> (port: Int, stop: @Sendable () async -> Void) {
        switch framework {
        case .hummingbird:
            let server = try await RunningServer.start("hummingbird-guards") { onRunning in
                HummingbirdDemoServer.application(
                    policy: policy, host: "127.0.0.1", port: 0, logger: quietLogger("hummingbird-guards"),
                    onRunning: onRunning)
            }
            return (server.port, { await server.stop() })
        case .vapor:
            let server = try await VaporDemoServer.start(policy: policy, log: RequestLog())
            return (server.port, { await server.stop() })
        }
    }

    /// Opens a socket from the page, sends "hello", and reports what the page saw.
    static let socketScript = #"""
        (url) => new Promise((resolve) => {
          const socket = new WebSocket(url);
          const timer = setTimeout(() => resolve({ outcome: "timeout" }), 5000);
          socket.onopen = () => socket.send("hello");
          socket.onmessage = (event) => { clearTimeout(timer); socket.close(); resolve({ outcome: "echo", data: event.data }); };
          socket.onclose = (event) => { clearTimeout(timer); resolve({ outcome: "closed", code: event.code }); };
        })
        """#

    /// Submits a real HTML form (not `fetch`) from the page: the classic CSRF.
    static func formScript(action: String) -> String {
        """
        (() => {
          const form = document.createElement("form");
          form.method = "POST";
          form.action = \(JSONValue.string(action).serialized);
          const field = document.createElement("input");
          field.name = "amount";
          field.value = "1000000";
          form.append(field);
          document.body.append(form);
          form.submit();
          return true;
        })()
        """
    }

    @Test(
        "untrusted page: form POST with the session cookie → 403, socket refused; trusted page: fetch succeeds, socket echoes",
        arguments: DemoFramework.allCases)
    func guardsHold(framework: DemoFramework) async throws {
        let browser = try await Browser.launch()
        let pages = try await PageServer.start()
        let trustedOrigin = "http://localhost:\(pages.port)"
        let policy = try DemoEnvironment.policy(trusting: trustedOrigin)
        let (port, stopAPI) = try await Self.startAPI(framework, policy: policy)
        let api = "http://127.0.0.1:\(port)"
        // The default browser context: a person's profile, whose cookie jar both pages share.
        let trusted = try await browser.openPage(trustedOrigin + "/", isolated: false)
        let untrusted = try await browser.openPage("http://127.0.0.1:\(pages.port)/", isolated: false)
        do {
            try await trusted.send("Network.clearBrowserCookies")
            // The user logs in from the trusted page: the session cookie is stored for 127.0.0.1.
            let login = try await trusted.fetch(FetchRequest(url: api + "/login", method: "POST", credentials: "include"))
            #expect(login.status == 204, "\(login)")

            // 1. The trusted page's fetch, a form-encoded POST with the cookie, succeeds.
            let transfer = try await trusted.evaluate(
                """
                (async () => {
                  const response = await fetch("\(api)/transfer", { method: "POST", credentials: "include",
                    body: new URLSearchParams({ amount: "100" }) });
                  return { status: response.status, body: await response.text() };
                })()
                """)
            #expect(transfer["status"]?.int == 200, "\(transfer)")
            #expect(transfer["body"]?.string == #"{"user":"alice","transferred":"100"}"#, "\(transfer)")

            // 2. The untrusted page submits a form to /transfer: the cookie goes along, the guard says 403.
            let mark = untrusted.networkEventCount
            _ = try await untrusted.evaluate(Self.formScript(action: api + "/transfer"))
            // Let the navigation settle before asking the page anything.
            try await Task.sleep(for: .seconds(1))
            var text: String?
            for _ in 0..<100 {
                if let url = try? await untrusted.evaluate("location.href").string, url.hasPrefix(api) {
                    text = try? await untrusted.evaluate("document.body ? document.body.innerText : null").string
                    if text != nil { break }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(
                text?.trimmingCharacters(in: .whitespacesAndNewlines)
                    == "Forbidden: cross-origin request refused (Sec-Fetch-Site is not same-origin, and the origin is not trusted)")
            let events = untrusted.networkEvents(since: mark)
            let sent = events.filter { $0.method == "Network.requestWillBeSentExtraInfo" }
                .compactMap { $0.params["headers"]?.object }
                .first { headers in headers.keys.contains { $0.lowercased() == "sec-fetch-site" } }
            let sentHeaders = Dictionary((sent ?? [:]).map { ($0.key.lowercased(), $0.value.string ?? "") }) { $1 }
            #expect(sentHeaders["cookie"]?.contains("session=alice") == true, "the browser sent the session cookie: \(sentHeaders)")
            #expect(sentHeaders["sec-fetch-site"] == "same-site", "\(sentHeaders)")
            let status = events.first { $0.method == "Network.responseReceived" && $0.params["response"]?["url"]?.string == api + "/transfer" }
            #expect(status?.params["response"]?["status"]?.int == 403)

            // 3. Sockets: the trusted page's socket echoes; the untrusted page's is refused before the upgrade.
            try await untrusted.navigate(to: "http://127.0.0.1:\(pages.port)/")
            let echoed = try await trusted.evaluate("(\(Self.socketScript))(\(JSONValue.string("ws://127.0.0.1:\(port)/ws").serialized))")
            #expect(echoed["outcome"]?.string == "echo" && echoed["data"]?.string == "hello", "\(echoed)")
            let socketMark = untrusted.networkEventCount
            let refused = try await untrusted.evaluate("(\(Self.socketScript))(\(JSONValue.string("ws://127.0.0.1:\(port)/ws").serialized))")
            #expect(refused["outcome"]?.string == "closed" && refused["code"]?.int == 1006, "\(refused)")
            let socketEvents = untrusted.networkEvents(since: socketMark).filter { $0.method.hasPrefix("Network.webSocket") }
            #expect(
                socketEvents.contains { $0.params.serialized.contains("403") },
                "Chromium reports the 403 answer to the upgrade: \(socketEvents.map { "\($0.method) \($0.params.serialized)" })")
            #expect(!socketEvents.contains { $0.method == "Network.webSocketHandshakeResponseReceived" && $0.params["response"]?["status"]?.int == 101 })
        } catch {
            await Self.stop(trusted, untrusted, stopAPI, pages, browser)
            throw error
        }
        await Self.stop(trusted, untrusted, stopAPI, pages, browser)
    }

    static func stop(
        _ trusted: BrowserPage, _ untrusted: BrowserPage, _ stopAPI: @Sendable () async -> Void, _ pages: RunningServer,
        _ browser: Browser
    ) async {
        await trusted.close()
        await untrusted.close()
        // The browser first: its pooled connections would keep the servers' graceful shutdown
        // waiting for their idle timeout.
        await browser.shutdown()
        await stopAPI()
        await pages.stop()
    }
}
