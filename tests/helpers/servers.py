"""Servers the tests talk to over a real socket, all on 127.0.0.1.

`serving(app)` runs a WSGI app (the mock built in-process, a stand-in upstream) in a thread of the test process.
`running_server(...)` starts `mockserver serve` for real (gunicorn), the way a consumer's suite does: through the
pytest plugin's helper. Starting one costs a second or two, so the tests that need a real server share the
session's (the `real_server` and `fresh_server` fixtures, `shared_server` below) unless their point is how the
server is started.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

import requests
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
    # serve_forever notices shutdown() once a poll: the default half second would be most of a short test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
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


# The session's real server is configured through these environment twins of `serve`'s options only.
SHARED_ENV = {"MOCKSERVER_WORKERS": "2", "MOCKSERVER_SEED": "7", "MOCKSERVER_EMPLOYEES": "50"}


class ConsoleOutput:
    """A process's console, read line by line in a thread as it comes (so its pipe never fills up)."""

    def __init__(self, stream: IO[str]):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def until(self, text: str, timeout: float = 10) -> list[str]:
        """The lines so far, once one of them contains `text`."""
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert time.monotonic() < deadline, f"no line with {text!r} in:\n" + "\n".join(self.lines)
            time.sleep(0.02)
        return list(self.lines)

    def close(self) -> None:
        self._thread.join(10)


@dataclass
class SharedServer:
    url: str
    process: subprocess.Popen
    output: ConsoleOutput

    def reset(self) -> None:
        """Every write undone, on every worker (POST /__admin/reset)."""
        requests.post(self.url + "/__admin/reset", timeout=10).raise_for_status()


@contextmanager
def shared_server() -> Iterator[SharedServer]:
    """`mockserver serve` configured by SHARED_ENV (two gunicorn workers), its console collected."""
    with running_server(env=SHARED_ENV) as (url, process):
        output = ConsoleOutput(process.stdout)
        try:
            yield SharedServer(url, process, output)
        finally:
            process.terminate()
            process.wait(10)
            output.close()
