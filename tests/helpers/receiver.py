"""A webhook receiver for the tests: an HTTP server on 127.0.0.1 that records what is POSTed to it."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST (headers, body) and answers `status`."""

    def __init__(self, status: int = 200):
        self.status, self.received, self.arrived = status, [], threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.arrived:
                    receiver.received.append((dict(self.headers), body))
                    receiver.arrived.notify_all()
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def events(self, event_type: str) -> list[dict]:
        return [json.loads(body) for _, body in self.received if json.loads(body)["type"] == event_type]

    def wait_for(self, event_type: str, count: int = 1, timeout: float = 10) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.events(event_type)) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{count} {event_type} not received in {timeout}s: {self.received}"
                self.arrived.wait(left)
        return self.events(event_type)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
