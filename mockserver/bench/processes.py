"""Every process the benchmark starts (our servers, WireMock, Prism), each in a session of its own, and all of them
stopped when the run ends, however it ends: a failure, Ctrl-C, SIGTERM.

A process group per child lets one signal reach what it started in turn (gunicorn's workers, node's children), and
keeps the terminal's Ctrl-C away from them: the benchmark stops them itself, in order. On Linux each child also
gets SIGTERM should the benchmark die without cleaning up (SIGKILL), so nothing is left listening.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:  # runs in the child, between fork and exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class Processes:
    """Started with `start`, stopped (group by group, newest first) by `stop` or `close`."""

    def __init__(self):
        self._running: list[subprocess.Popen] = []
        self._signals: dict[int, int] = {}

    def start(self, argv: list[str], log: Path, *, env: dict | None = None, cwd: Path | None = None,
              stop_signal: int = signal.SIGTERM) -> subprocess.Popen:
        """`env`: its whole environment (None: this one's). `stop_signal` is what stops it at once (gunicorn: SIGINT;
        its SIGTERM waits for idle connections)."""
        with open(log, "ab") as out:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                       env=env, cwd=cwd, start_new_session=True,
                                       preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        self._running.append(process)
        self._signals[process.pid] = stop_signal
        return process

    def stop(self, process: subprocess.Popen, timeout: float = 10) -> None:
        """Its stop signal to its group, SIGKILL to the group after `timeout` seconds."""
        if process in self._running:
            self._running.remove(process)
        for sig, wait in ((self._signals.pop(process.pid, signal.SIGTERM), timeout), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                process.wait(wait)
            except subprocess.TimeoutExpired:
                continue
            try:  # the leader is gone: what is left of its group (a worker slow to follow) goes too
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            return

    def close(self) -> None:
        while self._running:
            self.stop(self._running[-1])

    def __enter__(self) -> "Processes":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
