"""`mockserver contract verify --vendor ruangkerja`: against the mock (no violation), against a local upstream that
drifted (each drift named), and the exit codes, JUnit XML and progress line around it."""

from __future__ import annotations

import io
import json
import socket

import pytest
from click.testing import CliRunner
from lxml import etree

from mockserver import __version__
from mockserver.cli import main
from mockserver.contract.report import Progress
from mockserver.contract.ruangkerja import VENDOR

from .helpers.apps import make_app
from .helpers.outcomes import contract
from .helpers.servers import serving
from .helpers.upstream import CLIENT, create_upstream

USERS = "ruangkerja.course_offline_user_assignment COURSE-UPSTREAM/BATCH-UP-01"
UPSTREAM = {  # what verify calls on the stand-in upstream, discovering the identifiers, and each result there
    "ruangkerja.generate_access_token upstream-client": "PASS",
    "ruangkerja.course": "PASS",
    "ruangkerja.course_batch COURSE-UPSTREAM": "PASS",
    "ruangkerja.course_batch COURSE-EXAMPLE1": "PASS",
    USERS: "PASS",
    "ruangkerja.user_webinar_course_activity EMPLY001": "PASS",
}
READS = {op.qualified for op in VENDOR.operations if op.method != "*" and not op.write}


def called(run) -> dict[str, str]:
    """The outcomes of the operations verify could call; the stand-in upstream serves only some of the table's
    (the others are skipped, each with its reason)."""
    return {key: result for key, result in run.results().items() if result != "SKIP"}


def verify(url, *args):
    """The outcomes of `contract verify --vendor ruangkerja` (tests/helpers/outcomes.py)."""
    return contract("verify", "--vendor", "ruangkerja", "--base-url", url, *args)


def upstream_verify(url, *args):
    return verify(url, "--client-id", CLIENT[0], "--client-secret", CLIENT[1], *args)


def invoke(url, *args):
    """The command itself, for the tests of the JUnit document it writes."""
    result = CliRunner().invoke(main, ["contract", "verify", "--vendor", "ruangkerja", "--base-url", url, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def mock_url(world_json, tmp_path):
    with serving(make_app(world_json, tmp_path)) as url:
        yield url


def test_the_mock_conforms(mock_url):
    run = verify(mock_url, "--client-id", "example", "--client-secret", "example_secret")
    assert run.exit_code == 0, run.stdout
    assert run.stdout.splitlines()[0] == f"Ruangkerja at {mock_url}: a mockserver {__version__} (seed 20240601)"
    # Every read operation of the table is discovered and called on the mock, and each one conforms.
    assert {key.split(" ")[0] for key in run.results()} == READS
    assert set(run.results().values()) == {"PASS"} and set(run.statuses().values()) == {200}
    assert run.results()["ruangkerja.course_offline_user_assignment COURSE-EXAMPLE2/BATCH-EXP-01"] == "PASS"
    (activity,) = [key for key in run.results() if key.startswith("ruangkerja.user_webinar_course_activity ")]
    assert run.contracts()[activity] == "UserWebinarActivityListResponseSchema"  # on an employee listed before it


def test_the_paginated_mock_conforms_too(world_json, tmp_path):
    with serving(make_app(world_json, tmp_path, ruangkerja_user_activity="paginated")) as url:
        run = verify(url, "--token", "access_token", "--employee", "EMPLY005")
    assert run.exit_code == 0, run.stdout
    assert run.skips() == {"ruangkerja.generate_access_token": "a token was given (--token)"}
    assert set(run.results().values()) == {"PASS", "SKIP"}
    assert run.statuses()["ruangkerja.user_webinar_course_activity EMPLY005"] == 200
    assert run.contracts()["ruangkerja.user_webinar_course_activity EMPLY005"] == \
        "UserWebinarActivityPageResponseSchema"


def test_an_upstream_that_conforms():
    with serving(create_upstream()) as url:
        run = upstream_verify(url)
    assert run.exit_code == 0, run.stdout
    assert run.stdout.splitlines()[0] == f"Ruangkerja at {url}"  # no mockserver there
    assert called(run) == UPSTREAM
    assert {run.statuses()[key] for key in called(run)} == {200}
    assert run.contracts()["ruangkerja.user_webinar_course_activity EMPLY001"] == \
        "UserWebinarActivityListResponseSchema"


DRIFTS = {
    "renamed": ["data.items[3].isAttend: missing required field",
                "data.items[3].isAttended: unexpected field (boolean)"],
    "wrong_type": ["data.items[3].isAttend: expected boolean, got string"],
    "extra": ["data.items[3].attendance: unexpected field (string)"],
    "missing": ["data.items[3].feedback: missing required field"],
    "new_enum": ["data.items[3].userAssignedStatus: unexpected value 'Cancelled', expected one of Ongoing, Cleared, "
                 "Failed"],
    "null": ["data.items[3].postTestScore: expected number, got null"],
}


@pytest.mark.parametrize("drift", DRIFTS)
def test_each_drift_is_named(drift):
    with serving(create_upstream(drift)) as url:
        run = upstream_verify(url)
    assert run.exit_code == 1, run.stdout
    assert called(run) == {**UPSTREAM, USERS: "FAIL"}
    assert run.failures() == {USERS: DRIFTS[drift]}
    assert run.statuses()[USERS] == 200


def test_discovery_walks_the_lists_and_sends_the_raw_token():
    app = create_upstream()
    with serving(app) as url:
        upstream_verify(url, "--page-size", "5")
    token = app.config["requests"][1][2]
    made = [(m, p) for m, p, _ in app.config["requests"]]
    discovery = [  # in this order; probes for the operations the stand-in does not serve come between
        ("GET", "/__admin/health"),
        ("POST", "/oauth/token"),
        ("GET", "/ruangkerja/dashboard/courses?page=1&pageSize=5"),
        ("GET", "/ruangkerja/dashboard/courses/COURSE-UPSTREAM/batches?page=1&pageSize=5"),
        ("GET", "/ruangkerja/dashboard/courses/COURSE-UPSTREAM/offline/BATCH-UP-01/users?page=1&pageSize=5"),
        ("GET", "/ruangkerja/dashboard/users/EMPLY001/courses/webinar?page=1&pageSize=5"),
    ]
    assert made[:3] == discovery[:3] and [m for m in made if m in discovery] == discovery
    assert token is None and {a for _, _, a in app.config["requests"][2:]} == {app.config["requests"][2][2]}
    assert not app.config["requests"][2][2].startswith("Bearer")


def test_ids_from_flags_win():
    """The flags' identifiers are the only ones called; one the API does not know (404) is skipped, naming the answer,
    as a 404 in the documented error shape is no drift."""
    with serving(create_upstream()) as url:
        run = upstream_verify(url, "--course", "COURSE-EXAMPLE1", "--batch", "BATCH-EXP-02", "--employee", "EMPLY9")
    assert run.exit_code == 0
    assert called(run) == {
        "ruangkerja.generate_access_token upstream-client": "PASS",
        "ruangkerja.course": "PASS",
        "ruangkerja.course_batch COURSE-EXAMPLE1": "PASS",
        "ruangkerja.user_webinar_course_activity EMPLY9": "PASS",
    }
    assert run.skips()["ruangkerja.course_offline_user_assignment COURSE-EXAMPLE1/BATCH-EXP-02"] == \
        "404: rpc error: code = NotFound desc = batch BATCH-EXP-02 not found"


def test_a_404_that_breaks_the_error_contract_is_drift():
    app = create_upstream()
    app.config["not_found_body"] = {"error": "not found"}  # the documented {"errorCode","message","detail"} lost
    with serving(app) as url:
        run = upstream_verify(url, "--course", "COURSE-EXAMPLE1", "--batch", "BATCH-EXP-02")
    offline = "ruangkerja.course_offline_user_assignment COURSE-EXAMPLE1/BATCH-EXP-02"
    assert run.exit_code == 1 and run.results()[offline] == "FAIL" and run.statuses()[offline] == 404
    assert run.failures()[offline][1:] == ["errorCode: missing required field", "message: missing required field",
                                           "detail: missing required field", "error: unexpected field (string)"]


def test_refused_credentials_exit_2():
    with serving(create_upstream()) as url:
        run = verify(url, "--client-id", "upstream-client", "--client-secret", "wrong")
        assert run.exit_code == 2
        assert run.outcomes == [] and run.stdout.splitlines() == [f"Ruangkerja at {url}"]
        assert run.stderr == (f"error: {url} refused the credentials (POST /oauth/token answered 400): "
                              "BAD_REQUEST: Credentials does not match in our records\n")
        assert run.stopped == run.stderr[len("error: "):-1]

        run = verify(url, "--token", "stale")
        assert run.exit_code == 2
        assert run.stderr == (f"error: {url} refused the credentials (GET /ruangkerja/dashboard/courses?page=1&"
                              "pageSize=10 answered 403): rpc error: code = PermissionDenied desc = Token is not "
                              "valid\n")


def test_unreachable_exits_2(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    junit = tmp_path / "report.xml"
    result = invoke(f"http://127.0.0.1:{port}", "--token", "t", "--junit", str(junit))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: cannot reach http://127.0.0.1:{port}: connection refused\n"
    root = etree.fromstring(junit.read_bytes())
    assert root.get("errors") == "1" and root.get("tests") == "1"
    error = root.find("testsuite/testcase/error")
    assert error.get("type") == "CannotCheck" and error.get("message") == result.stderr[7:-1]


@pytest.mark.parametrize("args, message", [
    ([], "give exactly one kind of ruangkerja credentials: --token T, or --client-id ID and --client-secret S"),
    (["--token", "t", "--client-id", "i", "--client-secret", "s"], "give exactly one kind of ruangkerja credentials"),
    (["--client-id", "i"], "give exactly one kind of ruangkerja credentials"),
    (["--token", "t", "--email", "e"], "--email/--password/--account-url are iSpring credentials"),
    (["--token", "t", "--batch", "B"], "--batch needs --course"),
])
def test_usage_errors(args, message):
    run = verify("http://127.0.0.1:9", *args)
    assert run.exit_code == 2 and run.outcomes == []
    assert message in run.stderr and "Traceback" not in run.stdout + run.stderr


def test_junit_xml(tmp_path):
    junit = tmp_path / "verify.xml"
    with serving(create_upstream("wrong_type")) as url:
        invoke(url, "--client-id", CLIENT[0], "--client-secret", CLIENT[1], "--junit", str(junit))
    root = etree.fromstring(junit.read_bytes())
    assert root.tag == "testsuites"
    (suite,) = root
    cases = [c for c in suite if c.find("skipped") is None]  # skipped: what the stand-in does not serve
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": str(len(suite)), "failures": "1", "errors": "0", "skipped": str(len(suite) - len(cases))}
    assert suite.get("name") == "ruangkerja"
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("ruangkerja", "generate_access_token upstream-client"),
        ("ruangkerja", "course"),
        ("ruangkerja", "course_batch COURSE-UPSTREAM"),
        ("ruangkerja", "course_batch COURSE-EXAMPLE1"),
        ("ruangkerja", "course_offline_user_assignment COURSE-UPSTREAM/BATCH-UP-01"),
        ("ruangkerja", "user_webinar_course_activity EMPLY001"),
    ]
    failed = cases[4]
    assert {p.get("name"): p.get("value") for p in failed.find("properties")} == {
        "status": "200", "contract": "CourseOfflineUsersResponseSchema",
        "request": "GET /ruangkerja/dashboard/courses/COURSE-UPSTREAM/offline/BATCH-UP-01/users?page=1&pageSize=10",
    }
    (failure,) = failed.findall("failure")
    assert failure.get("type") == "ContractViolation" and failure.get("message") == "1 difference"
    assert failure.text == "data.items[3].isAttend: expected boolean, got string"
    assert all(c.find("failure") is None for c in cases if c is not failed)


def test_junit_marks_skips(mock_url, tmp_path):
    junit = tmp_path / "verify.xml"
    invoke(mock_url, "--token", "access_token", "--junit", str(junit))
    skipped = etree.fromstring(junit.read_bytes()).findall(".//skipped")
    assert [s.get("message") for s in skipped] == ["a token was given (--token)"]


def test_progress_on_a_terminal():
    stream = io.StringIO()
    line = Progress(stream, enabled=True)
    line(VENDOR.operation("course"), "")
    line(VENDOR.operation("course_batch"), "COURSE-X")
    line.done()
    first, second = "[1] ruangkerja.course ...", "[2] ruangkerja.course_batch COURSE-X ..."
    assert stream.getvalue() == f"\r{first}\r{second}\r{' ' * len(second)}\r"
    quiet = io.StringIO()
    Progress(quiet)(VENDOR.operation("course"), "")  # a StringIO is no terminal
    assert quiet.getvalue() == ""


TAG_WRITES = ["create_tag", "update_tag", "find_tag", "create_tags", "update_tags", "delete_tags"]
NOT_UNDONE = {f"ruangkerja.{name}": "not called: the API cannot undo it (no user or assignment can be deleted)"
              for name in ("create_user", "update_user", "create_users", "update_users", "update_users_email",
                           "assign_online_course")}


def test_allow_writes_creates_renames_reads_back_and_deletes_a_test_tag(world_json, tmp_path):
    app = make_app(world_json, tmp_path)
    with serving(app) as url:
        run = verify(url, "--token", "access_token", "--allow-writes")
    assert run.exit_code == 0, run.stdout
    tag_calls = [(key.split(" ")[0].removeprefix("ruangkerja."), result) for key, result in run.results().items()
                 if key.split(" ")[0].removeprefix("ruangkerja.") in TAG_WRITES]
    assert tag_calls == [(name, "PASS") for name in ("find_tag", *TAG_WRITES)]  # a discovered tag read first
    (created,) = [key for key in run.results() if key.startswith("ruangkerja.create_tag ")]
    assert created.split(" ")[1].startswith("mockserver-verify-")
    reads_back = [key for key in run.results() if key.startswith("ruangkerja.find_tag ")]
    assert len(reads_back) == 2 and {run.results()[key] for key in reads_back} == {"PASS"}  # discovered, written
    assert {k: v for k, v in run.skips().items() if k in NOT_UNDONE} == NOT_UNDONE
    world = app.extensions["mockserver"].world
    world.catch_up(app.extensions["mockserver"].state)
    assert len(world.tags) == 14 and not [t for t in world.tags if t.name.startswith("mockserver-verify")]


def test_a_write_that_does_not_show_on_read_back_is_drift(world_json, tmp_path):
    """An API that answers the rename but does not make it: the read-back row fails, naming what it read."""
    app = make_app(world_json, tmp_path)
    real = app.wsgi_app

    def forgetful(environ, start_response):
        path = environ["PATH_INFO"]
        if environ["REQUEST_METHOD"] == "PUT" and path.startswith("/ruangkerja/tags/"):
            body = json.dumps({"status": "success", "message": "Success", "data": {"serial": path.rsplit("/", 1)[1]}})
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body.encode()]
        return real(environ, start_response)

    app.wsgi_app = forgetful
    with serving(app) as url:
        run = verify(url, "--token", "access_token", "--allow-writes")
    assert run.exit_code == 1
    (failed,) = run.failures().items()
    key, differences = failed
    name = [k for k in run.results() if k.startswith("ruangkerja.create_tag ")][0].split(" ")[1]
    assert key.startswith("ruangkerja.find_tag RUKRTAG-")
    assert differences == [f"data.name: {name!r}, expected '{name}-renamed' after the writes before it"]
    assert run.results()[[k for k in run.results() if k.startswith("ruangkerja.delete_tags ")][0]] == "PASS"
