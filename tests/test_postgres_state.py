"""Several replicas, one world: two `mockserver serve` processes (two workers each) on one real PostgreSQL, started
by the test on a temporary data directory and port (tests/helpers/postgres.py). Slow: a database and four workers.

What a client of a load-balanced deployment relies on: a write through one replica is read through the other (REST
and SOAP), a token of one works on the other, concurrent writers across both lose or double nothing, a reset and a
control-plane fault set through one act on both, a replica of another world is refused in one line, and a database
restarted mid-run makes requests fail in the vendor's 503 shape while it is down, then succeed, with no write lost.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing

import pytest
import requests
import zeep

from .helpers.ispring_wire import CLIENT_FORM, LEGACY_HEADERS, SOAP_PATH, SPREADSHEETS
from .helpers.postgres import PostgresServer, require_binaries
from .helpers.servers import free_port, running_server
from .helpers.unavailable import assert_503_in_every_shape

pytestmark = pytest.mark.slow

JSON = {**LEGACY_HEADERS, "Accept": "application/json", "Connection": "close"}  # a new connection: either worker


@pytest.fixture(scope="module")
def cluster():
    """(database, replica A's URL, replica B's URL)."""
    database = PostgresServer(require_binaries())
    with ExitStack() as stack:
        stack.callback(database.cleanup)
        database.start()
        args = ("--workers", "2", "--state", database.url, "--seed", "7", "--employees", "50")
        one, _ = stack.enter_context(running_server(*args))
        two, _ = stack.enter_context(running_server(*args))
        yield database, one, two


def add_user(base: str, login: str) -> requests.Response:
    body = {"departmentId": department(base), "fields": {"login": login, "email": f"{login}@example.com",
                                                          "first_name": "Pat", "last_name": login}}
    return requests.post(f"{base}/user", json=body, headers=JSON, timeout=30)


def department(base: str, known: dict = {}) -> str:
    if base not in known:
        listed = requests.get(f"{base}/departments", headers=JSON, timeout=30).json()
        known[base] = listed["departments"][0]["departmentId"]
    return known[base]


def user_ids(base: str) -> set[str]:
    listed = requests.get(f"{base}/user", headers=JSON, timeout=30)
    assert listed.status_code == 200, listed.text
    return {row["userId"] for row in listed.json()}


def soap_enrollments(base: str, learner: str) -> list[str]:
    client = zeep.Client(f"{base}{SOAP_PATH}?wsdl")
    with closing(client.transport.session):
        rows = client.service.getEnrollments(credentials={"accountUrl": LEGACY_HEADERS["X-Auth-Account-Url"],
                                                          "email": "email@email.com", "password": "12345Q"},
                                             courseIds={"id": [SPREADSHEETS]}, learnerIds={"id": [learner]})
    return [r.enrollmentId for r in rows or []]


def test_writes_through_one_replica_are_read_through_the_other(cluster):
    _, one, two = cluster
    login = f"pg-{uuid.uuid4().hex[:8]}"
    created = add_user(one, login)
    assert created.status_code == 201, created.text
    user_id = created.json()
    profile = requests.get(f"{two}/user/{user_id}", headers=JSON, timeout=30)
    assert profile.status_code == 200 and {"name": "LOGIN", "value": login} in profile.json()["response"]["fields"]
    enrolled = requests.post(f"{one}/enrollment", json={"courseIds": [SPREADSHEETS], "learnerIds": [user_id],
                                                         "dueDateType": "unlimited"}, headers=JSON, timeout=30)
    assert enrolled.status_code == 201, enrolled.text
    (enrollment,) = enrolled.json()["enrollmentIds"]
    assert soap_enrollments(two, user_id) == [enrollment]  # SOAP through the other replica
    # and back: a SOAP write through B, read by REST through A
    client = zeep.Client(f"{two}{SOAP_PATH}?wsdl")
    with closing(client.transport.session):
        credentials = {"accountUrl": LEGACY_HEADERS["X-Auth-Account-Url"], "email": "email@email.com",
                       "password": "12345Q"}
        assert client.service.unenroll(credentials=credentials, enrollmentId=enrollment) is True
    gone = requests.get(f"{one}/enrollment/{enrollment}", headers=JSON, timeout=30)
    assert gone.status_code == 400 and gone.json()["code"] == 400


def test_a_token_issued_by_one_replica_works_on_the_other(cluster):
    _, one, two = cluster
    token = requests.post(f"{one}/api/v3/token", data=CLIENT_FORM, timeout=30).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}", "Accept": "application/json", "Connection": "close"}
    for _ in range(4):  # either worker of B
        assert requests.get(f"{two}/departments", headers=auth, timeout=30).status_code == 200
    wrong = requests.get(f"{two}/departments", headers={**auth, "Authorization": "Bearer nope"}, timeout=30)
    assert wrong.status_code == 401


def test_32_concurrent_writers_across_both_lose_or_double_nothing(cluster):
    database, one, two = cluster
    before = database.query("SELECT COUNT(*) FROM events")[0][0]
    logins = [f"c{i}-{uuid.uuid4().hex[:6]}" for i in range(32)]
    with ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(lambda pair: add_user(*pair), [(one if i % 2 else two, login)
                                                               for i, login in enumerate(logins)]))
    assert [a.status_code for a in answers] == [201] * 32, [a.text for a in answers if a.status_code != 201]
    created = {a.json() for a in answers}
    assert len(created) == 32  # no ID given twice
    assert created <= user_ids(one) and created <= user_ids(two)
    assert database.query("SELECT COUNT(*) FROM events")[0][0] == before + 32
    seqs = [s for (s,) in database.query("SELECT seq FROM events ORDER BY seq")]
    assert len(seqs) == len(set(seqs))


def test_a_fault_set_through_one_replica_acts_on_the_other(cluster):
    _, one, two = cluster
    fault = requests.post(f"{one}/__admin/faults", json={"kind": "status", "status": 429, "times": 2,
                                                         "match": {"vendor": "ispring", "path": "/departm*"}},
                          timeout=30)
    assert fault.status_code == 201, fault.text
    try:
        statuses = [requests.get(f"{two}/departments", headers=JSON, timeout=30).status_code for _ in range(3)]
        assert statuses == [429, 429, 200]  # `times` counted across replicas
        listed = requests.get(f"{two}/__admin/faults", timeout=30).json()["faults"]
        assert [(f["id"], f["fired"], f["active"]) for f in listed] == [(fault.json()["id"], 2, False)]
    finally:
        requests.delete(f"{one}/__admin/faults", timeout=30)


def test_reset_through_one_replica_resets_both(cluster):
    database, one, two = cluster
    created = add_user(two, f"r-{uuid.uuid4().hex[:8]}").json()
    assert created in user_ids(one)
    reset = requests.post(f"{one}/__admin/reset", timeout=30)
    assert reset.status_code == 200 and reset.json()["status"] == "ok"
    assert created not in user_ids(two) and created not in user_ids(one)
    # the reset cut the log: it is the oldest event kept, and a write after it reaches both replicas
    assert database.query("SELECT kind FROM events ORDER BY seq") == [("world.reset",)]
    after = add_user(one, f"a-{uuid.uuid4().hex[:8]}").json()
    assert after in user_ids(two) and database.query("SELECT COUNT(*) FROM events")[0][0] == 2


def test_a_replica_of_another_world_is_refused_in_one_line(cluster):
    database, _, _ = cluster
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", str(free_port()), "--state", database.url,
                             "--seed", "5"], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
    assert len(lines) == 1 and "belongs to another world" in lines[0] and "seed 5" in lines[0], lines
    assert "secret" not in lines[0]  # the URL's password is never printed


def test_database_restart_answers_503_in_the_vendor_shape_then_recovers_with_no_write_lost(cluster):
    database, one, two = cluster
    kept = [add_user(one if i % 2 else two, f"k{i}-{uuid.uuid4().hex[:6]}").json() for i in range(4)]
    database.stop("fast")
    try:
        assert_503_in_every_shape(one, two, timeout=60)
    finally:
        database.start()
    deadline = time.monotonic() + 30
    while requests.get(f"{one}/departments", headers=JSON, timeout=60).status_code != 200:
        assert time.monotonic() < deadline, "replica A did not come back"
    after = add_user(two, f"after-{uuid.uuid4().hex[:6]}")
    assert after.status_code == 201, after.text
    for base in (one, two):
        assert set(kept) | {after.json()} <= user_ids(base)
