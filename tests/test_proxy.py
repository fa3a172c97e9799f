"""`mockserver proxy`: forwards unchanged, checks each answer, keeps the drift at /__admin/drift, records samples.

The upstream is tests/helpers/upstream.py on a free 127.0.0.1 port; nothing else is ever called.
"""

from __future__ import annotations

import gzip
import json
import subprocess

import pytest
import requests
from click.testing import CliRunner

from mockserver.cli import main
from mockserver.contract.proxy import create_proxy
from mockserver.contract.ruangkerja import VENDOR

from .helpers.outcomes import contract
from .helpers.servers import BIN, free_port, serving
from .helpers.upstream import TOKEN, create_upstream

USERS = "/ruangkerja/dashboard/courses/COURSE-UPSTREAM/offline/BATCH-UP-01/users?page=1&pageSize=10"
AUTH = {"Authorization": TOKEN}


@pytest.fixture
def drifted():
    app = create_upstream("wrong_type")
    with serving(app) as url:
        yield app, url


def test_forwards_unchanged_and_keeps_the_drift(drifted):
    upstream_app, url = drifted
    proxy = create_proxy(VENDOR, url).test_client()
    direct = requests.get(url + USERS, headers=AUTH)
    through = proxy.get(USERS, headers={**AUTH, "X-Trace": "t-1"})
    assert through.status_code == 200
    assert through.get_data() == direct.content
    assert through.headers["Content-Type"] == direct.headers["Content-Type"]
    assert upstream_app.config["requests"][-1] == ("GET", USERS, TOKEN)

    assert proxy.get("/ruangkerja/dashboard/courses?page=1&pageSize=10", headers=AUTH).status_code == 200
    assert proxy.get("/somewhere/else", headers=AUTH).status_code == 404  # no contract: forwarded, not checked
    report = proxy.get("/__admin/drift").get_json()
    at = report["drift"][0].pop("at")
    assert len(at) == 25 and at.endswith("+00:00")
    assert report == {
        "vendor": "ruangkerja", "upstream": url, "checked": 2, "drifted": 1, "unmatched": 1,
        "drift": [{"operation": "ruangkerja.course_offline_user_assignment", "method": "GET", "path": USERS,
                   "status": 200, "contract": "CourseOfflineUsersResponseSchema",
                   "differences": ["data.items[3].isAttend: expected boolean, got string"]}],
    }
    assert proxy.delete("/__admin/drift").status_code == 204
    assert proxy.get("/__admin/drift").get_json()["checked"] == 0


def test_failures_are_checked_against_the_error_contract(drifted):
    _, url = drifted
    proxy = create_proxy(VENDOR, url).test_client()
    refused = proxy.get(USERS, headers={"Authorization": "stale"})
    assert refused.status_code == 403
    assert refused.get_json()["errorCode"] == 123
    report = proxy.get("/__admin/drift").get_json()
    assert (report["checked"], report["drifted"]) == (1, 0)


def test_post_bodies_and_query_strings_pass_through(drifted):
    upstream_app, url = drifted
    proxy = create_proxy(VENDOR, url).test_client()
    answer = proxy.post("/oauth/token", json={"clientID": "upstream-client", "clientSecret": "upstream-secret",
                                              "grantType": "client_credentials"})
    assert answer.get_json()["data"]["accessToken"] == TOKEN
    proxy.get("/ruangkerja/dashboard/courses?page=1&pageSize=10&name=Kom%20unikasi", headers=AUTH)
    assert upstream_app.config["requests"][-1][1] == "/ruangkerja/dashboard/courses?page=1&pageSize=10&name=Kom%20unikasi"
    assert proxy.get("/__admin/drift").get_json()["drifted"] == 0


def test_record_saves_samples_that_check_back(drifted, tmp_path):
    _, url = drifted
    proxy = create_proxy(VENDOR, url, record=tmp_path).test_client()
    proxy.get(USERS, headers=AUTH)
    proxy.get("/ruangkerja/dashboard/courses?page=1&pageSize=10", headers=AUTH)
    proxy.get(USERS, headers={"Authorization": "stale"})
    saved = sorted(p.relative_to(tmp_path).parent.as_posix() for p in tmp_path.rglob("*.json"))
    assert saved == ["ruangkerja/course", "ruangkerja/course_offline_user_assignment", "ruangkerja/error"]
    files = sorted(str(p) for p in tmp_path.rglob("*.json"))
    run = contract("check", *files)
    assert run.exit_code == 1
    assert {o.operation: o.result for o in run.outcomes} == {
        "ruangkerja.course": "PASS", "ruangkerja.course_offline_user_assignment": "FAIL", "ruangkerja.error": "PASS"}
    assert [o.differences for o in run.outcomes if o.result == "FAIL"] == [
        ["data.items[3].isAttend: expected boolean, got string"]]


def test_compressed_answers_are_forwarded_compressed_and_checked(tmp_path):
    from flask import Flask

    upstream = Flask("gzip-upstream")
    body = json.dumps({"errorCode": "123", "message": "m", "detail": "d"}).encode()

    @upstream.get("/ruangkerja/dashboard/courses")
    def courses():
        return gzip.compress(body), 403, {"Content-Type": "application/json", "Content-Encoding": "gzip"}

    with serving(upstream) as url:
        proxy = create_proxy(VENDOR, url).test_client()
        answer = proxy.get("/ruangkerja/dashboard/courses?page=1&pageSize=1", headers={"Accept-Encoding": "gzip"})
        assert answer.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(answer.get_data()) == body
        (entry,) = proxy.get("/__admin/drift").get_json()["drift"]
    assert entry["differences"] == ["errorCode: expected integer, got string"]


def test_unreachable_upstream_is_a_502():
    port = free_port()
    proxy = create_proxy(VENDOR, f"http://127.0.0.1:{port}").test_client()
    answer = proxy.get("/ruangkerja/dashboard/courses?page=1&pageSize=1")
    assert answer.status_code == 502
    assert answer.get_json() == {"error": f"upstream http://127.0.0.1:{port} unreachable: connection refused"}


@pytest.mark.slow  # a real server process: the slow suite
def test_the_proxy_command_serves_with_gunicorn(drifted, tmp_path):
    _, url = drifted
    port = free_port()
    command = [str(BIN / "mockserver"), "proxy", "--vendor", "ruangkerja", "--upstream", url, "--port", str(port),
               "--record", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(base + "/__admin/drift", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None:
                    break
                subprocess.run(["sleep", "0.05"])
        assert requests.get(base + USERS, headers=AUTH).json()["data"]["items"][3]["isAttend"] == "true"
        report = requests.get(base + "/__admin/drift").json()
        assert [d["differences"] for d in report["drift"]] == [["data.items[3].isAttend: expected boolean, got string"]]
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert f"mockserver proxy: Ruangkerja requests to {base} go to {url}, each answer checked against its contract" in output
    assert f"  Drift        {base}/__admin/drift" in output
    assert (f"WARNING drift: ruangkerja.course_offline_user_assignment GET {USERS} -> 200: "
            "data.items[3].isAttend: expected boolean, got string") in output
    assert len(list((tmp_path / "ruangkerja" / "course_offline_user_assignment").glob("*.json"))) == 1


def test_proxy_usage_errors():
    result = CliRunner().invoke(main, ["proxy", "--vendor", "ruangkerja", "--upstream", "api.ruangkerja.id"])
    assert result.exit_code == 2
    assert "--upstream must be an http:// or https:// URL, got 'api.ruangkerja.id'" in result.stderr
