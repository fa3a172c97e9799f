"""`mockserver serve` for real: gunicorn workers sharing one state, the console banner, env-var twins."""

import requests

from contracts.base import violations
from contracts.ruangkerja import CourseOfflineUsersResponseSchema

from .helpers.servers import running_server

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
    raise AssertionError("every connection went to one worker")


def test_token_from_one_worker_works_on_another():
    with running_server("--workers", "2") as (base, _):
        issuer, user = sessions_on_two_workers(base)
        token = issuer.post(base + "/oauth/token", json=CREDENTIALS).json()["data"]["accessToken"]
        response = user.get(base + OFFLINE, headers={"Authorization": token})
        assert response.status_code == 200
        assert violations(CourseOfflineUsersResponseSchema, response.json(), ordered=True) == []
        assert response.json()["data"]["items"][0]["user"]["name"] == "John Doe"


def test_banner_and_environment_twins():
    env = {"MOCKSERVER_SEED": "7", "MOCKSERVER_WORKERS": "1", "MOCKSERVER_EMPLOYEES": "50"}
    with running_server(env=env) as (base, process):
        assert requests.get(base + "/__admin/health").json()["seed"] == 7
        response = requests.get(base + OFFLINE, headers={"Authorization": "access_token"})
        assert response.json()["data"]["items"][0]["user"]["name"] == "John Doe"
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "mockserver 0.1.0: seed 7, 50 people, 30 courses" in output
    assert f"Ruangkerja   {base}/ruangkerja/...  token: POST {base}/oauth/token with client example / example_secret" in output
    assert "`Authorization: access_token`" in output
    assert f"Admin        {base}/__admin/health" in output
