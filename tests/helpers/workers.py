"""A real server's worker processes, seen from outside: through HTTP and /proc only, never through the WSGI server's
internals (the serving model may change: gunicorn today, another server tomorrow).

Admin answers name the worker that gave them (`X-Mockserver-Worker`), and a keep-alive connection stays with the
worker that accepted it: `worker_sessions` opens connections until it holds one on each worker, so a test can read
through every worker. `descendants` and `rss_kb` read /proc (no psutil).
"""

from __future__ import annotations

import os
from pathlib import Path

import requests

WORKER_HEADER = "X-Mockserver-Worker"


def worker_of(session: requests.Session, base: str) -> int:
    """The pid of the worker that holds this session's connection."""
    answer = session.get(base + "/__admin/health", timeout=30)
    answer.raise_for_status()
    return int(answer.headers[WORKER_HEADER])


def worker_sessions(base: str, count: int, tries: int = 400) -> dict[int, requests.Session]:
    """A keep-alive session on each of `count` workers, by pid."""
    found: dict[int, requests.Session] = {}
    for _ in range(tries):
        session = requests.Session()
        pid = worker_of(session, base)
        if pid in found:
            session.close()
        else:
            found[pid] = session
            if len(found) == count:
                return found
    for session in found.values():
        session.close()
    raise AssertionError(f"{tries} connections reached only the workers {sorted(found)}, not {count}")


def close_all(sessions: dict[int, requests.Session]) -> None:
    for session in sessions.values():
        session.close()


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc/*/stat: its 4th field is the parent's pid)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        # the command name (2nd field) is in parentheses and may hold spaces: the fields after it are split safely
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def descendants(pid: int) -> set[int]:
    """Every process under `pid`: the server's workers, whether the WSGI server forks them itself or through a helper
    process."""
    found, todo = set(), [pid]
    while todo:
        below = children(todo.pop())
        todo += below - found
        found |= below
    return found


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie counts as gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2] != "Z"


def rss_kb(pid: int) -> int:
    """The process's resident set (VmRSS), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def file_size(path: str) -> int:
    """Bytes of `path`, 0 when it does not exist (a WAL between checkpoints may be absent)."""
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0
