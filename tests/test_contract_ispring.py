"""`contract verify --vendor ispring`, `contract check` of iSpring XML, and the proxy on SOAP: against the mock (no
violation), and against the mock behind a middleware that makes its answers drift (each drift named)."""

from __future__ import annotations

import io
import re

import pytest

from mockserver import __version__
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.contract import vendors
from mockserver.api.operation import Operation
from mockserver.contract.ispring import _Plan, envelope, load
from mockserver.contract.runner import Call
from mockserver.contract.proxy import create_proxy
from mockserver.state import SharedState
from mockserver.world import World

from .helpers.outcomes import contract
from .helpers.servers import serving

DOC_TOKEN = "p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE"
LOGIN = ["--email", "email@email.com", "--password", "12345Q", "--account-url", "http://myaccount.ispringlearn.ru"]


WRITES = ("ispring.EnrollLearnersInCourses", "ispring.ChangeEnrollment", "ispring.Unenroll",
          "ispring.soap.enrollLearnersInCourses", "ispring.soap.changeEnrollment", "ispring.soap.unenroll")
TABLE = [op for op in vendors.vendor("ispring").operations if op.method != "*"]
READS = [op for op in TABLE if not op.write and op.name != "AccessRequest"]
ALL_WRITES = [op.qualified for op in TABLE if op.write]  # the enrollment WRITES, and any other slice's
NO_WRITES = "write operation: not called without --allow-writes"
# Rows the mock cannot be verified on with discovery alone: no read lists a task (a write starts one), and the seeded
# groups are the tags, none of them smart. Verify skips them, naming the flag that would let it call them.
UNDISCOVERED = {"no task found to call it on: pass --task", "no smart group found to call it on: pass --group"}
# --- training ---
# No read of the spec lists trainings, so nothing names a training, or the sessions and days under one (README).
UNDISCOVERED |= {"no training found to call it on", "no training session found to call it on",
                 "no session found to call it on", "no day found to call it on",
                 "no assignment found to call it on"}  # only where a test empties GET /assignments (EMPTY_REST)


def read_keys(run) -> dict[str, list[str]]:
    """{qualified read row: the keys of its outcomes before the writes}, in table order."""
    keys = [o.key for o in run.outcomes]
    reads = keys[:next((i for i, o in enumerate(run.outcomes) if o.operation in ALL_WRITES), len(keys))]
    return {op.qualified: [k for k in reads if k.split(" ")[0] == op.qualified] for op in READS}


def assert_every_read_row(run, failing=()) -> None:
    """Each read row of the table once as SOAP, twice as REST (XML, then JSON), each PASS with a 200; or skipped
    only because no answer of the mock can name what it reads."""
    results, statuses, skips = run.results(), run.statuses(), run.skips()
    for op in READS:
        keys = read_keys(run)[op.qualified]
        if keys and results[keys[0]] == "SKIP":
            assert keys == [op.qualified] and skips[keys[0]] in UNDISCOVERED, (keys, skips)
            continue
        suffixes = [""] if op.soap else [" xml", " json"]
        assert len(keys) == len(suffixes) and all(k.endswith(s) for k, s in zip(keys, suffixes)), (op.name, keys)
        for key in keys:
            assert (results[key], statuses[key]) == ("FAIL" if key in failing else "PASS", 200), key


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


@pytest.fixture(scope="module")
def small_world():
    return World.build(20240601, 20, 5).to_json()  # the doc examples' people and courses are in every world


@pytest.fixture
def app(small_world, tmp_path):
    """The mock as verify meets it: answers unchecked on the way out (verify does the checking), on a small world
    (verify reads every list whole, twice: 200 people would make each run seconds long)."""
    return create_app(Config(), world=World.from_json(small_world), state=SharedState(str(tmp_path / "s.sqlite3")))


NS = "https://ispringlearn.com/go/services/api/soap"


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    """The mock on a small world (20 people, 5 courses), for the runs that only read: shared by them."""
    return create_app(Config(), world=World.build(20240601, 20, 5),
                      state=SharedState(str(tmp_path_factory.mktemp("small") / "s.sqlite3")))


def _soap_ids(client, op, key):
    body = client.post("/api/v2/soap/2.0", data=envelope(op, {"token": DOC_TOKEN}, NS),
                       content_type="text/xml").get_data(as_text=True)
    return re.findall(rf"<{key}>([^<]+)<", body)


def _first_ids(app):
    """The first enrollment GET /enrollment lists, the first content item of getContent, every department of
    getDepartments."""
    client = app.test_client()
    auth = {"Authorization": f"Bearer {DOC_TOKEN}", "Accept": "application/json"}
    enrollment = client.get("/enrollment", headers=auth).get_json()["enrollments"][0]["enrollmentId"]
    return enrollment, _soap_ids(client, "getContent", "contentItemId")[0], _soap_ids(client, "getDepartments",
                                                                                      "departmentId")


def test_the_mock_conforms(app):
    enrollment, content, departments = _first_ids(app)
    with serving(app) as url:
        run = verify(url, "--client-id", "example", "--client-secret", "example_secret")
    assert run.exit_code == 0, run.stdout
    assert run.stdout.splitlines()[0] == f"iSpring Learn at {url}: a mockserver {__version__} (seed 20240601)"
    # Every read row of the table, whoever added it, is called on identifiers found in the answers before it.
    assert_every_read_row(run)
    assert list(run.results())[0] == "ispring.AccessRequest example"
    assert run.skips() == dict.fromkeys(ALL_WRITES, NO_WRITES) | {
        k: v for k, v in run.skips().items() if v in UNDISCOVERED}
    # The enrollment and SOAP rows, on the identifiers the lists give.
    keys = read_keys(run)
    assert keys["ispring.GetEnrollment"] == [f"ispring.GetEnrollment {enrollment} xml",
                                             f"ispring.GetEnrollment {enrollment} json"]
    assert keys["ispring.soap.getEnrollment"] == [f"ispring.soap.getEnrollment {enrollment}"]
    assert keys["ispring.soap.getContentItem"] == [f"ispring.soap.getContentItem {content}"]
    (department,) = keys["ispring.soap.getDepartment"]
    assert department.split(" ")[1] in departments
    contracts = run.contracts()  # where an operation has several contracts, the representation asked decides
    assert [contracts[key] for key in keys["ispring.GetEnrollments"] + keys["ispring.GetEnrollment"]] == [
        "EnrollmentListXmlSchema", "EnrollmentListSchema", "EnrollmentXmlSchema", "EnrollmentSchema"]
    requests = {o.key: o.request for o in run.outcomes}
    assert requests[keys["ispring.ListEnrollments"][0]] == "GET /enrollments?pageSize=10"  # --page-size's default


@pytest.mark.slow  # a whole verify run over every iSpring row: seconds
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
    assert_every_read_row(run)
    # The other writes of the table (users, departments, groups) change a real account: never called.
    others = [name for name in ALL_WRITES if name not in WRITES]
    assert run.skips() == {
        "ispring.AccessRequest": "a legacy login was given (--email/--password/--account-url)",
        **{k: v for k, v in run.skips().items() if v in UNDISCOVERED},
        **dict.fromkeys(others, "not called: verify writes only a test enrollment it deletes again; user, "
                                "department and group writes would change a real account")}


FAILURES = {
    "ispring.GetEnrollments xml": ["response.enrollment[0].grade: unexpected field (string)"],
    "ispring.GetEnrollments json": ["enrollments[1].enrollmentTypeGroup: expected integer, got string"],
    "ispring.soap.getUsers": ["GetUsersResult.userProfile[0].departmentId: missing required field"],
    "ispring.soap.getContent": ["GetContentResult.contentItem[0].title: missing required field",
                                "GetContentResult.contentItem[0].name: unexpected field (string)"],
    "ispring.soap.getDepartments": [
        "GetDepartmentsResult.department[0].subordination.subordinationType: unexpected value 'matrix', "
        "expected one of manual, inherit, no_supervisor"],
}


def test_each_drift_is_named(app):
    with serving(Drift(app, DRIFTS)) as url:
        run = verify(url, "--token", DOC_TOKEN)
    assert run.exit_code == 1
    assert run.failures() == FAILURES
    assert_every_read_row(run, failing=FAILURES)


EMPTY_REST = [  # the REST enrollment lists answer none
    (rest("/enrollment", "xml"), rb"(?s)<enrollment>.*</enrollment>", b""),
    (rest("/enrollments", "xml"), rb"(?s)<enrollments>.*</enrollments>", b"<enrollments/>"),
    (rest("/enrollment", "json"), rb'(?s)"enrollments":\[.*\]', b'"enrollments":[]'),
    (rest("/enrollments", "json"), rb'(?s)"enrollments":\[.*\]', b'"enrollments":[]'),
    # the results name enrollments too (their enrollmentId): none either
    *((rest(path, "xml"), rb"(?s)<results>.*</results>", b"<results/>")
      for path in ("/learners/results", "/learners/modules/results")),
    *((rest(path, "json"), rb'(?s)"results":\[.*\]', b'"results":[]')
      for path in ("/learners/results", "/learners/modules/results")),
]
EMPTY_REST += [  # --- training --- and no assignment, whose ungraded attempts would name their enrollments
    (rest("/assignments", "xml"), rb"(?s)<assignments>.*</assignments>", b"<assignments/>"),
    (rest("/assignments", "json"), rb'(?s)"assignments":\[.*\]', b'"assignments":[]'),
]
EMPTY_SOAP = [(soap(op), rb"(?s)<enrollment>.*</enrollment>", b"") for op in ("GetEnrollments", "ListEnrollments")]


@pytest.mark.slow  # a whole verify run over every iSpring row: seconds
def test_a_row_waits_for_the_rows_after_it_for_its_identifiers(small_app):
    with serving(Drift(small_app, EMPTY_REST)) as url:
        run = verify(url, "--token", DOC_TOKEN)
    assert run.exit_code == 0, run.stdout
    called = list(dict.fromkeys(o.operation for o in run.outcomes if o.result != "SKIP"))
    # No REST list named an enrollment: GET /enrollment/{id} is called once every other read was, on the first
    # enrollment of SOAP getEnrollments (which soap.getEnrollment reads too).
    (soap_read,) = read_keys(run)["ispring.soap.getEnrollment"]
    enrollment = soap_read.split(" ")[1]
    plain = [op.qualified for op in READS if not _Plan(None, {}, None).needs(op)]  # rows on no identifier
    assert set(plain) <= set(called[:called.index("ispring.GetEnrollment")])  # after the whole first pass
    assert called.index("ispring.soap.getEnrollments") < called.index("ispring.GetEnrollment")
    assert read_keys(run)["ispring.GetEnrollment"] == [f"ispring.GetEnrollment {enrollment} xml",
                                                       f"ispring.GetEnrollment {enrollment} json"]
    assert_every_read_row(run)


@pytest.mark.slow  # a whole verify run over every iSpring row: seconds
def test_a_row_no_answer_names_an_identifier_for_is_skipped_naming_its_flag(small_app):
    with serving(Drift(small_app, EMPTY_REST + EMPTY_SOAP)) as url:
        run = verify(url, "--token", DOC_TOKEN)
        assert run.exit_code == 0, run.stdout
        reason = "no enrollment found to call it on: pass --enrollment"
        assert {k: v for k, v in run.skips().items() if "enrollment found" in v} == {
            "ispring.GetEnrollment": reason, "ispring.soap.getEnrollment": reason}
        # The flag's value is the only one tried; refused (an unknown ID is a 400, a SOAP fault), the row is skipped
        # with the answer.
        run = verify(url, "--token", DOC_TOKEN, "--enrollment", "no-such-enrollment")
    assert run.exit_code == 0, run.stdout
    assert {k: v for k, v in run.skips().items() if "no-such-enrollment" in k} == {
        "ispring.GetEnrollment no-such-enrollment xml": "400: enrollment no-such-enrollment not found",
        "ispring.soap.getEnrollment no-such-enrollment": "500: Unknown Enrollment",
    }


def test_identifiers_are_found_by_name_in_the_items_of_xml_and_json_answers():
    """The spec's Group (`<group>` in XML): groupId, name, isSmart. A `/group/smart/{groupId}/...` row is called only
    on groups that say they are smart; a row with no such group is skipped naming --group."""
    plan = _Plan(None, {}, None)
    plan.harvest(Call(200, load(b"<response><group><groupId>g1</groupId><name>A</name><isSmart>false</isSmart>"
                                b"</group><group><groupId>g2</groupId><name>B</name><isSmart>true</isSmart></group>"
                                b"</response>", "application/xml"), None))
    plan.harvest(Call(200, load(b'{"groups":[{"groupId":"g1","name":"A","isSmart":false},'
                                b'{"groupId":"g3","name":"C","isSmart":true}],"nextPageToken":"x"}',
                                "application/json"), None))
    group = Operation("ispring", "GetGroup", "GET", "/group/:groupId", "")
    rules = Operation("ispring", "GetSmartGroupRules", "GET", "/group/smart/:groupId/rules", "")
    assert plan.candidates(group, "groupId") == ["g1", "g2", "g3"]
    assert plan.candidates(rules, "groupId") == ["g2", "g3"]
    assert _Plan(None, {"group": "g9"}, None).candidates(rules, "groupId") == ["g9"]  # a flag: only that one
    assert plan.why_not(rules, "groupId") == "no smart group found to call it on: pass --group"
    assert plan.why_not(Operation("ispring", "X", "GET", "/training/:trainingId", ""), "trainingId") == (
        "no training found to call it on")


def test_identifier_flags_belong_to_their_vendor():
    run = contract("verify", "--vendor", "ruangkerja", "--base-url", "http://127.0.0.1:9", "--token", "t",
                   "--user", "u", "--group", "g")
    assert run.exit_code == 2 and "--user/--group: iSpring options only" in run.stderr
    run = verify("http://127.0.0.1:9", "--token", "t", "--course", "COURSE-EXAMPLE2")
    assert run.exit_code == 2 and "--course: Ruangkerja options only" in run.stderr


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


@pytest.mark.parametrize("method, path, operation", [
    ("GET", "/api/v2/enrollment", "GetEnrollments"),  # sync-org.mjs's and the Kotlin client's base path
    ("GET", "/index.php/api/v2/user/d9261766-040d-11ed-ae50-da994e0c8f89", "GetUserProfile"),  # the Laravel package's
    ("POST", "/api/v3/token", "AccessRequest"),  # a row under /api/ as it stands
    ("POST", "/api/v2/soap/2.0", None),  # the SOAP endpoint, told apart by its body (none here)
    ("GET", "/api/v2/nothing", None),
])
def test_the_proxy_matches_the_base_paths_clients_add(method, path, operation):
    found = vendors.vendor("ispring").match(method, path)
    assert (found and found.name) == operation


# --- content ---
# The answer breakdown names enrollments too (each answer's enrollmentId): it answers none where the enrollment lists do.
EMPTY_REST += [
    (rest("/report/answer-breakdown", "xml"), rb"(?s)<results><results>.*</results>", b"<results><results/></results>"),
    (rest("/report/answer-breakdown", "json"), rb'(?s)"results":\[.*\]', b'"results":[]'),
]
