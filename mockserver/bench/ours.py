"""Our server as a user runs it: `mockserver serve` in a subprocess (gunicorn, its workers), timed from the moment
the process starts to its first 200 on a vendor route, with the world build time its banner prints and the resident
memory of each worker (VmRSS in /proc/<pid>/status)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from .processes import Processes, free_port
from .routes import RUANGKERJA_BATCH

BUILT = re.compile(r"\(built in ([0-9.]+) s\)")


class ServerFailed(RuntimeError):
    pass


@dataclass
class OurServer:
    url: str
    process: subprocess.Popen
    log: Path
    first_200_seconds: float
    build_seconds: float | None

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        try:
            return sorted(int(pid) for pid in children.read_text().split())
        except OSError:
            return []

    def wait_for_workers(self, count: int, timeout: float = 60) -> None:
        """Until `count` workers run (the first 200 may come from the first one booted)."""
        deadline = time.monotonic() + timeout
        while len(self.worker_pids()) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def worker_rss_mb(self) -> list[float]:
        """Each worker's resident memory in MB (empty where /proc is not there to read)."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if match:
                sizes.append(round(int(match.group(1)) / 1024, 1))
        return sizes


def start(processes: Processes, folder: Path, name: str, *, workers: int, employees: int = 200,
          state: str | None = None, timeout: float = 180) -> OurServer:
    """`mockserver serve` on a free loopback port, once it answers 200 on the Ruangkerja batch route."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / f"{name}.log"
    argv = [sys.executable, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--employees", str(employees), "--access-log", "off",
            *(["--state", state] if state else [])]
    # Only the flags above: a MOCKSERVER_* variable of this shell (a state file, an admin token) is not the default.
    env = {name: value for name, value in os.environ.items() if not name.startswith("MOCKSERVER_")}
    started = time.perf_counter()
    process = processes.start(argv, log, env=env, stop_signal=signal.SIGINT)  # SIGINT: gunicorn's quick shutdown
    probe = url + RUANGKERJA_BATCH.path
    headers = dict(RUANGKERJA_BATCH.headers) | {"Connection": "close"}
    while True:
        try:
            if requests.get(probe, headers=headers, timeout=30).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.perf_counter() - started > timeout:
            how = f"exited {process.returncode}" if process.poll() is not None else \
                f"did not answer within {timeout:.0f} s"
            processes.stop(process)
            tail = log.read_text(errors="replace").strip().splitlines()[-15:]
            raise ServerFailed(f"`mockserver serve` ({name}) {how}:\n  " + "\n  ".join(tail))
        time.sleep(0.005)
    first_200 = time.perf_counter() - started
    built = BUILT.search(log.read_text(errors="replace"))
    server = OurServer(url, process, log, round(first_200, 3), float(built.group(1)) if built else None)
    server.wait_for_workers(workers)
    return server
