"""Servers the tests talk to over a real socket, all on 127.0.0.1.

`serving(app)` runs a WSGI app (the mock built in-process, a stand-in upstream) in a thread of the test process.
`running_server(...)` starts `mockserver serve` for real (gunicorn), the way a consumer's suite does: through the
pytest plugin's helper.
"""

from __future__ import annotations

import socket
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from mockserver.pytest_plugin import running_server as _running_server

BIN = Path(sys.executable).parent  # the venv's bin: `mockserver` is there


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


@contextmanager
def serving(app):
    """Serve a WSGI app on 127.0.0.1 on a free port, in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@contextmanager
def running_server(*args: str, env: dict | None = None):
    """(base URL, process) of `mockserver serve ARGS`."""
    with _running_server(*args, env=env) as server:
        yield server.url, server.process
