"""`mockserver serve` for real: gunicorn workers sharing one state, the console banner, env-var twins.

All on the session's real server (the `real_server` fixture): two workers, configured by MOCKSERVER_* variables
only (tests/helpers/servers.py, SHARED_ENV)."""

from contextlib import closing

import requests

from mockserver.contracts.base import violations
from mockserver.contracts.ruangkerja import CourseOfflineUsersResponseSchema

from .helpers.servers import SHARED_ENV

OFFLINE = "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=1&pageSize=10"
CREDENTIALS = {"clientID": "example", "clientSecret": "example_secret", "grantType": "client_credentials"}


def worker_of(session: requests.Session, base: str) -> str:
    return session.get(base + "/__admin/health").headers["X-Mockserver-Worker"]


def sessions_on_two_workers(base: str) -> tuple[requests.Session, requests.Session]:
    """Two keep-alive connections that gunicorn handed to different worker processes."""
    first = requests.Session()
    pid = worker_of(first, base)
    for _ in range(200):
        other = requests.Session()
        if worker_of(other, base) != pid:
            return first, other
        other.close()
    first.close()
    raise AssertionError("every connection went to one worker")


def test_token_from_one_worker_works_on_another(fresh_server):
    base = fresh_server.url
    issuer, user = sessions_on_two_workers(base)
    with closing(issuer), closing(user):
        token = issuer.post(base + "/oauth/token", json=CREDENTIALS).json()["data"]["accessToken"]
        response = user.get(base + OFFLINE, headers={"Authorization": token})
    assert response.status_code == 200
    assert violations(CourseOfflineUsersResponseSchema, response.json(), ordered=True) == []
    assert response.json()["data"]["items"][0]["user"]["name"] == "John Doe"


def test_banner_and_environment_twins(fresh_server):
    """No option but --host and --port on the command line: seed, people and workers come from SHARED_ENV."""
    seed, people, workers = (SHARED_ENV[f"MOCKSERVER_{name}"] for name in ("SEED", "EMPLOYEES", "WORKERS"))
    base = fresh_server.url
    assert requests.get(base + "/__admin/health").json()["seed"] == int(seed)
    response = requests.get(base + OFFLINE, headers={"Authorization": "access_token"})
    assert response.json()["data"]["items"][0]["user"]["name"] == "John Doe"
    output = "\n".join(fresh_server.output.until("Admin "))
    assert f"mockserver 0.1.0: seed {seed}, {people} people, 30 courses" in output
    assert f", {workers} workers\n" in output
    assert f"Ruangkerja   {base}/ruangkerja/...  token: POST {base}/oauth/token with client example / example_secret" \
        in output
    assert "`Authorization: access_token`" in output
    assert f"Admin        {base}/__admin/health" in output
