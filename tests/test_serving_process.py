"""`mockserver serve` as a process: a worker killed with SIGKILL is replaced (its world caught up with the writes),
SIGTERM and SIGINT stop the server cleanly, and its temporary state goes with it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest
import requests

from .helpers.servers import ConsoleOutput, running_server
from .helpers.workers import children

pytestmark = pytest.mark.slow  # real server processes

TOKEN = {"Authorization": "access_token"}


def wait_for(condition, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
    return found


def test_a_killed_worker_is_replaced_and_catches_up():
    with running_server("--workers", "2", "--employees", "20") as (base, process):
        created = requests.post(base + "/ruangkerja/tags", json={"name": "before the kill"}, headers=TOKEN)
        serial = created.json()["data"]["serial"]
        wait_for(lambda: len(children(process.pid)) == 2)
        victim = min(children(process.pid))
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: len(pids := children(process.pid)) == 2 and victim not in pids)
        for _ in range(10):  # new connections: both workers, the new one among them, know the tag
            answer = requests.get(f"{base}/ruangkerja/tags/{serial}", headers={**TOKEN, "Connection": "close"})
            assert answer.status_code == 200 and answer.json()["data"]["name"] == "before the kill"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_server_cleanly_and_removes_its_temporary_state(sig):
    with running_server("--workers", "2", "--employees", "20") as (base, process):
        output = ConsoleOutput(process.stdout)
        state = re.search(r"State +(\S+) \(temporary", "\n".join(output.until("State "))).group(1)
        assert os.path.exists(state)
        # Both workers serving (a worker signalled while it boots misses the signal: gunicorn's, not ours to test).
        wait_for(lambda: len({requests.get(base + "/__admin/health", headers={"Connection": "close"})
                              .headers["X-Mockserver-Worker"] for _ in range(8)}) == 2)
        kept = requests.Session()
        kept.get(base + "/__admin/health")  # a kept-alive connection, open as the signal comes
        started = time.monotonic()
        process.send_signal(sig)
        try:
            assert process.wait(15) == 0
        except subprocess.TimeoutExpired:
            raise AssertionError("\n".join(output.lines)) from None
        assert time.monotonic() - started < 10
        output.close()
        assert not os.path.exists(state) and not os.path.exists(state + "-wal")
        assert not any("Traceback" in line for line in output.lines), output.lines
        kept.close()
