"""Soak (slow: .ci/run): SOAK_SECONDS at full rate (wrk, 2 threads, 16 connections) on a mix of both vendors' routes,
reads and writes, REST and SOAP, against a real 2-worker server on a state file of its own.

Held, measured over WINDOWS back-to-back wrk runs after a warm-up:
- 0 errors: every answer a 2xx (wrk counts any other status), no socket error (connect, read, write, timeout);
- p99 flat: the best p99 of the second half's windows within P99_FACTOR of the best of the first half's, plus
  P99_NOISE_MS. The best of several windows, because CI's 2 cores are shared (`make test-slow` runs other slow suites
  beside this one): another process's burst inflates the p99 of the windows it falls in, while a server that slows
  down as it runs inflates every later window, its best one too;
- each worker's RSS (VmRSS) grows at most 10% from the end of the warm-up to the end; no worker was replaced;
- the state file and its WAL bounded (see `state_bound`).

The writes change existing records back and forth (an enrollment's dates, a tag's and a user's name, by REST and
SOAP): each is a real event in the shared log, but none adds a record, so a worker's world keeps its size and RSS
growth shows a leak, not data. No token is issued: a token lives 30 minutes by design, so tokens issued at full rate
for two minutes would grow the file by design (their expiry is tests/test_state.py's).
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import requests

from .helpers.ispring_wire import DOE_ENROLLMENT, JOHN_DOE, LEGACY_CREDENTIALS, LEGACY_HEADERS, SMITH_ENROLLMENT, \
    SOAP_PATH, SPREADSHEETS, envelope
from .helpers.servers import ConsoleOutput, running_server
from .helpers.workers import close_all, descendants, file_size, rss_kb, worker_sessions

pytestmark = pytest.mark.slow

SOAK_SECONDS = 120
WINDOWS = 8  # wrk runs of SOAK_SECONDS / WINDOWS each: the first half is compared with the second
WARMUP_REQUESTS = 6000  # before anything is measured: the journal's ring full and turned over, each worker's caches
#                         warm (SQLite's page cache, every route's first call); counted, not timed, as a loaded CI box
#                         serves a third of a quiet one's rate
WARMUP_CHUNK, WARMUP_MAX = 5, 120  # seconds of wrk at a time, and at most in all
CONNECTIONS, THREADS = 16, 2
JOURNAL = 2000  # the request journal's ring (--journal-size): full within the warm-up, so its share of the file is
#                 steady from then on (the default, 10,000, would take the warm-up much longer to fill)
P99_FACTOR, P99_NOISE_MS = 3, 25
RSS_GROWTH = 0.10
EVENT_BYTES = 1024  # an event's row and index entry (a few hundred bytes of JSON), generously
WORKERS = 2

RK = {"Authorization": "access_token", "Content-Type": "application/json"}
IS_XML = LEGACY_HEADERS
IS_JSON = {**LEGACY_HEADERS, "Accept": "application/json", "Content-Type": "application/json"}
SOAP = {"Content-Type": "text/xml; charset=utf-8"}


def soap(op: str, **params) -> str:
    return envelope(op, credentials=LEGACY_CREDENTIALS, **params).decode()


# (method, path, headers, bodies): a write's bodies alternate, each use of the route the next one
MIX = [
    ("GET", "/ruangkerja/dashboard/courses?page=1&pageSize=10", RK, None),
    ("GET", "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=1&pageSize=10", RK, None),
    ("GET", "/ruangkerja/users?page=1&pageSize=20", RK, None),
    ("GET", "/enrollments?pageSize=100", IS_XML, None),
    ("GET", f"/user/{JOHN_DOE}", IS_JSON, None),
    ("GET", "/departments", IS_JSON, None),
    ("POST", SOAP_PATH, SOAP, [soap("getEnrollment", enrollmentId=SMITH_ENROLLMENT)]),
    ("POST", SOAP_PATH, SOAP, [soap("getEnrollments", courseIds=[SPREADSHEETS])]),
    # writes
    ("PUT", "/ruangkerja/tags/RUKRTAG-9WHL0JGP", RK, [json.dumps({"name": f"soak {x}"}) for x in "ab"]),
    ("PUT", "/ruangkerja/users/EMPLY001", RK, [json.dumps({"employeeID": "EMPLY001", "name": f"Soak {x}",
                                                          "isActive": True}) for x in "AB"]),
    ("POST", f"/enrollment/{SMITH_ENROLLMENT}", IS_JSON,
     [json.dumps({"accessDate": f"2024-01-0{d}", "dueDateType": "unlimited"}) for d in (1, 2)]),
    ("POST", f"/user/{JOHN_DOE}", IS_JSON, [json.dumps({"fields": {"job_title": f"Soak {x}"}}) for x in "AB"]),
    ("POST", SOAP_PATH, SOAP, [soap("changeEnrollment", enrollmentId=DOE_ENROLLMENT, accessDate=f"2024-02-0{d} 10:00:00",
                                    dueDateType="unlimited") for d in (1, 2)]),
]


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def wrk_script() -> str:
    """Each wrk thread cycles through MIX; `done` prints the run's figures as one JSON line."""
    rows = []
    for method, path, headers, bodies in MIX:
        heads = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        listed = ", ".join(lua_string(b) for b in bodies or [])
        rows.append(f"  {{method = {lua_string(method)}, path = {lua_string(path)}, headers = {{{heads}}}, "
                    f"bodies = {{{listed}}}}},")
    return "\n".join([
        "local routes = {", *rows, "}",
        "local n = 0",
        "function request()",
        "  local r = routes[n % #routes + 1]",
        "  local body = nil",
        "  if #r.bodies > 0 then body = r.bodies[math.floor(n / #routes) % #r.bodies + 1] end",
        "  n = n + 1",
        "  return wrk.format(r.method, r.path, r.headers, body)",
        "end",
        "function done(summary, latency, requests)",
        "  local e = summary.errors",
        '  io.write(string.format(\'WRK {"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, '
        '"max_ms": %f, "status": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\\n\', '
        "summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, "
        "latency.max / 1e3, e.status, e.connect, e.read, e.write, e.timeout))",
        "end",
    ])


def run_wrk(wrk: str, url: str, script: str, seconds: float) -> dict:
    result = subprocess.run([wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", "10s",
                             "-s", script, url], capture_output=True, text=True, timeout=seconds + 60)
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("WRK ")]
    figures = json.loads(line[4:])
    figures["errors"] = sum(figures[k] for k in ("status", "connect", "read", "write", "timeout"))
    return figures


def warm_up(wrk: str, url: str, script: str) -> dict:
    """wrk runs of WARMUP_CHUNK seconds until WARMUP_REQUESTS were answered: their figures summed."""
    total = {"requests": 0, "seconds": 0.0, "errors": 0}
    while total["requests"] < WARMUP_REQUESTS:
        assert total["seconds"] < WARMUP_MAX, f"{total['requests']} requests in {WARMUP_MAX} s of warm-up"
        run = run_wrk(wrk, url, script, WARMUP_CHUNK)
        total = {key: total[key] + run[key] for key in total}
    return total


def page_size(path: str) -> int:
    """A SQLite file's page size: its header's bytes 16-17 (big-endian; 1 means 65536)."""
    with open(path, "rb") as handle:
        header = handle.read(18)
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def state_bound(warm: dict, end: dict, page: int) -> tuple[int, int]:
    """(bound of the state file, bound of its WAL), in bytes, at the end.

    The file: what it held after the warm-up (the world's claim, the journal's full ring, the warm-up's events) plus
    EVENT_BYTES per event appended since, plus a quarter of the warm-up size for SQLite's page reuse (a journal entry
    freed is not always the size of the next). Reads, no-op writes and the journal's turnover add nothing more.
    The WAL: SQLite checkpoints it into the file once it holds 1,000 pages and then writes it again from its start,
    so it stays near 1,000 pages; twice that is the bound (a WAL that readers keep from being checkpointed grows past
    it without end)."""
    return (warm["file"] + (end["seq"] - warm["seq"]) * EVENT_BYTES + warm["file"] // 4, 2 * 1000 * page)


def state_sizes(url: str, path: str) -> dict:
    status = requests.get(f"{url}/__admin/status", timeout=30).json()
    return {"file": file_size(path), "wal": file_size(path + "-wal"), "seq": status["seq"],
            "journal": status["counts"]["journal"]}


def test_soak_at_full_rate_on_both_vendors(tmp_path):
    wrk = shutil.which("wrk")
    if wrk is None:
        pytest.skip("wrk is not installed: .ci/bench-setup installs it")
    script = tmp_path / "mix.lua"
    script.write_text(wrk_script())
    state = str(tmp_path / "state.sqlite3")
    args = ("--workers", str(WORKERS), "--seed", "7", "--employees", "50", "--state", state,
            "--journal-size", str(JOURNAL))
    with running_server(*args) as (url, process):
        output = ConsoleOutput(process.stdout)
        try:
            warmup = warm_up(wrk, url, str(script))
            sessions = worker_sessions(url, WORKERS)
            close_all(sessions)
            workers = set(sessions)
            assert workers <= descendants(process.pid), (workers, descendants(process.pid))
            rss_warm = {pid: rss_kb(pid) for pid in workers}
            warm = state_sizes(url, state)
            windows = [run_wrk(wrk, url, str(script), SOAK_SECONDS / WINDOWS) for _ in range(WINDOWS)]
            rss_end = {pid: rss_kb(pid) for pid in workers}
            end = state_sizes(url, state)
            assert descendants(process.pid) >= workers, "a worker was replaced during the soak"
        finally:
            process.terminate()
            process.wait(10)
            output.close()
    file_bound, wal_bound = state_bound(warm, end, page_size(state))
    report = [f"warm-up {warmup['requests'] / warmup['seconds']:.0f} rps, {warmup['errors']} errors"]
    report += [f"window {i + 1}: {w['requests'] / w['seconds']:.0f} rps, p50 {w['p50_ms']:.1f} ms, p99 "
               f"{w['p99_ms']:.1f} ms, max {w['max_ms']:.0f} ms, {w['errors']} errors" for i, w in enumerate(windows)]
    report += [f"worker {pid}: RSS {rss_warm[pid]} kB -> {rss_end[pid]} kB "
               f"({(rss_end[pid] - rss_warm[pid]) / rss_warm[pid]:+.1%})" for pid in sorted(workers)]
    report += [f"state file {warm['file']} -> {end['file']} B (bound {file_bound}), WAL {warm['wal']} -> "
               f"{end['wal']} B (bound {wal_bound}), events {warm['seq']} -> {end['seq']}, journal {end['journal']}"]
    print("\n" + "\n".join(report))
    assert warmup["errors"] == 0 and [w["errors"] for w in windows] == [0] * WINDOWS, windows
    assert warm["journal"] >= JOURNAL, "the warm-up did not fill the journal's ring: the file's sizes are not steady"
    first = min(w["p99_ms"] for w in windows[:WINDOWS // 2])
    last = min(w["p99_ms"] for w in windows[WINDOWS // 2:])
    assert last <= P99_FACTOR * first + P99_NOISE_MS, f"p99 grew from {first:.1f} ms to {last:.1f} ms"
    for pid in workers:
        assert rss_end[pid] <= rss_warm[pid] * (1 + RSS_GROWTH), f"worker {pid}: RSS {rss_warm[pid]} -> {rss_end[pid]} kB"
    assert end["file"] <= file_bound, f"the state file grew to {end['file']} B, past {file_bound}"
    assert end["wal"] <= wal_bound, f"the WAL grew to {end['wal']} B, past {wal_bound}"
