import Hummingbird
import Logging
import NIOCore

/// The page on a second origin that calls the demo API with `fetch`, so that a person can
/// watch CORS work (and fail) in a real browser.
enum DemoFrontend {
    static func application(apiPort: Int, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let html = page.replacingOccurrences(of: "__API_PORT__", with: String(apiPort))
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            logger: logger)
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
          .allowed { color: #0a7a2f; } .blocked { color: #b00020; }
          code { background: #f4f4f4; padding: 0 .2rem; }
        </style>
        </head>
        <body>
        <h1>swift-cors demo</h1>
        <p>This page's origin is <code id="origin"></code>; it calls the API at <code id="api"></code>.
        Open the browser's console to read its own explanation of every blocked request.</p>
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
        ];
        window.results = [];
        async function run() {
          const tbody = document.getElementById("results");
          for (const [name, expected, { url, init }] of scenarios) {
            let outcome, cls;
            try {
              const response = await fetch(api + url, init);
              const body = await response.text();
              const requestId = response.headers.get("X-Request-Id");
              outcome = `${response.status}${body ? " " + body : ""}${requestId ? " · X-Request-Id: " + requestId : ""}`;
              cls = "allowed";
            } catch (error) {
              outcome = `blocked by CORS (${error.message}); the console says why`;
              cls = "blocked";
            }
            window.results.push({ name, expected, outcome, cls });
            const row = tbody.insertRow();
            row.insertCell().textContent = name;
            row.insertCell().textContent = expected;
            const cell = row.insertCell();
            cell.textContent = outcome;
            cell.className = cls;
          }
          document.title = "swift-cors demo: done";
        }
        run();
        </script>
        </body>
        </html>
        """#
}
