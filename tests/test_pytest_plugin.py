"""The pytest plugin as a consumer uses it: `pytester` runs a small suite of theirs, in-process, against the real
server the plugin starts (found through the package's pytest11 entry point, as in a consumer's venv)."""

from .helpers.nested import run_pytest

pytest_plugins = ["pytester"]

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


def test_consumer_suite_runs_against_the_plugin_server(pytester):
    pytester.makepyfile(test_consumer=CONSUMER_SUITE)
    inner = run_pytest(pytester)
    assert inner.exit_code == 0, inner.outcomes
    assert inner.outcomes == dict.fromkeys(
        ["test_doc_example", "test_token_then_reset", "test_one_server_for_the_session"], ("passed", ""))


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
