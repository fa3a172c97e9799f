"""`contract verify --vendor ispring`, `contract check` of iSpring XML, and the proxy on SOAP: against the mock (no
violation), and against the mock behind a middleware that makes its answers drift (each drift named)."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest

from mockserver import __version__
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.contract import vendors
from mockserver.contract.ispring import envelope
from mockserver.contract.proxy import create_proxy
from mockserver.state import SharedState
from mockserver.world import World

from .helpers.outcomes import contract
from .helpers.servers import serving

DOC_TOKEN = "p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE"
LOGIN = ["--email", "email@email.com", "--password", "12345Q", "--account-url", "http://myaccount.ispringlearn.ru"]


WRITES = ("ispring.EnrollLearnersInCourses", "ispring.ChangeEnrollment", "ispring.Unenroll",
          "ispring.soap.enrollLearnersInCourses", "ispring.soap.changeEnrollment", "ispring.soap.unenroll")


def verify(url, *args):
    """The outcomes of `contract verify --vendor ispring` (tests/helpers/outcomes.py)."""
    return contract("verify", "--vendor", "ispring", "--base-url", url, *args)


class Drift:
    """WSGI middleware: the first match of `pattern` in answers to requests that `when(environ)` picks is replaced."""

    def __init__(self, app, rules):
        self.app, self.rules = app, rules

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        captured = {}

        def keep(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        answer = b"".join(self.app(environ, keep))
        for when, pattern, replacement in self.rules:
            if when(environ, body):
                answer = re.sub(pattern, replacement, answer, count=1)
        headers = [(k, str(len(answer)) if k.lower() == "content-length" else v) for k, v in captured["headers"]]
        start_response(captured["status"], headers)
        return [answer]


def soap(op):
    return lambda environ, body: environ["PATH_INFO"] == "/api/v2/soap/2.0" and f"{op}Request".encode() in body


def rest(path, representation):
    def when(environ, body):
        asked = "json" if "json" in environ.get("HTTP_ACCEPT", "") else "xml"  # XML is the default
        return environ["PATH_INFO"] == path and asked == representation

    return when


DRIFTS = [
    (soap("GetContent"), rb"<title>([^<]*)</title>", rb"<name>\1</name>"),  # renamed
    (rest("/enrollment", "json"), rb'"enrollmentTypeGroup":0', rb'"enrollmentTypeGroup":"0"'),  # wrong type
    (rest("/enrollment", "xml"), rb"<enrollment>", rb"<enrollment><grade>A</grade>"),  # extra field
    (soap("GetDepartments"), rb"<subordinationType>no_supervisor<", rb"<subordinationType>matrix<"),  # new enum
    (soap("GetUsers"), rb"<departmentId>[^<]*</departmentId>", rb""),  # missing field
]


@pytest.fixture
def app(world_json, tmp_path):
    """The mock as verify meets it: answers unchecked on the way out (verify does the checking)."""
    return create_app(Config(), world=World.from_json(world_json), state=SharedState(str(tmp_path / "s.sqlite3")))


def _first_ids(app):
    client = app.test_client()
    auth = {"Authorization": f"Bearer {DOC_TOKEN}", "Accept": "application/json"}
    enrollment = client.get("/enrollment", headers=auth).get_json()["enrollments"][0]["enrollmentId"]
    soap_body = client.post("/api/v2/soap/2.0", data=envelope("getContent", {"token": DOC_TOKEN},
                                                              "https://ispringlearn.com/go/services/api/soap"),
                            content_type="text/xml").get_data(as_text=True)
    content = re.search(r"<contentItemId>([^<]+)<", soap_body).group(1)
    soap_body = client.post("/api/v2/soap/2.0", data=envelope("getDepartments", {"token": DOC_TOKEN},
                                                              "https://ispringlearn.com/go/services/api/soap"),
                            content_type="text/xml").get_data(as_text=True)
    department = re.search(r"<departmentId>([^<]+)<", soap_body).group(1)
    return enrollment, content, department


USER_WRITES = ("ispring.AddUser", "ispring.UpdateUserProfile", "ispring.RemoveUser", "ispring.soap.addUser")


def user_reads(user_id: str) -> list[str]:
    """The users section's reads, in verify's order: REST in XML then JSON, then SOAP."""
    found = []
    for fmt in ("xml", "json"):
        found += [f"ispring.{name} {fmt}" for name in ("GetUsers", "GetUsersV2", "GetUserProfileFields", "GetRoles",
                                                         "ListUsers", "ListUsersV2", "ListUsersV2ByPost",
                                                         "GetPagedUsersList")]
        found += [f"ispring.{name} {user_id} {fmt}" for name in ("GetUserProfile", "GetUserProfileV2",
                                                                   "FindExistingUsers")]
    return found + ["ispring.soap.getUserProfileFields"]


def test_the_mock_conforms(app):
    enrollment, content, department = _first_ids(app)
    with serving(app) as url:
        run = verify(url, "--client-id", "example", "--client-secret", "example_secret")
    assert run.exit_code == 0, run.stdout
    assert run.stdout.splitlines()[0] == f"iSpring Learn at {url}: a mockserver {__version__} (seed 20240601)"
    called = [
        "ispring.AccessRequest example",
        "ispring.GetEnrollments xml",
        "ispring.GetEnrollments json",
        "ispring.ListEnrollments xml",
        "ispring.ListEnrollments json",
        f"ispring.GetEnrollment {enrollment} xml",
        f"ispring.GetEnrollment {enrollment} json",
        "ispring.soap.getEnrollments",
        "ispring.soap.listEnrollments",
        f"ispring.soap.getEnrollment {enrollment}",
        "ispring.soap.getUsers",
        "ispring.soap.getContent",
        f"ispring.soap.getContentItem {content}",
        "ispring.soap.getDepartments",
        f"ispring.soap.getDepartment {department}",
    ]
    called += user_reads(app.extensions["mockserver"].world.learners[0].user_id)
    writes = WRITES + USER_WRITES
    assert run.results() == {**dict.fromkeys(called, "PASS"), **dict.fromkeys(writes, "SKIP")}
    assert run.statuses() == {**dict.fromkeys(called, 200), **dict.fromkeys(writes)}
    assert run.skips() == dict.fromkeys(writes, "write operation: not called without --allow-writes")
    contracts = run.contracts()  # where an operation has several contracts, the representation asked decides
    assert [contracts[key] for key in called[1:3] + called[5:7]] == [
        "EnrollmentListXmlSchema", "EnrollmentListSchema", "EnrollmentXmlSchema", "EnrollmentSchema"]


def test_writes_only_with_allow_writes_and_they_conform(app):
    with serving(app) as url:
        run = verify(url, *LOGIN, "--allow-writes")
    assert run.exit_code == 0, run.stdout
    writes = [(o.operation, o.status, o.result) for o in run.outcomes if o.operation in WRITES]
    assert writes == [
        ("ispring.EnrollLearnersInCourses", 201, "PASS"),
        ("ispring.ChangeEnrollment", 200, "PASS"),
        ("ispring.Unenroll", 204, "PASS"),
        ("ispring.soap.enrollLearnersInCourses", 200, "PASS"),
        ("ispring.soap.changeEnrollment", 200, "PASS"),
        ("ispring.soap.unenroll", 200, "PASS"),
    ]
    assert run.skips() == {"ispring.AccessRequest": "a legacy login was given (--email/--password/--account-url)"}
    user_writes = ["AddUser", "soap.addUser", "UpdateUserProfile", "RemoveUser", "RemoveUser"]  # both new users go
    assert sorted(o.operation for o in run.outcomes if o.operation in USER_WRITES and o.result == "PASS") == \
        sorted(f"ispring.{name}" for name in user_writes)
    assert Counter(run.results().values()) == {"PASS": 21 + len(user_reads("")) + len(user_writes), "SKIP": 1}


def test_each_drift_is_named(app):
    with serving(Drift(app, DRIFTS)) as url:
        run = verify(url, "--token", DOC_TOKEN)
    assert run.exit_code == 1
    assert run.failures() == {
        "ispring.GetEnrollments xml": ["response.enrollment[0].grade: unexpected field (string)"],
        "ispring.GetEnrollments json": ["enrollments[0].enrollmentTypeGroup: expected integer, got string"],
        "ispring.soap.getUsers": ["GetUsersResult.userProfile[0].departmentId: missing required field"],
        "ispring.soap.getContent": ["GetContentResult.contentItem[0].title: missing required field",
                                    "GetContentResult.contentItem[0].name: unexpected field (string)"],
        "ispring.soap.getDepartments": [
            "GetDepartmentsResult.department[0].subordination.subordinationType: unexpected value 'matrix', "
            "expected one of manual, inherit, no_supervisor"],
    }
    assert Counter(run.results().values()) == {"PASS": 9 + len(user_reads("")), "FAIL": 5,
                                               "SKIP": 7 + len(USER_WRITES)}


def test_refused_credentials_exit_2(app):
    with serving(app) as url:
        run = verify(url, "--token", "stale")
        assert run.exit_code == 2
        assert run.stderr.startswith(f"error: {url} refused the credentials (GET /enrollment answered 401): ")
        assert run.stopped == run.stderr[len("error: "):-1]
        run = verify(url, "--client-id", "example", "--client-secret", "wrong")
        assert run.exit_code == 2
        assert run.stderr.startswith(f"error: {url} refused the credentials (POST /api/v3/token answered ")


def test_ispring_credentials_are_checked():
    run = verify("http://127.0.0.1:9", "--email", "e", "--password", "p")
    assert run.exit_code == 2
    assert ("give exactly one kind of ispring credentials: --token T, --client-id ID and --client-secret S, or "
            "--email, --password and --account-url") in run.stderr


def test_check_reads_soap_xml(tmp_path):
    from mockserver.contract.samples import ROOT

    sample = (ROOT / "ispring" / "soap.getEnrollments" / "seed-002.xml").read_text()
    drifted = tmp_path / "drifted.xml"
    drifted.write_text(sample.replace("<shouldLockAfterDueDate>0<", "<shouldLockAfterDueDate>maybe<"))
    run = contract("check", "--operation", "ispring.soap.getEnrollments", str(drifted))
    assert run.exit_code == 1
    assert run.failures() == {f"ispring.soap.getEnrollments {drifted}": [
        "GetEnrollmentsResult.enrollment[0].shouldLockAfterDueDate: expected boolean, got string"]}


def test_the_proxy_tells_soap_operations_apart(app):
    with serving(Drift(app, DRIFTS)) as url:
        proxy = create_proxy(vendors.vendor("ispring"), url).test_client()
        for op in ("getDepartments", "getEnrollments"):
            answer = proxy.post("/api/v2/soap/2.0", content_type="text/xml",
                                data=envelope(op, {"token": DOC_TOKEN}, "https://ispringlearn.com/go/services/api/soap"))
            assert answer.status_code == 200
        report = proxy.get("/__admin/drift").get_json()
    assert (report["checked"], report["drifted"]) == (2, 1)
    assert report["drift"][0]["operation"] == "ispring.soap.getDepartments"
    assert report["drift"][0]["differences"] == [
        "GetDepartmentsResult.department[0].subordination.subordinationType: unexpected value 'matrix', "
        "expected one of manual, inherit, no_supervisor"]
