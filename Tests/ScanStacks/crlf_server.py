"""Python's http.server answering CORS by hand, for `cors scan`'s real-stack tests: in mode
`decode` it percent-decodes Access-Control-Request-Headers before echoing it, and
BaseHTTPRequestHandler.send_header writes whatever it is given, line breaks included (CWE-113).
In mode `plain` it echoes the field as received.

Run: python3 crlf_server.py MODE PORT
"""
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE, PORT = sys.argv[1], int(sys.argv[2])
TRUSTED = "https://app.example.test"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def cors(self, preflight=False):
        origin = self.headers.get("Origin")
        self.send_header("Vary", "Origin")
        if origin != TRUSTED:
            return
        self.send_header("Access-Control-Allow-Origin", origin)
        self.send_header("Access-Control-Allow-Credentials", "true")
        if preflight:
            self.send_header("Access-Control-Allow-Methods", "GET, PUT")
            requested = self.headers.get("Access-Control-Request-Headers")
            if requested:
                if MODE == "decode":
                    requested = urllib.parse.unquote(requested)
                self.send_header("Access-Control-Allow-Headers", requested)

    def answer(self, status, body=b"", preflight=False, extra=()):
        self.send_response(status)
        self.cors(preflight)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.split("?")[0] == "/api/me":
            self.answer(200, b'{"user": "alice"}', extra=[("Content-Type", "application/json")])
        else:
            self.answer(404, b'{"detail": "Not Found"}')

    def do_OPTIONS(self):
        self.answer(204, preflight=self.headers.get("Access-Control-Request-Method") is not None)

    def do_TRACE(self):
        self.answer(405, b'{"detail": "Method Not Allowed"}', extra=[("Allow", "GET, PUT, OPTIONS")])


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
