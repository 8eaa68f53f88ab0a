"""The application behind an exported proxy configuration (nginx, Caddy) in the export
conformance tests (Tests/CORSConformanceTests/ExportConformanceTests.swift): the routes of
ConformanceRoutes.swift, and on every response CORS fields of its own, which the export must hide.

Run: python3 upstream.py PORT
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# What a careless application adds everywhere; none of it may reach the browser.
OWN_CORS = [
    ("Access-Control-Allow-Origin", "https://upstream.invalid"),
    ("Access-Control-Allow-Credentials", "true"),
    ("Access-Control-Allow-Methods", "TRACE"),
    ("Access-Control-Allow-Headers", "X-Upstream"),
    ("Access-Control-Expose-Headers", "X-Upstream"),
    ("Access-Control-Max-Age", "1"),
    ("Access-Control-Allow-Private-Network", "true"),
]

ROUTES = {
    ("GET", "/me"): (200, [("X-Request-Id", "42")]),
    ("PUT", "/me"): (200, []),
    ("DELETE", "/me"): (204, []),
    ("GET", "/vary"): (200, [("Vary", "Accept-Encoding")]),
    ("GET", "/own-cors"): (200, [("Access-Control-Allow-Origin", "*")]),
    ("GET", "/boom"): (500, []),
    ("GET", "/unauthorized"): (401, [("WWW-Authenticate", "Bearer")]),
    ("OPTIONS", "/options-route"): (200, [("X-Handled-By", "app")]),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, fields = ROUTES.get((self.command, self.path.split("?")[0]), (404, []))
        body = b"" if status == 204 else b'{"route":"%s"}' % self.path.encode()
        self.send_response(status)
        for name, value in OWN_CORS + fields:
            self.send_header(name, value)
        if status != 204:
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_DELETE = do_POST = do_PATCH = do_OPTIONS = answer

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
