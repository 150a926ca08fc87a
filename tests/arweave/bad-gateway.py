#!/usr/bin/env python3
"""An Arweave gateway that serves wrong bytes, for tests/e2e/arweave.sh: it relays GET and
HEAD requests to a real gateway and, in the body of any path that does not end in `.leaves`
and is longer than <offset> bytes, flips the byte at <offset>, as a gateway whose copy was
changed would. It logs each altered response to stderr as `altered <path>`.

Usage: bad-gateway.py <listen port> <gateway URL> <offset>
"""
import http.server
import sys
import urllib.error
import urllib.request

PORT, UPSTREAM, OFFSET = int(sys.argv[1]), sys.argv[2].rstrip("/"), int(sys.argv[3])


class Relay(http.server.BaseHTTPRequestHandler):
    def relay(self, send_body):
        try:
            with urllib.request.urlopen(UPSTREAM + self.path, timeout=30) as answer:
                status, body, kind = answer.status, answer.read(), answer.headers.get("Content-Type")
        except urllib.error.HTTPError as e:
            status, body, kind = e.code, e.read(), e.headers.get("Content-Type")
        if status == 200 and not self.path.endswith(".leaves") and len(body) > OFFSET:
            body = body[:OFFSET] + bytes([body[OFFSET] ^ 0xFF]) + body[OFFSET + 1 :]
            print(f"altered {self.path}", file=sys.stderr, flush=True)
        self.send_response(status)
        self.send_header("Content-Type", kind or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_GET(self):
        self.relay(True)

    def do_HEAD(self):
        self.relay(False)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Relay).serve_forever()
