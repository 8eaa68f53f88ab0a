import CORS
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The page on a second origin that calls the demo API with `fetch`, so that a person can
/// watch CORS work (and fail) in a real browser. Its own server explains every blocked
/// scenario the way `cors check` does, so the page shows the reason and the fix itself.
enum DemoFrontend {
    /// What the page's server knows about the API it demonstrates.
    struct Configuration: Sendable {
        /// The API's port on the page's host.
        var apiPort: Int
        /// `http://localhost:PORT`, the origin the page runs on.
        var pageOrigin: String
        /// The API's policy, as it is in force now (it may be reloaded).
        var source: CORSPolicySource
        /// Shown on the page while the policy does not trust ``pageOrigin``.
        var untrustedWarning: String
    }

    /// What the page posts to `/explain` about a scenario the browser blocked.
    struct ExplainRequest: Decodable {
        var path: String
        var method: String
        var headers: [String: String]
        var credentials: String
    }

    /// The most `/explain` reads of a request body.
    static let explainBodyLimit = 16 * 1024

    static func application(_ configuration: Configuration, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let html = page.replacingOccurrences(of: "__API_PORT__", with: String(configuration.apiPort))
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.get("/status") { _, _ in
            let trusted = DemoCommand.trusts(configuration.source, origin: configuration.pageOrigin)
            let document = JSONValue.object([
                ("origin", .string(configuration.pageOrigin)), ("trusted", .bool(trusted)),
                ("warning", trusted ? .null : .string(configuration.untrustedWarning)),
            ])
            return json(document.rendered())
        }
        router.post("/explain") { request, context in
            let body = try await request.body.collect(upTo: explainBodyLimit)
            guard let scenario = try? JSONDecoder().decode(ExplainRequest.self, from: Data(buffer: body)) else {
                throw HTTPError(.badRequest, message: "expected {\"path\", \"method\", \"headers\", \"credentials\"}")
            }
            return json(await explain(scenario, configuration: configuration))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            logger: logger)
    }

    /// `cors check --json` for the scenario, run from the page's server against the API.
    static func explain(_ scenario: ExplainRequest, configuration: Configuration) async -> String {
        var arguments = [
            "http://localhost:\(configuration.apiPort)\(scenario.path)", "--origin", configuration.pageOrigin,
            "--method", scenario.method, "--credentials", scenario.credentials, "--json",
        ]
        for (name, value) in scenario.headers.sorted(by: { $0.key < $1.key }) {
            arguments += ["--header", "\(name): \(value)"]
        }
        do {
            let command = try CheckCommand.parse(arguments)
            let result = await command.execute()
            return result.errorLine.map { JSONValue.object([("error", .string($0))]).rendered() } ?? result.output
        } catch {
            return JSONValue.object([("error", .string(CheckCommand.message(for: error)))]).rendered()
        }
    }

    private static func json(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The scenarios of the tutorial, each shown with what the page could (or could not) see.
    static let page = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>swift-cors demo</title>
        <style>
          body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
          table { border-collapse: collapse; width: 100%; }
          th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
          .why { color: #333; font-size: 13px; margin-top: .3rem; } .why pre { white-space: pre-wrap; margin: .2rem 0; }
          .allowed { color: #0a7a2f; } .blocked { color: #b00020; }
          code { background: #f4f4f4; padding: 0 .2rem; }
        </style>
        </head>
        <body>
        <h1>swift-cors demo</h1>
        <p>This page's origin is <code id="origin"></code>; it calls the API at <code id="api"></code>.
        Every blocked request is explained below, as <code>cors check</code> explains it; the browser's
        console has its own line for each.</p>
        <p id="warning" class="blocked" hidden></p>
        <table><thead><tr><th>Scenario</th><th>Expected</th><th>What the page saw</th></tr></thead>
        <tbody id="results"></tbody></table>
        <script>
        const api = `${location.protocol}//${location.hostname}:__API_PORT__`;
        document.getElementById("origin").textContent = location.origin;
        document.getElementById("api").textContent = api;
        const json = { "Content-Type": "application/json" };
        const scenarios = [
          ["Credentialed GET /me, reading X-Request-Id", "allowed",
            { url: "/me", init: { credentials: "include" } }],
          ["Preflighted PUT /me with Authorization and a JSON body", "allowed",
            { url: "/me", init: { method: "PUT", credentials: "include",
              headers: { ...json, "Authorization": "Bearer demo-token" }, body: JSON.stringify({ user: "alice" }) } }],
          ["Preflighted DELETE /me with Authorization", "allowed",
            { url: "/me", init: { method: "DELETE", credentials: "include", headers: { "Authorization": "Bearer demo-token" } } }],
          ["GET /boom: a server error, seen as a 500 and not as a CORS error", "allowed (500)",
            { url: "/boom", init: { credentials: "include" } }],
          ["GET /nowhere: an unknown route, seen as a 404", "allowed (404)",
            { url: "/nowhere", init: { credentials: "include" } }],
          ["PATCH /me: a method the policy does not allow", "blocked",
            { url: "/me", init: { method: "PATCH", credentials: "include" } }],
          ["GET /me with X-Custom: a header the policy does not allow", "blocked",
            { url: "/me", init: { credentials: "include", headers: { "X-Custom": "1" } } }],
          ["POST /transfer: a form with the session cookie, from a trusted page", "allowed",
            { url: "/transfer", login: true, init: { method: "POST", credentials: "include",
              body: new URLSearchParams({ amount: "100" }) } }],
          ["WebSocket echo: GET /ws from a trusted page", "allowed", { socket: "/ws" }],
        ];
        // Opens the echo socket, sends one message and resolves with the echo; rejects when the
        // upgrade is refused (the origin guard answers 403, which the page only sees as a close).
        function echo(path, text) {
          return new Promise((resolve, reject) => {
            const socket = new WebSocket(api.replace(/^http/, "ws") + path);
            const timer = setTimeout(() => { socket.close(); reject(new Error("no echo within 5 s")); }, 5000);
            socket.onopen = () => socket.send(text);
            socket.onmessage = (event) => { clearTimeout(timer); socket.close(); resolve(event.data); };
            socket.onerror = () => { clearTimeout(timer); reject(new Error("the upgrade was refused")); };
          });
        }
        window.results = [];
        async function explain(url, init) {
          const headers = {};
          for (const [name, value] of Object.entries(init.headers || {})) headers[name] = value;
          const response = await fetch("/explain", { method: "POST", body: JSON.stringify({
            path: url, method: init.method || "GET", headers, credentials: init.credentials || "same-origin" }) });
          return response.json();
        }
        async function run() {
          const status = await (await fetch("/status")).json();
          if (!status.trusted) {
            const warning = document.getElementById("warning");
            warning.textContent = status.warning;
            warning.hidden = false;
          }
          const tbody = document.getElementById("results");
          for (const [name, expected, { url, init, login, socket }] of scenarios) {
            let outcome, cls, reason = null, fixes = [];
            if (socket) {
              try {
                outcome = `echoed: ${await echo(socket, "hello")}`;
                cls = "allowed";
              } catch (error) {
                outcome = `socket refused (${error.message})`;
                cls = "blocked";
                reason = "The API's WebSocket origin guard answers 403 to an upgrade from an origin its policy does not trust; CORS does not apply to sockets, so this is the only check.";
              }
              window.results.push({ name, expected, outcome, cls, reason, fixes });
              const row = tbody.insertRow();
              row.insertCell().textContent = name;
              row.insertCell().textContent = expected;
              const cell = row.insertCell();
              cell.textContent = outcome;
              cell.className = cls;
              if (reason) {
                const why = document.createElement("div");
                why.className = "why";
                why.append("Why: " + reason);
                cell.append(why);
              }
              continue;
            }
            if (login) await fetch(api + "/login", { method: "POST", credentials: "include" }).catch(() => {});
            try {
              const response = await fetch(api + url, init);
              const body = await response.text();
              const requestId = response.headers.get("X-Request-Id");
              outcome = `${response.status}${body ? " " + body : ""}${requestId ? " · X-Request-Id: " + requestId : ""}`;
              cls = "allowed";
            } catch (error) {
              outcome = `blocked by CORS (${error.message})`;
              cls = "blocked";
              try {
                const check = await explain(url, init);
                reason = check.consoleMessage || check.explanation || check.error || null;
                fixes = check.fixes || [];
              } catch (explainError) {
                reason = `no explanation: ${explainError.message}`;
              }
            }
            window.results.push({ name, expected, outcome, cls, reason, fixes });
            const row = tbody.insertRow();
            row.insertCell().textContent = name;
            row.insertCell().textContent = expected;
            const cell = row.insertCell();
            cell.textContent = outcome;
            cell.className = cls;
            if (reason) {
              const why = document.createElement("div");
              why.className = "why";
              why.append("Why: " + reason);
              if (fixes.length) {
                const fix = document.createElement("pre");
                fix.textContent = "Fix: " + fixes.join("\n");
                why.append(fix);
              }
              cell.append(why);
            }
          }
          document.title = "swift-cors demo: done";
        }
        run();
        </script>
        </body>
        </html>
        """#
}
