#!/usr/bin/env python3
"""A tiny CloudEvents webhook receiver for trying the gateway by hand.

It grants the abuse-protection handshake (OPTIONS) to any origin and prints every event it receives.
Usage: python3 compose/demo-sink.py [port]   (default 9000, listens on 127.0.0.1 only)
"""
import http.server
import sys


class Sink(http.server.BaseHTTPRequestHandler):
    def do_OPTIONS(self):
        self.send_response(200)
        self.send_header("WebHook-Allowed-Origin", "*")
        self.send_header("WebHook-Allowed-Rate", "*")
        self.send_header("Allow", "POST, OPTIONS")
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ce = {k: v for k, v in self.headers.items() if k.lower().startswith("ce-")}
        print(f"event {ce} content-type={self.headers.get('Content-Type')} body={body.decode(errors='replace')}", flush=True)
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


port = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
http.server.HTTPServer(("127.0.0.1", port), Sink).serve_forever()
