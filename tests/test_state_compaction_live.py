"""The shared log and the state file on a real server (gunicorn, two workers): 200 resets leave a log of what came
after the last, which a replacement worker and a restart apply; a state file deleted or made read-only while the
server runs answers 503 in each vendor's shape on every worker, health included, and no worker goes on alone.
Slow: real servers."""

from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest
import requests

from .helpers.ispring_wire import LEGACY_HEADERS
from .helpers.servers import ConsoleOutput, running_server
from .helpers.unavailable import assert_503_in_every_shape

pytestmark = pytest.mark.slow

JSON = {**LEGACY_HEADERS, "Accept": "application/json", "Connection": "close"}  # a new connection: either worker
CLOSE = {"Connection": "close"}


def events(path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [kind for (kind,) in db.execute("SELECT kind FROM events ORDER BY seq")]


def status(base: str) -> dict:
    return requests.get(f"{base}/__admin/status", headers=CLOSE, timeout=30).json()


def workers(base: str, count: int = 2, tries: int = 200) -> dict[int, dict]:
    """The status of each of `count` workers, asked on new connections until each has answered."""
    seen: dict[int, dict] = {}
    for _ in range(tries):
        found = status(base)
        seen[found["worker"]] = found
        if len(seen) == count:
            break
    assert len(seen) == count, seen.keys()
    return seen


def group_name(base: str, group_id: str) -> str:
    return requests.get(f"{base}/group/{group_id}", headers=JSON, timeout=30).json()["name"]


def test_200_resets_leave_a_short_log_that_a_replacement_worker_and_a_restart_apply(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    args = ("--workers", "2", "--state", path, "--seed", "7", "--employees", "20", "--courses", "6")
    with running_server(*args) as (base, process):
        output = ConsoleOutput(process.stdout)
        group = requests.get(f"{base}/group", headers=JSON, timeout=30).json()[0]["groupId"]
        for i in range(200):
            assert requests.post(f"{base}/group/{group}", json={"name": f"write {i}"}, headers=JSON,
                                 timeout=30).status_code == 200
            assert requests.post(f"{base}/__admin/reset", timeout=30).status_code == 200
        assert requests.post(f"{base}/group/{group}", json={"name": "after the resets"}, headers=JSON,
                             timeout=30).status_code == 200
        assert events(path) == ["world.reset", "ispring.group_changed"]  # not 401 events
        seq = status(base)["seq"]
        assert seq == 401  # the positions go on
        victim = next(iter(workers(base)))
        os.kill(victim, signal.SIGKILL)  # gunicorn starts a replacement, which catches up from the short log
        deadline = time.monotonic() + 30
        while victim in workers(base) or len(workers(base)) < 2:
            assert time.monotonic() < deadline, "no replacement worker"
        assert all(s["seq"] == seq for s in workers(base).values())
        for _ in range(6):
            assert group_name(base, group) == "after the resets"
        process.terminate()
        process.wait(30)
        output.close()
    with running_server(*args) as (base, process):
        output = ConsoleOutput(process.stdout)
        assert group_name(base, group) == "after the resets" and group_name(base, group) == "after the resets"
        assert all(s["seq"] == seq for s in workers(base).values())
        process.terminate()
        process.wait(30)
        output.close()


def assert_unavailable_everywhere(base: str) -> None:
    """Each vendor's 503, on new connections (either worker), health too; no traceback."""
    for _ in range(3):
        answers = assert_503_in_every_shape(base)
        health = requests.get(f"{base}/__admin/health", headers=CLOSE, timeout=30)
        assert health.status_code == 503
        assert b"Traceback" not in b"".join(a.content for a in answers) + health.content


def said_by(output: ConsoleOutput, base: str, path: str, problem: str, count: int) -> set[str]:
    """The workers that logged `problem` of the file, once `count` have (health asked on new connections, so each
    worker gets some: every one of them answers 503, none goes on with a file of its own)."""
    for _ in range(200):
        workers = {line.split(" worker ")[1].split()[0] for line in output.lines if path in line and problem in line}
        if len(workers) >= count:
            return workers
        assert requests.get(f"{base}/__admin/health", headers=CLOSE, timeout=30).status_code == 503
    raise AssertionError(f"fewer than {count} workers said {problem!r}:\n" + "\n".join(output.lines))


def test_a_deleted_state_file_answers_503_on_every_worker_and_a_replacement_too(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    with running_server("--workers", "2", "--state", path, "--seed", "7", "--employees", "50") as (base, process):
        output = ConsoleOutput(process.stdout)
        pids = {str(pid) for pid in workers(base)}
        for suffix in ("", "-wal", "-shm"):
            os.unlink(path + suffix)
        assert_unavailable_everywhere(base)
        assert said_by(output, base, path, "was deleted", 2) == pids
        os.kill(int(min(pids)), signal.SIGKILL)  # its replacement must not make a new file of its own
        assert len(said_by(output, base, path, "was deleted", 3)) == 3  # the replacement said it too
        assert_unavailable_everywhere(base)
        assert not os.path.exists(path)
        lines = [line for line in output.lines if path in line and "was deleted" in line]
        assert len(lines) == 3, lines  # one line per worker, not one per request
        process.terminate()
        process.wait(30)
        output.close()


def test_a_read_only_state_file_answers_503_on_every_worker_until_it_is_writable_again(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    with running_server("--workers", "2", "--state", path, "--seed", "7", "--employees", "50") as (base, process):
        output = ConsoleOutput(process.stdout)
        pids = {str(pid) for pid in workers(base)}
        os.chmod(path, 0o400)  # (as root too: the file says it is not to be written)
        try:
            assert_unavailable_everywhere(base)
            assert said_by(output, base, path, "was made read-only", 2) == pids  # each worker, one line each
        finally:
            os.chmod(path, 0o600)
        for _ in range(4):
            assert requests.get(f"{base}/departments", headers=JSON, timeout=30).status_code == 200
        lines = [line for line in output.lines if path in line and "was made read-only" in line]
        assert len(lines) == 2 and any("writable again" in line for line in output.lines), lines
        process.terminate()
        process.wait(30)
        output.close()
