"""An application without any CORS of its own behind the misconfigured proxies of StackFixTests:
GET /me answers 200, GET /boom 500, anything else 404.

Run: python3 plain_upstream.py PORT
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        status = {"/me": 200, "/boom": 500}.get(self.path.split("?")[0], 404)
        body = b'{"user":"alice"}' if status == 200 else b'{"error":"the database is down"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_DELETE = do_POST = do_OPTIONS = answer

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
