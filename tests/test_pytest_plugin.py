"""The pytest plugin as a consumer uses it: `pytester` runs a small suite of theirs, in-process, found through the
package's pytest11 entry point (as in a consumer's venv), against the server the plugin starts or is pointed at.

The suites that clear a real server between tests need the control plane of issue 12 (faults, stubs, journal, clock,
scenarios, seed): they skip, saying so, where this checkout's admin table has not all of it. What the plugin sends is
checked everywhere, against a recording stand-in for the admin API.
"""

import pytest
from flask import Flask, jsonify, request

from mockserver import admin
from mockserver.pytest_plugin import cli_args

from .helpers.nested import run_pytest
from .helpers.servers import serving

pytest_plugins = ["pytester"]

CONTROL_PLANE = {("POST", "/__admin/faults"), ("DELETE", "/__admin/faults"), ("POST", "/__admin/stubs"),
                 ("DELETE", "/__admin/stubs"), ("GET", "/__admin/requests"), ("DELETE", "/__admin/requests"),
                 ("GET", "/__admin/requests/count"), ("GET", "/__admin/clock"), ("POST", "/__admin/clock"),
                 ("POST", "/__admin/activity"), ("POST", "/__admin/seed")}
ADMIN_ROUTES = {(m, p) for op in admin.OPERATIONS for m, p in op.routes()}
needs_control_plane = pytest.mark.skipif(
    not CONTROL_PLANE <= ADMIN_ROUTES,
    reason="the plugin clears faults, stubs, journal and clock: admin routes this checkout lacks: "
           + ", ".join(" ".join(r) for r in sorted(CONTROL_PLANE - ADMIN_ROUTES)))

CONSUMER_SUITE = '''
import requests

CREDENTIALS = {"clientID": "example", "clientSecret": "example_secret", "grantType": "client_credentials"}
OFFLINE = "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=1&pageSize=10"

def test_doc_example(lms_mockserver):
    body = requests.get(lms_mockserver.url + OFFLINE, headers={"Authorization": "access_token"}).json()
    assert body["data"]["items"][0]["user"]["name"] == "John Doe"

def test_token_then_reset(lms_mockserver):
    token = requests.post(lms_mockserver.url + "/oauth/token", json=CREDENTIALS).json()["data"]["accessToken"]
    assert requests.get(lms_mockserver.url + OFFLINE, headers={"Authorization": token}).status_code == 200
    lms_mockserver.reset()
    assert requests.get(lms_mockserver.url + OFFLINE, headers={"Authorization": token}).status_code == 200

def test_one_server_for_the_session(lms_mockserver, lms_mockserver_session):
    assert lms_mockserver is lms_mockserver_session
'''

# What the control plane does for a consumer, as the issue describes it: written against the admin routes of the
# journal and world-driving slices.
CONTROL_SUITE = '''
import requests

COURSES = "/ruangkerja/dashboard/courses?page=1&pageSize=1"
TOKEN = {"Authorization": "access_token"}

def test_a_fault_breaks_the_call_it_matches(lms_mockserver):
    lms_mockserver.fault(operation="ruangkerja.course", status=503)
    assert requests.get(lms_mockserver.ruangkerja_url + COURSES, headers=TOKEN).status_code == 503

def test_the_next_test_finds_no_fault_and_an_empty_journal(lms_mockserver):
    assert lms_mockserver.count(operation="ruangkerja.course") == 0
    assert requests.get(lms_mockserver.ruangkerja_url + COURSES, headers=TOKEN).status_code == 200
    assert lms_mockserver.count(operation="ruangkerja.course") == 1
    assert [entry["operation"] for entry in lms_mockserver.journal()] == ["ruangkerja.course"]

def test_the_clock_reads(lms_mockserver):
    assert lms_mockserver.clock()

def test_the_wsdl_is_where_the_server_says(lms_mockserver):
    assert requests.get(lms_mockserver.wsdl_url).status_code == 200
'''


@pytest.mark.slow  # a real server process: the slow suite
@needs_control_plane
def test_consumer_suite_runs_against_the_plugin_server(pytester):
    pytester.makepyfile(test_consumer=CONSUMER_SUITE, test_control=CONTROL_SUITE)
    inner = run_pytest(pytester)
    assert inner.exit_code == 0, inner.outcomes
    assert set(inner.named("passed")) == {
        "test_doc_example", "test_token_then_reset", "test_one_server_for_the_session",
        "test_a_fault_breaks_the_call_it_matches", "test_the_next_test_finds_no_fault_and_an_empty_journal",
        "test_the_clock_reads", "test_the_wsdl_is_where_the_server_says"}


@pytest.mark.slow  # a real server process: the slow suite
@needs_control_plane
def test_consumer_suite_in_process(pytester, monkeypatch):
    monkeypatch.setenv("MOCKSERVER_IN_PROCESS", "1")
    pytester.makepyfile(test_consumer=CONSUMER_SUITE + '''
def test_no_process_of_its_own(lms_mockserver):
    assert lms_mockserver.process is None
''', test_control=CONTROL_SUITE)
    inner = run_pytest(pytester)
    assert inner.exit_code == 0, inner.outcomes
    assert len(inner.named("passed")) == 8


@pytest.mark.slow  # a real server process: the slow suite
@needs_control_plane
def test_consumer_suite_against_a_running_server(pytester, monkeypatch, fresh_server):
    """MOCKSERVER_URL: the plugin starts no server and uses that one (the Docker image's, in a consumer's CI)."""
    monkeypatch.setenv("MOCKSERVER_URL", fresh_server.url + "/")
    pytester.makepyfile(test_consumer=CONSUMER_SUITE + '''
def test_no_process_of_its_own(lms_mockserver):
    assert lms_mockserver.process is None
''')
    inner = run_pytest(pytester)
    assert inner.exit_code == 0, inner.outcomes
    assert set(inner.named("passed")) == {"test_doc_example", "test_token_then_reset", "test_one_server_for_the_session",
                                          "test_no_process_of_its_own"}


def test_nothing_at_the_url_is_a_usage_error(pytester, monkeypatch):
    from .helpers.servers import free_port

    monkeypatch.setenv("MOCKSERVER_URL", f"http://127.0.0.1:{free_port()}")
    pytester.makepyfile(test_consumer=CONSUMER_SUITE)
    inner = run_pytest(pytester, "-k", "test_doc_example")
    assert inner.exit_code != 0
    assert inner.named("passed") == []


def test_the_session_server_in_process_with_a_config_of_the_suites_own(pytester, monkeypatch):
    """MOCKSERVER_IN_PROCESS: no subprocess; `lms_mockserver_config` in the suite's conftest sets the world."""
    monkeypatch.setenv("MOCKSERVER_IN_PROCESS", "1")
    pytester.makeconftest('''
import pytest

@pytest.fixture(scope="session")
def lms_mockserver_config():
    return {"seed": 5, "employees": 20, "courses": 5, "ispring-user-shape": "spec"}
''')
    pytester.makepyfile(test_consumer='''
import requests

def test_served_from_this_process(lms_mockserver_session, lms_mockserver_seed):
    server = lms_mockserver_session
    assert server.process is None and server.seed == lms_mockserver_seed == 5
    assert requests.get(server.url + "/__admin/health").json()["seed"] == 5
    users = "/ruangkerja/dashboard/courses/COURSE-EXAMPLE2/offline/BATCH-EXP-01/users?page=1&pageSize=10"
    body = requests.get(server.ruangkerja_url + users, headers={"Authorization": "access_token"}).json()
    assert body["data"]["items"][0]["user"]["name"] == "John Doe"
    wsdl = requests.get(server.wsdl_url)
    assert wsdl.status_code == 200 and b"definitions" in wsdl.content
''')
    inner = run_pytest(pytester)
    assert inner.outcomes == {"test_served_from_this_process": ("passed", "")}


def test_a_config_key_that_is_no_setting_is_a_usage_error(pytester, monkeypatch):
    monkeypatch.setenv("MOCKSERVER_IN_PROCESS", "1")
    pytester.makeconftest('''
import pytest

@pytest.fixture(scope="session")
def lms_mockserver_config():
    return {"sede": 5}
''')
    pytester.makepyfile(test_consumer="def test_x(lms_mockserver_session):\n    pass\n")
    inner = run_pytest(pytester)
    assert inner.outcomes["test_x"][0] == "error" and "'sede' is no setting" in inner.outcomes["test_x"][1]


def test_config_to_serve_flags():
    assert cli_args({"seed": 7, "check_contracts": True, "access-log": "off", "cors_origins": ["http://a", "http://b"],
                     "ruangkerja_static_tokens": "t1", "admin_token": "s"}) == [
        "--seed", "7", "--check-contracts", "--access-log", "off", "--cors-origins", "http://a", "--cors-origins",
        "http://b", "--ruangkerja-static-tokens", "t1", "--admin-token", "s"]
    assert cli_args({"check_contracts": False}) == ["--no-check-contracts"]


# --- what the plugin sends: a recording stand-in for the admin API ---

def recording_admin(calls: list) -> Flask:
    """Answers /__admin/* as the control plane would, and records every call but health."""
    app = Flask("recording_admin")

    @app.get("/__admin/health")
    def health():
        return {"status": "ok", "seed": 7, "version": "test"}

    @app.route("/__admin/<path:rest>", methods=["GET", "POST", "DELETE"])
    def record(rest):
        calls.append((request.method, "/" + rest, dict(request.args), request.get_json(silent=True),
                      request.headers.get("Authorization")))
        if request.method == "DELETE":
            return ("", 404) if rest.startswith("scenarios/") and rest != "scenarios/maintenance" else ("", 204)
        if rest == "requests":
            return jsonify({"requests": [{"operation": "ruangkerja.course"}]})
        if rest == "requests/count":
            return {"count": 2}
        if rest == "clock" and request.method == "GET":
            return {"now": "2030-01-01T00:00:00Z", "real": False}
        return ({"id": "f1", **request.get_json()}, 201) if rest in ("faults", "stubs") else {"status": "ok"}

    return app


RECORDED_SUITE = '''
import pytest

def test_methods(lms_mockserver):
    assert lms_mockserver.fault(operation="ruangkerja.course", status=503) == {
        "id": "f1", "kind": "status", "match": {"operation": "ruangkerja.course"}, "status": 503}
    assert lms_mockserver.journal(operation="ruangkerja.course", status=200) == [{"operation": "ruangkerja.course"}]
    assert lms_mockserver.count(operation="ruangkerja.course") == 2
    assert lms_mockserver.clock() == {"now": "2030-01-01T00:00:00Z", "real": False}
    lms_mockserver.clock(advance="P1D")
    lms_mockserver.stub(match={"operation": "ruangkerja.course"}, response={"status": 200, "body": {}})
    lms_mockserver.activity(employeeID="EMPLY001", courseSerial="COURSE-EXAMPLE2", action="complete", score=90)
    lms_mockserver.scenario("maintenance")
    url = lms_mockserver.url
    assert (lms_mockserver.ruangkerja_url, lms_mockserver.ispring_url) == (url, url)
    assert lms_mockserver.wsdl_url == url + "/api/v2/soap/2.0?wsdl"

class TestAnotherWorld:
    @pytest.fixture
    def lms_mockserver_seed(self):
        return 11

    def test_on_seed_11(self, lms_mockserver):
        assert lms_mockserver.seed == 11

def test_back_on_the_servers_seed(lms_mockserver):
    assert lms_mockserver.seed == lms_mockserver.started_seed == 7
'''

CLEAR = [("DELETE", f"/scenarios/{name}", {}, None) for name in
         ("token_expired", "rate_limited", "maintenance", "slow_upstream")] + [
    ("DELETE", "/faults", {}, None), ("DELETE", "/stubs", {}, None), ("POST", "/clock", {}, {"real": True}),
    ("POST", "/reset", {}, None), ("DELETE", "/requests", {}, None)]


def test_what_the_plugin_sends_to_the_admin_api(pytester, monkeypatch):
    calls: list = []
    with serving(recording_admin(calls)) as url:
        monkeypatch.setenv("MOCKSERVER_URL", url)
        monkeypatch.setenv("MOCKSERVER_ADMIN_TOKEN", "s3cret")
        pytester.makepyfile(test_consumer=RECORDED_SUITE)
        inner = run_pytest(pytester)
    assert inner.exit_code == 0, inner.outcomes
    assert {auth for *_, auth in calls} == {"Bearer s3cret"}
    assert [call[:4] for call in calls] == CLEAR + [
        ("POST", "/faults", {}, {"kind": "status", "match": {"operation": "ruangkerja.course"}, "status": 503}),
        ("GET", "/requests", {"operation": "ruangkerja.course", "status": "200"}, None),
        ("GET", "/requests/count", {"operation": "ruangkerja.course"}, None),
        ("GET", "/clock", {}, None),
        ("POST", "/clock", {}, {"advance": "P1D"}),
        ("POST", "/stubs", {}, {"match": {"operation": "ruangkerja.course"}, "response": {"status": 200, "body": {}}}),
        ("POST", "/activity", {}, {"employeeID": "EMPLY001", "courseSerial": "COURSE-EXAMPLE2", "action": "complete",
                                   "score": 90}),
        ("POST", "/scenarios/maintenance", {}, None),
    ] + [("POST", "/seed", {}, {"seed": 11})] + CLEAR + [("POST", "/seed", {}, {"seed": 7})] + CLEAR
