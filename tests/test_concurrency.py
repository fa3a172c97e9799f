"""Concurrency and faults on a real 2-worker server (slow: .ci/run): 32 writers over REST and SOAP of both vendors
lose and double nothing, a reset in the middle of reads and writes leaves every worker on the pristine world, and a
worker killed with SIGKILL under load is replaced with no acknowledged write lost.

The writers keep a ledger of what the server acknowledged (a 2xx, or a SOAP result), and every check reads back
through each worker (a keep-alive connection held on each: tests/helpers/workers.py):
- a tag and a user of Ruangkerja (POST /ruangkerja/tags, /ruangkerja/users), an iSpring user by REST (POST /user) and
  by SOAP (addUser), each then enrolled in a course (POST /enrollment, SOAP enrollLearnersInCourses);
- acknowledged: there exactly once, with the ID the answer gave; not acknowledged (the connection a killed worker
  held): there at most once;
- the log: one event per acknowledged write, no more, and the same log position on every worker.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
from lxml import etree

from .helpers.ispring_wire import COMMUNICATION, LEGACY_CREDENTIALS, LEGACY_HEADERS, SOAP_PATH, SPREADSHEETS, TNS, \
    envelope
from .helpers.servers import ConsoleOutput, running_server
from .helpers.workers import alive, close_all, descendants, worker_of, worker_sessions

pytestmark = pytest.mark.slow

WRITERS = 32
WRITE_SECONDS = 20  # the 32 writers' run
RESET_PHASE = 3  # seconds of reads and writes on each side of the reset
KILL_PHASE = 3  # seconds of writes before the kill, and again after the replacement answers
WORKERS = 2
RK = {"Authorization": "access_token"}  # Ruangkerja's static token
ISPRING = {**LEGACY_HEADERS, "Accept": "application/json"}
SOAP = {"Content-Type": "text/xml; charset=utf-8"}
TIMEOUT = 60  # a loaded 2-core CI box: a slow answer is not a lost one


@pytest.fixture(scope="module")
def server():
    """(base URL, pid) of `mockserver serve` with two workers; its console drained so its pipe never fills."""
    with running_server("--workers", str(WORKERS), "--seed", "7", "--employees", "50") as (url, process):
        output = ConsoleOutput(process.stdout)
        try:
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(10)
            output.close()


# --- the writers and their ledger --------------------------------------------------------------------------------------


@dataclass
class Write:
    """One write: what it names (`key`), when it was sent and acknowledged, and the ID the answer gave."""
    kind: str  # tag, rk_user, user (iSpring, by REST or SOAP), enrollment
    key: str | tuple
    sent: float
    acked: float | None = None
    value: str | None = None
    error: str | None = None


@dataclass
class Ledger:
    writes: list[Write] = field(default_factory=list)
    reads: Counter = field(default_factory=Counter)  # status -> count, of the readers' answers
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)

    def acked(self, kind: str | None = None) -> list[Write]:
        return [w for w in self.writes if w.acked is not None and kind in (None, w.kind)]

    def failed(self) -> list[Write]:
        return [w for w in self.writes if w.acked is None]


def department(base: str) -> str:
    return requests.get(f"{base}/departments", headers=ISPRING, timeout=TIMEOUT).json()["departments"][0][
        "departmentId"]


def soap_call(http: requests.Session, base: str, op: str, **params) -> etree._Element:
    """The result element of a SOAP call; an AssertionError with the answer for anything else."""
    answer = http.post(base + SOAP_PATH, data=envelope(op, credentials=LEGACY_CREDENTIALS, **params), headers=SOAP,
                       timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text[:300]
    (result,) = etree.fromstring(answer.content)[0]
    assert result.tag == f"{{{TNS}}}{op[0].upper()}{op[1:]}Result", answer.text[:300]
    return result


def one_write(ledger: Ledger, kind: str, key, send) -> str | None:
    """Record `send()` (which returns the ID acknowledged) in the ledger: acknowledged, or failed with why."""
    write = Write(kind, key, time.monotonic())
    try:
        write.value = send()
        write.acked = time.monotonic()
    except (requests.RequestException, AssertionError, etree.XMLSyntaxError, ValueError, KeyError) as error:
        write.error = f"{type(error).__name__}: {str(error)[:300]}"
    ledger.add(write)
    return write.value if write.acked is not None else None


def write_once(http: requests.Session, base: str, ledger: Ledger, kind: str, key: str, dept: str,
               enroll: bool = True) -> None:
    """One write of `kind` named `key`; an iSpring user is then enrolled (by the same protocol) once acknowledged,
    unless `enroll` is False."""
    if kind == "tag":
        def send():
            answer = http.post(f"{base}/ruangkerja/tags", json={"name": key}, headers=RK, timeout=TIMEOUT)
            assert answer.status_code == 200, answer.text[:300]
            return answer.json()["data"]["serial"]
        one_write(ledger, "tag", key, send)
    elif kind == "rk_user":
        def send():
            body = {"employeeID": key, "name": f"Writer {key}", "email": f"{key.lower()}@writers.example",
                    "isActive": True}
            answer = http.post(f"{base}/ruangkerja/users", json=body, headers=RK, timeout=TIMEOUT)
            assert answer.status_code == 200, answer.text[:300]
            return answer.json()["data"]["serial"]
        one_write(ledger, "rk_user", key, send)
    elif kind == "rest_user":
        def send():
            body = {"departmentId": dept, "fields": {"login": key, "email": f"{key}@writers.example",
                                                     "first_name": "Writer", "last_name": key}}
            answer = http.post(f"{base}/user", json=body, headers=ISPRING, timeout=TIMEOUT)
            assert answer.status_code == 201, answer.text[:300]
            return answer.json()
        user = one_write(ledger, "user", key, send)
        if user is not None and enroll:
            def enrolled():
                body = {"courseIds": [SPREADSHEETS], "learnerIds": [user], "dueDateType": "unlimited"}
                answer = http.post(f"{base}/enrollment", json=body, headers=ISPRING, timeout=TIMEOUT)
                assert answer.status_code == 201, answer.text[:300]
                (enrollment,) = answer.json()["enrollmentIds"]
                return enrollment
            one_write(ledger, "enrollment", (user, SPREADSHEETS), enrolled)
    elif kind == "soap_user":
        def send():
            result = soap_call(http, base, "addUser", email=f"{key}@writers.example", login=key, departmentId=dept)
            return result.findtext(f"{{{TNS}}}userId")
        user = one_write(ledger, "user", key, send)
        if user is not None and enroll:
            def enrolled():
                result = soap_call(http, base, "enrollLearnersInCourses", courseIds=[COMMUNICATION],
                                   learnerIds=[user], dueDateType="unlimited")
                assert result.findtext(f"{{{TNS}}}success") == "true"
                return None  # SOAP answers no enrollment ID
            one_write(ledger, "enrollment", (user, COMMUNICATION), enrolled)


KINDS = ("tag", "rk_user", "rest_user", "soap_user")


class Threads:
    """Threads running `_run(n)` until the block ends (then stopped and joined)."""

    def __init__(self, count: int):
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(count)]

    def _run(self, n: int) -> None:
        raise NotImplementedError

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(TIMEOUT + 10)
        assert not any(t.is_alive() for t in self.threads), "a thread never returned"


class Writers(Threads):
    """`count` threads writing until stopped, each cycling through KINDS from its own starting kind. Odd threads keep
    their connection (so stay on one worker), even ones open one per request (so are spread over the workers)."""

    def __init__(self, base: str, run: str, count: int, ledger: Ledger, enroll: bool = True):
        super().__init__(count)
        self.base, self.run, self.ledger, self.enroll = base, run, ledger, enroll
        self.dept = department(base)

    def _run(self, n: int) -> None:
        with requests.Session() as http:
            if n % 2 == 0:
                http.headers["Connection"] = "close"
            kinds = itertools.cycle(KINDS[n % len(KINDS):] + KINDS[:n % len(KINDS)])
            for i in itertools.count():
                if self.stop.is_set():
                    return
                kind = next(kinds)
                key = f"W{self.run}{n:02d}N{i:05d}"  # an employee ID, a login, a tag name: unique across runs
                write_once(http, self.base, self.ledger, kind, key if kind != "tag" else f"tag-{key}", self.dept,
                           self.enroll)


class Readers(Threads):
    """Threads reading both vendors until stopped, counting the answers' statuses in the ledger."""

    PATHS = [("/ruangkerja/tags?page=1&pageSize=100", RK), ("/ruangkerja/users?page=1&pageSize=100", RK),
             ("/user", ISPRING), (f"/enrollment?courseIds[]={SPREADSHEETS}", ISPRING)]

    def __init__(self, base: str, count: int, ledger: Ledger):
        super().__init__(count)
        self.base, self.ledger = base, ledger

    def _run(self, n: int) -> None:
        with requests.Session() as http:
            for path, headers in itertools.cycle(self.PATHS):
                if self.stop.is_set():
                    return
                try:
                    status = http.get(self.base + path, headers=headers, timeout=TIMEOUT).status_code
                except requests.RequestException as error:
                    status = type(error).__name__
                with self.ledger.lock:
                    self.ledger.reads[status] += 1


# --- reading back ------------------------------------------------------------------------------------------------------


def pages(http: requests.Session, url: str) -> list[dict]:
    """Every item of a paginated Ruangkerja list."""
    items: list[dict] = []
    for page in itertools.count(1):
        answer = http.get(f"{url}&page={page}&pageSize=100", headers=RK, timeout=TIMEOUT)
        assert answer.status_code == 200, answer.text[:300]
        data = answer.json()["data"]
        items += data["items"]
        if page >= data["totalPage"]:
            return items


@dataclass
class Seen:
    """What one worker answers, as the ledger keys its writes: (key, ID) pairs in lists, so a row there twice shows
    twice; every row by kind and key, to compare whole worlds; and the worker's log position."""
    pairs: dict[str, list[tuple]]  # kind -> [(key, ID)]
    rows: dict[str, list[dict]]  # "kind key" -> the rows listed under it
    seq: int


def seen(http: requests.Session, base: str) -> Seen:
    tags = pages(http, f"{base}/ruangkerja/tags?name=")
    rk_users = pages(http, f"{base}/ruangkerja/users?name=")  # a list item names no serial: the employee ID does
    users = http.get(f"{base}/user", headers=ISPRING, timeout=TIMEOUT)
    enrollments = http.get(f"{base}/enrollment?courseIds[]={SPREADSHEETS}&courseIds[]={COMMUNICATION}",
                           headers=ISPRING, timeout=TIMEOUT)
    assert users.status_code == enrollments.status_code == 200, (users.text[:300], enrollments.text[:300])
    logins = [({f["name"]: f["value"] for f in u["fields"]}["LOGIN"], u) for u in users.json()]
    pairs = {"tag": [(t["name"], t["serial"]) for t in tags],
             "rk_user": [(u["employeeID"], None) for u in rk_users],
             "user": [(login, u["userId"]) for login, u in logins],
             "enrollment": [((e["learnerId"], e["courseId"]), e["enrollmentId"])
                            for e in enrollments.json()["enrollments"]]}
    rows: dict[str, list[dict]] = {}
    for kind, listed in (("tag", [(t["name"], t) for t in tags]), ("rk_user", [(u["employeeID"], u) for u in rk_users]),
                         ("user", logins), ("enrollment", [(e["enrollmentId"], e)
                                                           for e in enrollments.json()["enrollments"]])):
        for key, row in listed:
            rows.setdefault(f"{kind} {key}", []).append(row)
    status = http.get(f"{base}/__admin/status", timeout=TIMEOUT)
    assert status.status_code == 200, status.text[:300]
    return Seen(pairs, rows, status.json()["seq"])


def through_every_worker(base: str) -> dict[int, Seen]:
    sessions = worker_sessions(base, WORKERS)
    try:
        return {pid: seen(http, base) for pid, http in sessions.items()}
    finally:
        close_all(sessions)


def check_ledger(ledger: Ledger, worlds: dict[int, Seen], base: str) -> None:
    """Every acknowledged write there exactly once with its ID, every unacknowledged one at most once, on every
    worker; a Ruangkerja user's acknowledged serial names that user (a sample: one read each)."""
    for pid, world in worlds.items():
        for kind, pairs in world.pairs.items():
            count = Counter(key for key, _ in pairs)
            ids = dict(pairs)
            for write in ledger.writes:
                if write.kind != kind:
                    continue
                if write.acked is None:
                    assert count[write.key] <= 1, f"worker {pid}: unacknowledged {kind} {write.key} is there twice"
                    continue
                assert count[write.key] == 1, f"worker {pid}: acknowledged {kind} {write.key} is there " \
                                              f"{count[write.key]} times"
                if kind != "rk_user" and write.value is not None:
                    assert ids[write.key] == write.value, f"worker {pid}: {kind} {write.key} has another ID"
    for write in ledger.acked("rk_user")[:: max(1, len(ledger.acked("rk_user")) // 40)]:
        found = requests.get(f"{base}/ruangkerja/users/{write.value}", headers=RK, timeout=TIMEOUT)
        assert found.status_code == 200 and found.json()["data"]["employeeID"] == write.key, found.text[:300]


# --- the tests ---------------------------------------------------------------------------------------------------------


def test_32_writers_over_rest_and_soap_lose_and_double_nothing(server):
    base, _ = server
    assert requests.post(f"{base}/__admin/reset", timeout=TIMEOUT).status_code == 200
    before = through_every_worker(base)
    ledger = Ledger()
    with Writers(base, "A", WRITERS, ledger):
        time.sleep(WRITE_SECONDS)
    assert ledger.failed() == [], [w.error for w in ledger.failed()][:5]
    kinds = Counter(w.kind for w in ledger.writes)
    assert all(kinds[kind] >= WRITERS // 4 for kind in ("tag", "rk_user", "user", "enrollment")), kinds
    worlds = through_every_worker(base)
    check_ledger(ledger, worlds, base)
    (start,) = {w.seq for w in before.values()}
    assert {w.seq for w in worlds.values()} == {start + len(ledger.writes)}  # one event per write, no more
    first, second = worlds.values()
    assert first.rows == second.rows  # the very same world through each worker
    print(f"\n{len(ledger.writes)} writes by {WRITERS} writers in {WRITE_SECONDS} s: {dict(kinds)}")


def reset(base: str) -> None:
    answer = requests.post(f"{base}/__admin/reset", timeout=TIMEOUT)
    assert answer.status_code == 200 and answer.json()["status"] == "ok", answer.text[:300]


def test_a_reset_amid_reads_and_writes_leaves_every_worker_on_the_pristine_world(server):
    """The oracle: once the reset has answered and the writers stopped, each worker answers the pristine world (every
    pristine row as it was, enrollments included) plus exactly the writes sent after the reset answered, and of the
    writes in flight during the reset, each either there or not (the log orders them either side of it); nothing
    acknowledged before the reset was sent survives it. Writers create without enrolling here: an enrollment sent
    after the reset of a user created before it is refused, rightly."""
    base, _ = server
    reset(base)
    pristine = through_every_worker(base)
    first, second = pristine.values()
    assert first.rows == second.rows
    ledger = Ledger()
    # enrollments of pristine learners, for the reset to undo among the rest
    learners = [user_id for _, user_id in first.pairs["user"]]
    enrolled = {key for key, _ in first.pairs["enrollment"]}
    for learner in [u for u in learners if (u, SPREADSHEETS) not in enrolled][:8]:
        def enroll(learner=learner):
            body = {"courseIds": [SPREADSHEETS], "learnerIds": [learner], "dueDateType": "unlimited"}
            answer = requests.post(f"{base}/enrollment", json=body, headers=ISPRING, timeout=TIMEOUT)
            assert answer.status_code == 201, answer.text[:300]
            return answer.json()["enrollmentIds"][0]
        one_write(ledger, "enrollment", (learner, SPREADSHEETS), enroll)
    with Readers(base, 4, ledger), Writers(base, "R", WRITERS // 2, ledger, enroll=False):
        time.sleep(RESET_PHASE)
        sent = time.monotonic()
        reset(base)
        answered = time.monotonic()
        time.sleep(RESET_PHASE)
    assert ledger.failed() == [], [w.error for w in ledger.failed()][:5]
    assert set(ledger.reads) == {200}, ledger.reads  # every read answered, during the reset too
    after = [w for w in ledger.writes if w.sent >= answered]
    gone = [w for w in ledger.writes if w.acked < sent]
    assert len(after) >= WRITERS and len(gone) >= WRITERS, (len(after), len(gone))
    maybe = {(w.kind, w.key) for w in ledger.writes if w not in after and w not in gone}
    worlds = through_every_worker(base)
    for pid, world in worlds.items():
        for key, rows in first.rows.items():
            assert world.rows.get(key) == rows, f"worker {pid}: pristine {key} is {world.rows.get(key)}"
        found = {(kind, key) for kind, pairs in world.pairs.items() for key, _ in pairs}
        pristine_keys = {(kind, key) for kind, pairs in first.pairs.items() for key, _ in pairs}
        assert {(w.kind, w.key) for w in after} <= found, f"worker {pid} lost a write made after the reset"
        assert not {(w.kind, w.key) for w in gone} & found, f"worker {pid} kept a write the reset undid"
        assert found - pristine_keys <= {(w.kind, w.key) for w in after} | maybe, f"worker {pid}: rows from nowhere"
        assert all(len(rows) == 1 for rows in world.rows.values()), f"worker {pid}: a row twice"
    one, two = worlds.values()
    assert one.rows == two.rows


def test_a_worker_killed_under_load_is_replaced_and_no_acknowledged_write_is_lost(server):
    """SIGKILL to one worker amid 32 writers: only the requests it held fail (their connection cut, no answer), a
    new worker answers within seconds, and every acknowledged write is there exactly once through every worker,
    the replacement included; an unacknowledged one at most once."""
    base, master = server
    reset(base)
    sessions = worker_sessions(base, WORKERS)
    close_all(sessions)
    before = set(sessions)
    assert before <= descendants(master), (before, descendants(master))
    victim = min(before)
    ledger = Ledger()
    with Writers(base, "K", WRITERS, ledger):
        time.sleep(KILL_PHASE)
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        deadline = killed + 30
        while True:
            with requests.Session() as probe:
                pid = worker_of(probe, base)
            if pid not in before:
                break
            assert time.monotonic() < deadline, "no new worker answered within 30 s of the kill"
            time.sleep(0.05)
        replaced = time.monotonic()
        time.sleep(KILL_PHASE)
    assert not alive(victim)
    assert pid in descendants(master)
    failed = ledger.failed()
    assert all("ConnectionError" in w.error for w in failed), [w.error for w in failed][:5]  # cut, never refused
    assert len(failed) <= WRITERS, len(failed)
    assert len([w for w in ledger.acked() if w.sent > replaced]) >= WRITERS
    worlds = through_every_worker(base)
    assert set(worlds) == before - {victim} | {pid}
    check_ledger(ledger, worlds, base)
    one, two = worlds.values()
    assert one.rows == two.rows
    print(f"\nreplaced in {replaced - killed:.2f} s; {len(ledger.acked())} writes acknowledged, {len(failed)} cut")
