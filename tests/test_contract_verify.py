"""`mockserver contract verify --vendor ruangkerja`: against the mock (no violation), against a local upstream that
drifted (each drift named), and the exit codes, JUnit XML and progress line around it."""

from __future__ import annotations

import io
import socket

import pytest
from click.testing import CliRunner
from lxml import etree

from mockserver import __version__
from mockserver.cli import main
from mockserver.contract.report import Progress
from mockserver.contract.ruangkerja import VENDOR

from .helpers.apps import make_app
from .helpers.servers import serving
from .helpers.upstream import CLIENT, create_upstream

HEAD = "OPERATION                                  TARGET                       STATUS  RESULT  DIFFERENCES"
TOKEN_ROW = "ruangkerja.generate_access_token           upstream-client              200     PASS"
LISTS = [
    "ruangkerja.course                          -                            200     PASS",
    "ruangkerja.course_batch                    COURSE-UPSTREAM              200     PASS",
]
USERS = "ruangkerja.course_offline_user_assignment  COURSE-UPSTREAM/BATCH-UP-01  200     "
ACTIVITY = ("ruangkerja.user_webinar_course_activity    EMPLY001                     200     PASS    "
            "matched UserWebinarActivityListResponseSchema")
PAD = " " * len(USERS)


def verify(url, *args):
    result = CliRunner().invoke(main, ["contract", "verify", "--vendor", "ruangkerja", "--base-url", url, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def upstream_verify(url, *args):
    return verify(url, "--client-id", CLIENT[0], "--client-secret", CLIENT[1], *args)


@pytest.fixture
def mock_url(world_json, tmp_path):
    with serving(make_app(world_json, tmp_path)) as url:
        yield url


def test_the_mock_conforms(mock_url):
    result = verify(mock_url, "--client-id", "example", "--client-secret", "example_secret")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Ruangkerja at {mock_url}: a mockserver {__version__} (seed 20240601)",
        "OPERATION                                  TARGET                        STATUS  RESULT  DIFFERENCES",
        "ruangkerja.generate_access_token           example                       200     PASS",
        "ruangkerja.course                          -                             200     PASS",
        "ruangkerja.course_batch                    COURSE-EXAMPLE1               200     PASS",
        "ruangkerja.course_batch                    COURSE-EXAMPLE2               200     PASS",
        "ruangkerja.course_offline_user_assignment  COURSE-EXAMPLE2/BATCH-EXP-01  200     PASS",
        "ruangkerja.user_webinar_course_activity    EMPLY001                      200     PASS    "
        "matched UserWebinarActivityListResponseSchema",
        "6 checked: 6 passed, 0 failed, 0 skipped",
    ]


def test_the_paginated_mock_conforms_too(world_json, tmp_path):
    with serving(make_app(world_json, tmp_path, ruangkerja_user_activity="paginated")) as url:
        result = verify(url, "--token", "access_token", "--employee", "EMPLY005")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2] == ("ruangkerja.generate_access_token           -                             -       SKIP    "
                        "a token was given (--token)")
    assert lines[-2] == ("ruangkerja.user_webinar_course_activity    EMPLY005                      200     PASS    "
                         "matched UserWebinarActivityPageResponseSchema")


def test_an_upstream_that_conforms():
    with serving(create_upstream()) as url:
        result = upstream_verify(url)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Ruangkerja at {url}", HEAD, TOKEN_ROW, *LISTS, USERS + "PASS", ACTIVITY,
        "5 checked: 5 passed, 0 failed, 0 skipped",
    ]


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
        result = upstream_verify(url)
    assert result.exit_code == 1, result.output
    first, *more = DRIFTS[drift]
    plural = "s" if more else ""
    assert result.stdout.splitlines() == [
        f"Ruangkerja at {url}", HEAD, TOKEN_ROW, *LISTS, USERS + "FAIL    " + first, *(PAD + " " * 8 + m for m in more),
        ACTIVITY, f"5 checked: 4 passed, 1 failed, 0 skipped; {len(DRIFTS[drift])} difference{plural}",
    ]


def test_discovery_walks_the_lists_and_sends_the_raw_token():
    app = create_upstream()
    with serving(app) as url:
        upstream_verify(url, "--page-size", "5")
    token = app.config["requests"][1][2]
    assert [(m, p) for m, p, _ in app.config["requests"]] == [
        ("GET", "/__admin/health"),
        ("POST", "/oauth/token"),
        ("GET", "/ruangkerja/dashboard/courses?page=1&pageSize=5"),
        ("GET", "/ruangkerja/dashboard/courses/COURSE-UPSTREAM/batches?page=1&pageSize=5"),
        ("GET", "/ruangkerja/dashboard/courses/COURSE-UPSTREAM/offline/BATCH-UP-01/users?page=1&pageSize=5"),
        ("GET", "/ruangkerja/dashboard/users/EMPLY001/courses/webinar?page=1&pageSize=5"),
    ]
    assert token is None and {a for _, _, a in app.config["requests"][2:]} == {app.config["requests"][2][2]}
    assert not app.config["requests"][2][2].startswith("Bearer")


def test_ids_from_flags_win():
    with serving(create_upstream()) as url:
        result = upstream_verify(url, "--course", "COURSE-EXAMPLE1", "--batch", "BATCH-EXP-02", "--employee", "EMPLY9")
    assert result.exit_code == 1
    rows = result.stdout.splitlines()[2:-1]
    assert rows[2].split()[:2] == ["ruangkerja.course_batch", "COURSE-EXAMPLE1"]
    assert rows[3] == ("ruangkerja.course_offline_user_assignment  COURSE-EXAMPLE1/BATCH-EXP-02  404     FAIL    "
                       "HTTP 404, expected 200: rpc error: code = NotFound desc = batch BATCH-EXP-02 not found")
    assert rows[4].split()[:2] == ["ruangkerja.user_webinar_course_activity", "EMPLY9"]


def test_refused_credentials_exit_2():
    with serving(create_upstream()) as url:
        result = verify(url, "--client-id", "upstream-client", "--client-secret", "wrong")
        assert result.exit_code == 2
        assert result.stdout.splitlines() == [f"Ruangkerja at {url}"]
        assert result.stderr == (f"error: {url} refused the credentials (POST /oauth/token answered 400): "
                                 "BAD_REQUEST: Credentials does not match in our records\n")

        result = verify(url, "--token", "stale")
        assert result.exit_code == 2
        assert result.stderr == (f"error: {url} refused the credentials (GET /ruangkerja/dashboard/courses?page=1&"
                                 "pageSize=10 answered 403): rpc error: code = PermissionDenied desc = Token is not "
                                 "valid\n")


def test_unreachable_exits_2(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    junit = tmp_path / "report.xml"
    result = verify(f"http://127.0.0.1:{port}", "--token", "t", "--junit", str(junit))
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
    result = verify("http://127.0.0.1:9", *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_junit_xml(tmp_path):
    junit = tmp_path / "verify.xml"
    with serving(create_upstream("wrong_type")) as url:
        upstream_verify(url, "--junit", str(junit))
    root = etree.fromstring(junit.read_bytes())
    assert root.tag == "testsuites"
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "5", "failures": "1", "errors": "0", "skipped": "0"}
    (suite,) = root
    assert suite.get("name") == "ruangkerja"
    assert [(c.get("classname"), c.get("name")) for c in suite] == [
        ("ruangkerja", "generate_access_token upstream-client"),
        ("ruangkerja", "course"),
        ("ruangkerja", "course_batch COURSE-UPSTREAM"),
        ("ruangkerja", "course_offline_user_assignment COURSE-UPSTREAM/BATCH-UP-01"),
        ("ruangkerja", "user_webinar_course_activity EMPLY001"),
    ]
    failed = suite[3]
    assert {p.get("name"): p.get("value") for p in failed.find("properties")} == {
        "status": "200", "contract": "CourseOfflineUsersResponseSchema",
        "request": "GET /ruangkerja/dashboard/courses/COURSE-UPSTREAM/offline/BATCH-UP-01/users?page=1&pageSize=10",
    }
    (failure,) = failed.findall("failure")
    assert failure.get("type") == "ContractViolation" and failure.get("message") == "1 difference"
    assert failure.text == "data.items[3].isAttend: expected boolean, got string"
    assert all(c.find("failure") is None and c.find("skipped") is None for c in suite if c is not failed)


def test_junit_marks_skips(mock_url, tmp_path):
    junit = tmp_path / "verify.xml"
    verify(mock_url, "--token", "access_token", "--junit", str(junit))
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
