"""A small HTTP server on 127.0.0.1 that answers like Nominatim's /search, including its failures.

What it answers depends on the query text:
  contains "leeg"   -> []                       (address unknown)
  contains "kapot"  -> HTTP 500
  contains "traag"  -> waits longer than any client timeout in the tests, then answers
  contains "onzin"  -> 200 with a body that is not JSON
  contains "druk"   -> HTTP 429 (rate limited)
  anything else     -> one result near Utrecht
Every request is recorded (path, query, User-Agent, arrival time on the monotonic clock) so tests can
check what was sent and when. A test may set `on_request` to a function of the query that runs while the
client waits for the answer, to change the world in the middle of a geocoding call.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

GOOD = {"place_id": 1, "lat": "52.0907", "lon": "5.1214", "display_name": "Utrecht, Nederland",
        "class": "place", "type": "house", "importance": 0.5}
SLOW_SECONDS = 2.0


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        url = urlparse(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        query = params.get("q", "")
        self.server.requests.append({"path": url.path, "params": params, "at": time.monotonic(),
                                     "user_agent": self.headers.get("User-Agent", "")})
        if self.server.on_request is not None:
            self.server.on_request(query)
        if "kapot" in query:
            return self._send(500, b"<html>Internal Server Error</html>", "text/html")
        if "druk" in query:
            return self._send(429, b"Too many requests", "text/plain")
        if "traag" in query:
            time.sleep(SLOW_SECONDS)
            return self._send(200, json.dumps([GOOD]).encode(), "application/json")
        if "onzin" in query:
            return self._send(200, b"{this is not json", "application/json")
        if "leeg" in query:
            return self._send(200, b"[]", "application/json")
        return self._send(200, json.dumps([GOOD]).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass


class GeocoderServer:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []
        self.httpd.on_request = None
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def requests(self) -> list[dict]:
        return self.httpd.requests

    @property
    def on_request(self):
        return self.httpd.on_request

    @on_request.setter
    def on_request(self, hook) -> None:
        self.httpd.on_request = hook

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
