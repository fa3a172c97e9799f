"""pytest plugin for consumers' test suites: one real mockserver per session, reset before each test.

    def test_sync_users(lms_mockserver):
        client = MyRuangkerjaClient(base_url=lms_mockserver.url, token="access_token")
        ...

The server is `mockserver serve` itself (gunicorn, one worker) on a free loopback port; MOCKSERVER_* environment
variables configure it as they configure `serve`. Each test starts from the pristine world (POST /__admin/reset).

MOCKSERVER_URL=http://host:port uses a server that is already running instead (the Docker image, say): the plugin
starts none, checks that one answers /__admin/health, and resets it before each test all the same.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import pytest
import requests


@dataclass(frozen=True)
class RunningMockServer:
    url: str
    process: subprocess.Popen | None  # None: a server started elsewhere (MOCKSERVER_URL)

    def reset(self) -> None:
        requests.post(self.url + "/__admin/reset", timeout=10).raise_for_status()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(*args: str, env: dict | None = None, timeout: float = 30) -> Iterator[RunningMockServer]:
    """`mockserver serve ARGS` on a free loopback port, until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    server = RunningMockServer(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(server.url):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"mockserver did not come up on {server.url}:\n{process.communicate()[0]}")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _healthy(url: str) -> bool:
    try:
        return requests.get(url + "/__admin/health", timeout=1).status_code == 200
    except requests.ConnectionError:
        return False


def external_server(url: str) -> RunningMockServer:
    """A server that runs already, at MOCKSERVER_URL."""
    url = url.rstrip("/")
    try:
        healthy = requests.get(url + "/__admin/health", timeout=10).status_code == 200
    except requests.RequestException as error:
        raise pytest.UsageError(f"MOCKSERVER_URL={url}: no mockserver answers there ({error})") from None
    if not healthy:
        raise pytest.UsageError(f"MOCKSERVER_URL={url}: /__admin/health does not answer 200: is it a mockserver?")
    return RunningMockServer(url, None)


@pytest.fixture(scope="session")
def lms_mockserver_session() -> Iterator[RunningMockServer]:
    """The session's server, as it is: writes of earlier tests included."""
    if os.environ.get("MOCKSERVER_URL"):
        yield external_server(os.environ["MOCKSERVER_URL"])
        return
    with running_server("--workers", os.environ.get("MOCKSERVER_WORKERS", "1")) as server:
        yield server


@pytest.fixture
def lms_mockserver(lms_mockserver_session: RunningMockServer) -> RunningMockServer:
    """The session's server, reset to the pristine world for this test."""
    lms_mockserver_session.reset()
    return lms_mockserver_session
