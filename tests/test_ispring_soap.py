"""iSpring SOAP on the wire: WSDL, every operation with raw envelopes, faults, namespace variants, hostile XML."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from lxml import etree

from .helpers.apps import make_app
from .helpers.ispring_wire import (
    ACCOUNT,
    HOSTILE_KINDS,
    COMMUNICATION,
    DOC_TOKEN,
    DOE_ENROLLMENT,
    JOHN_DOE,
    JOHN_SMITH,
    LEGACY_CREDENTIALS,
    SMITH_ENROLLMENT,
    SOAP_ENV,
    SOAP_PATH,
    SPREADSHEETS,
    TNS,
    call,
    envelope,
    hostile_documents,
    loopback_listener,
    seed_envelope,
    soap_fault,
    soap_result,
)

WSDL = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
XS = "http://www.w3.org/2001/XMLSchema"
OPERATIONS = {
    "getEnrollments", "getEnrollment", "listEnrollments", "enrollLearnersInCourses", "changeEnrollment", "unenroll",
    "getUsers", "getContent", "getContentItem", "getDepartments", "getDepartment",
    "getUserProfileFields", "addUser",  # users
}
OPERATIONS |= {"listDepartments", "setAccountUrl"}  # departments
OPERATIONS |= {"getGroups", "addSmartGroup"}  # groups
OPERATIONS |= {"listSessionsByTraining"}  # training


def world_of(app):
    return app.extensions["mockserver"].world


def enrollment_ids(data: dict) -> list[str]:
    return [e["enrollmentId"] for e in data.get("enrollment", [])]


# --- WSDL ---------------------------------------------------------------------------------------------------


def test_wsdl_publishes_the_vendor_wire_names(client):
    response = client.get(SOAP_PATH + "?wsdl")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    wsdl = etree.fromstring(response.get_data())
    assert wsdl.get("targetNamespace") == TNS
    ops = wsdl.findall(f"{{{WSDL}}}portType/{{{WSDL}}}operation")
    assert {op.get("name") for op in ops} == OPERATIONS
    for op in ops:
        name = op.get("name")
        pascal = name[0].upper() + name[1:]
        assert op.find(f"{{{WSDL}}}input").get("message") == f"tns:{pascal}Request"
        result = "successResult" if name == "unenroll" else f"{pascal}Result"
        assert op.find(f"{{{WSDL}}}output").get("message") == f"tns:{result}"
    binding = wsdl.find(f"{{{WSDL}}}binding")
    assert binding.find(f"{{{WSDL_SOAP}}}binding").attrib == {
        "style": "document", "transport": "http://schemas.xmlsoap.org/soap/http"}
    for op in binding.findall(f"{{{WSDL}}}operation"):
        name = op.get("name")
        assert op.find(f"{{{WSDL_SOAP}}}operation").get("soapAction") == name[0].upper() + name[1:]
        assert {b.get("use") for b in op.iter(f"{{{WSDL_SOAP}}}body")} == {"literal"}
    address = wsdl.find(f".//{{{WSDL_SOAP}}}address")
    assert address.get("location") == "http://localhost" + SOAP_PATH


def _sequence(wsdl, type_name: str) -> list[str]:
    complex_type = wsdl.find(f".//{{{XS}}}complexType[@name='{type_name}']")
    return [e.get("name") for e in complex_type.find(f"{{{XS}}}sequence")]


def test_wsdl_types_have_the_documented_children_in_order(client):
    wsdl = etree.fromstring(client.get(SOAP_PATH + "?wsdl").get_data())
    assert _sequence(wsdl, "GetEnrollmentsRequest") == ["credentials", "courseIds", "learnerIds"]
    assert _sequence(wsdl, "Credentials") == ["accountUrl", "token", "email", "password"]
    assert _sequence(wsdl, "Enrollment") == [
        "enrollmentId", "courseId", "learnerId", "accessDate", "dueDate", "expirationDate", "enrollmentTypeGroup",
        "shouldLockAfterDueDate", "certificate"]
    assert _sequence(wsdl, "EnrollLearnersInCoursesRequest") == [
        "credentials", "courseIds", "learnerIds", "accessDate", "dueDateType", "dueDate", "duePeriod",
        "lockAfterDueDate"]
    assert _sequence(wsdl, "successResult") == ["success"]
    assert _sequence(wsdl, "ListEnrollmentsResult") == ["enrollment", "nextPageToken"]


def test_the_namespace_is_a_setting(world_json, tmp_path):
    tns = "https://ispringlearn.com/go/services/api/soap"
    client = make_app(world_json, tmp_path, ispring_soap_namespace=tns).test_client()
    assert etree.fromstring(client.get(SOAP_PATH + "?wsdl").get_data()).get("targetNamespace") == tns
    response = call(client, "getEnrollment", tns=tns, enrollmentId=SMITH_ENROLLMENT)
    assert soap_result(response, "GetEnrollmentResult", tns=tns)["enrollment"]["enrollmentId"] == SMITH_ENROLLMENT


# --- getEnrollments ---------------------------------------------------------------------------------------


def test_seed_002_envelope_verbatim(client):
    response = client.post(SOAP_PATH, data=seed_envelope(), headers={"Content-Type": "text/xml; charset=utf-8"})
    payload = etree.fromstring(response.get_data())[0][0]
    data = soap_result(response, "GetEnrollmentsResult")
    assert enrollment_ids(data) == [SMITH_ENROLLMENT]
    # The answer's own namespace layout follows the docs: SOAP-ENV prefix, the target namespace as default.
    assert payload.nsmap == {"SOAP-ENV": SOAP_ENV, None: TNS} and payload.prefix is None


def test_seed_002_response_example_enrollment(client):
    """John Doe's enrollment is the one the seed's response example prints, certificate and all."""
    data = soap_result(call(client, "getEnrollments", learnerIds=[JOHN_DOE], courseIds=[SPREADSHEETS]),
                       "GetEnrollmentsResult")
    assert data["enrollment"] == [{
        "enrollmentId": DOE_ENROLLMENT, "courseId": SPREADSHEETS, "learnerId": JOHN_DOE, "accessDate": "2022-07-14",
        "enrollmentTypeGroup": 0, "shouldLockAfterDueDate": False,
        "certificate": {"issuedCertificateId": "66b4ed00-040e-11ed-a8a2-b6f58d6fa7b5",
                        "issueDate": "2022-07-15T07:19:00+00:00", "expiryDate": "2022-07-15T07:21:00+00:00"},
    }]
    raw = etree.fromstring(call(client, "getEnrollments", learnerIds=[JOHN_DOE], courseIds=[SPREADSHEETS]).get_data())
    assert raw.findtext(f".//{{{TNS}}}shouldLockAfterDueDate") == "0"  # seed 002 prints 0/1


@pytest.mark.parametrize("filters", [
    {}, {"courseIds": [SPREADSHEETS]}, {"learnerIds": [JOHN_SMITH]},
    {"courseIds": [SPREADSHEETS, COMMUNICATION], "learnerIds": [JOHN_DOE, JOHN_SMITH]},
])
def test_get_enrollments_filters(app, client, filters):
    data = soap_result(call(client, "getEnrollments", **filters), "GetEnrollmentsResult")
    courses, learners = filters.get("courseIds"), filters.get("learnerIds")
    expected = sorted(e.enrollment_id for e in world_of(app).enrollments.values()
                      if (courses is None or e.course_id in courses) and (learners is None or e.learner_id in learners))
    assert expected and enrollment_ids(data) == expected


def test_due_and_expiration_dates_only_when_set(app, client):
    world = world_of(app)
    locked = next(e for e in world.enrollments.values() if e.due_date and e.should_lock_after_due_date)
    open_ended = next(e for e in world.enrollments.values() if e.due_date and not e.should_lock_after_due_date)
    unlimited = next(e for e in world.enrollments.values() if e.due_date is None and e.certificate is None)
    for row, present in ((locked, ["dueDate", "expirationDate"]), (open_ended, ["dueDate"]), (unlimited, [])):
        got = soap_result(call(client, "getEnrollment", enrollmentId=row.enrollment_id), "GetEnrollmentResult")
        keys = list(got["enrollment"])
        assert keys == ["enrollmentId", "courseId", "learnerId", "accessDate", *present, "enrollmentTypeGroup",
                        "shouldLockAfterDueDate"]
        assert got["enrollment"].get("dueDate") == row.due_date


def test_get_enrollment_unknown_is_the_documented_fault(client):
    soap_fault(call(client, "getEnrollment", enrollmentId="00000000-0000-1000-8000-000000000000"),
               "Unknown Enrollment")


# --- listEnrollments ----------------------------------------------------------------------------------------


def test_list_enrollments_walks_every_page(app, client):
    seen, token, pages = [], None, 0
    while True:
        data = soap_result(call(client, "listEnrollments", pageSize=40, pageToken=token), "ListEnrollmentsResult")
        seen += enrollment_ids(data)
        pages += 1
        token = data.get("nextPageToken")
        if token is None:
            break
        assert base64.b64decode(token).decode() == seen[-1]  # a cursor on the last ID, like the docs' token
    everything = sorted(world_of(app).enrollments)
    assert seen == everything and pages == -(-len(everything) // 40)


def test_list_enrollments_filters_and_default_size(app, client):
    data = soap_result(call(client, "listEnrollments", learnerIds=[JOHN_DOE]), "ListEnrollmentsResult")
    assert "nextPageToken" not in data
    assert enrollment_ids(data) == sorted(e.enrollment_id for e in world_of(app).enrollments.values()
                                          if e.learner_id == JOHN_DOE)


@pytest.mark.parametrize("params", [{"pageSize": 0}, {"pageSize": "ten"}, {"pageToken": "%%%not base64"}])
def test_list_enrollments_bad_paging(client, params):
    soap_fault(call(client, "listEnrollments", **params), "Wrong parameters")


# --- writes -------------------------------------------------------------------------------------------------


def test_enroll_then_read_back(app, client):
    world = world_of(app)
    learner = next(p.user_id for p in world.people
                   if not any(e.learner_id == p.user_id and e.course_id == SPREADSHEETS
                              for e in world.enrollments.values()))
    response = call(client, "enrollLearnersInCourses", courseIds=[SPREADSHEETS], learnerIds=[learner],
                    accessDate="2019-09-24 10:30:00", dueDateType="due_period", duePeriod=48, lockAfterDueDate="true")
    assert soap_result(response, "EnrollLearnersInCoursesResult") == {"success": True}
    assert etree.fromstring(response.get_data()).findtext(f".//{{{TNS}}}success") == "true"
    data = soap_result(call(client, "getEnrollments", courseIds=[SPREADSHEETS], learnerIds=[learner]),
                       "GetEnrollmentsResult")
    (row,) = data["enrollment"]
    assert row["accessDate"] == "2019-09-24" and row["dueDate"] == "2019-09-26" == row["expirationDate"]
    assert row["shouldLockAfterDueDate"] is True and row["enrollmentTypeGroup"] == 0
    assert row["enrollmentId"][14] == "1"  # a version-1 (time-based) UUID, as production's


def test_enroll_is_one_enrollment_per_course_and_learner(app, client):
    before = len(world_of(app).enrollments)
    for _ in range(2):
        soap_result(call(client, "enrollLearnersInCourses", courseIds=[SPREADSHEETS], learnerIds=[JOHN_DOE],
                         dueDateType="unlimited"), "EnrollLearnersInCoursesResult")
    assert len(world_of(app).enrollments) == before
    assert world_of(app).enrollments[DOE_ENROLLMENT].certificate is not None  # kept as it was


@pytest.mark.parametrize("params", [
    {"courseIds": ["00000000-0000-1000-8000-000000000000"], "learnerIds": [JOHN_DOE], "dueDateType": "unlimited"},
    {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH], "dueDateType": "forever"},
    {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH]},
    {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH], "dueDateType": "due_date"},
    {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH], "dueDateType": "due_period"},
    {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH], "dueDateType": "due_period", "duePeriod": "x"},
    {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH], "dueDateType": "unlimited", "accessDate": "soon"},
    {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH], "accessDate": "2024-05-01", "dueDateType": "due_date",
     "dueDate": "2024-04-01"},
    {"learnerIds": [JOHN_SMITH], "dueDateType": "unlimited"},
])
def test_enroll_refuses_bad_input_and_stores_nothing(app, client, params):
    before = dict(world_of(app).enrollments)
    soap_fault(call(client, "enrollLearnersInCourses", **params), "Wrong parameters")
    assert world_of(app).enrollments == before


def test_change_enrollment(app, client):
    response = call(client, "changeEnrollment", enrollmentId=SMITH_ENROLLMENT, accessDate="2019-09-24 10:30:00",
                    dueDateType="due_date", dueDate="2019-10-01", lockAfterDueDate="1")
    assert soap_result(response, "ChangeEnrollmentResult") == {"success": True}
    row = soap_result(call(client, "getEnrollment", enrollmentId=SMITH_ENROLLMENT), "GetEnrollmentResult")["enrollment"]
    assert (row["accessDate"], row["dueDate"], row["expirationDate"]) == ("2019-09-24", "2019-10-01", "2019-10-01")
    soap_fault(call(client, "changeEnrollment", enrollmentId="00000000-0000-1000-8000-000000000000",
                    accessDate="2019-09-24", dueDateType="unlimited"), "Unknown Enrollment")
    # A due date past the year 9999 is wrong parameters, not an internal error (found by fuzzing REST).
    soap_fault(call(client, "changeEnrollment", enrollmentId=SMITH_ENROLLMENT, accessDate="2019-09-24",
                    dueDateType="due_period", duePeriod=str(2**31 - 1)), "Wrong parameters")


def test_unenroll_answers_success_result(app, client):
    response = call(client, "unenroll", enrollmentId=SMITH_ENROLLMENT)
    assert soap_result(response, "successResult") == {"success": True}
    result = etree.fromstring(response.get_data())[0][0]
    assert result.tag == f"{{{TNS}}}successResult"
    assert [(c.tag, c.text) for c in result] == [(f"{{{TNS}}}success", "true")]
    assert SMITH_ENROLLMENT not in world_of(app).enrollments
    soap_fault(call(client, "getEnrollment", enrollmentId=SMITH_ENROLLMENT), "Unknown Enrollment")
    soap_fault(call(client, "unenroll", enrollmentId=SMITH_ENROLLMENT), "Wrong parameters")  # as documented


# --- users, content, departments ----------------------------------------------------------------------------


def test_get_users_are_the_worlds_people(app, client):
    world = world_of(app)
    profiles = soap_result(call(client, "getUsers"), "GetUsersResult")["userProfile"]
    assert [p["userId"] for p in profiles] == [p.user_id for p in world.people]
    doe = profiles[0]
    person = next(p for p in world.people if p.user_id == JOHN_DOE)
    assert doe["userId"] == JOHN_DOE and doe["status"] == 1 and doe["role"] == "learner"
    assert doe["departmentId"] == world.org_unit_by_serial[person.org_serial].department_id
    assert doe["fields"] == [{"name": "LOGIN", "value": person.username}, {"name": "EMAIL", "value": person.email},
                             {"name": "FIRST_NAME", "value": "John"}, {"name": "LAST_NAME", "value": "Doe"},
                             {"name": "JOB_TITLE", "value": person.job_title}]


def test_get_content_and_content_item(app, client):
    items = world_of(app).content_items
    listed = soap_result(call(client, "getContent"), "GetContentResult")["contentItem"]
    assert [c["contentItemId"] for c in listed] == [c.content_item_id for c in items]
    one = soap_result(call(client, "getContentItem", contentItemId=SPREADSHEETS), "GetContentItemResult")
    assert one["contentItem"]["title"] == "Effisien Menggunakan Spreadsheet untuk Report"
    assert one["contentItem"] == listed[0]
    soap_fault(call(client, "getContentItem", contentItemId="nope"), "Wrong parameters")


def test_get_departments_and_department(app, client):
    world = world_of(app)
    listed = soap_result(call(client, "getDepartments"), "GetDepartmentsResult")["department"]
    root, *units = listed  # the company's root department, then the company structure under it
    assert [d["departmentId"] for d in units] == [u.department_id for u in world.org_units]
    assert (root["name"], root["code"], "parentDepartmentId" in root) == ("PT Ruang Raya Indonesia", "CMP-RUANGGURU",
                                                                          False)
    assert {d["parentDepartmentId"] for d in units if d["code"].startswith("DIV-")} == {root["departmentId"]}
    child = next(u for u in world.org_units if u.parent_serial)
    got = soap_result(call(client, "getDepartment", departmentId=child.department_id), "GetDepartmentResult")
    assert got["department"]["parentDepartmentId"] == world.org_unit_by_serial[child.parent_serial].department_id
    assert list(got["department"]) == ["departmentId", "name", "code", "parentDepartmentId", "subordination",
                                       "coSubordination"]
    soap_fault(call(client, "getDepartment", departmentId="nope"), "Wrong parameters")


# --- credentials --------------------------------------------------------------------------------------------


def rest_token(client) -> str:
    form = {"client_id": "example", "client_secret": "example_secret", "grant_type": "client_credentials"}
    return client.post("/api/v3/token", data=form).get_json()["access_token"]


def test_a_rest_token_works_in_soap(client):
    token = rest_token(client)
    data = soap_result(call(client, "getEnrollment", credentials={"token": token}, enrollmentId=SMITH_ENROLLMENT),
                       "GetEnrollmentResult")
    assert data["enrollment"]["enrollmentId"] == SMITH_ENROLLMENT


def test_legacy_credentials(client):
    soap_result(call(client, "getEnrollment", credentials=LEGACY_CREDENTIALS, enrollmentId=SMITH_ENROLLMENT),
                "GetEnrollmentResult")
    https = {**LEGACY_CREDENTIALS, "accountUrl": ACCOUNT.replace("http:", "https:") + "/"}
    soap_result(call(client, "getEnrollment", credentials=https, enrollmentId=SMITH_ENROLLMENT), "GetEnrollmentResult")


@pytest.mark.parametrize("credentials", [
    False, {}, {"token": "not-a-token"}, {**LEGACY_CREDENTIALS, "password": "wrong"},
    {**LEGACY_CREDENTIALS, "accountUrl": "http://otheraccount.ispringlearn.ru"},
    {"email": "email@email.com", "password": "12345Q"},
])
def test_refused_credentials(client, credentials):
    soap_fault(call(client, "getEnrollments", credentials=credentials), "Authorization failed")


def test_an_expired_token_is_refused(app, client):
    app.extensions["mockserver"].state.add_token("ispring", "expired-token", -1)
    soap_fault(call(client, "getEnrollments", credentials={"token": "expired-token"}), "Authorization failed")


def test_a_learner_login_has_no_api_rights(world_json, tmp_path):
    client = make_app(world_json, tmp_path,
                      ispring_logins=("email@email.com:12345Q", "learner@example.com:pw:learner")).test_client()
    learner = {"accountUrl": ACCOUNT, "email": "learner@example.com", "password": "pw"}
    soap_fault(call(client, "getEnrollments", credentials=learner), "Permission denied")


# --- namespaces and envelopes -------------------------------------------------------------------------------


@pytest.mark.parametrize("tns", ["http://ispringlearn.com/go/services/api/soap",
                                 "https://ispringlearn.com/go/services/api/soap",
                                 "http://ispringlearn.ru/go/services/api/soap", TNS])
@pytest.mark.parametrize("qualified", [True, False])
def test_documented_namespace_variants_are_accepted(client, tns, qualified):
    response = call(client, "getEnrollment", tns=tns, qualified=qualified, enrollmentId=SMITH_ENROLLMENT)
    # Answered in the request's own namespace (tests/test_ispring_clients.py has the details).
    assert soap_result(response, "GetEnrollmentResult", tns=tns)["enrollment"]["enrollmentId"] == SMITH_ENROLLMENT


def test_the_docs_https_envelope_namespace_is_accepted(client):
    body = envelope("getEnrollment", env_ns="https://schemas.xmlsoap.org/soap/envelope/", enrollmentId=SMITH_ENROLLMENT)
    soap_result(client.post(SOAP_PATH, data=body, headers={"Content-Type": "text/xml"}), "GetEnrollmentResult")


# An unknown operation, or a known one in a foreign namespace, says `Unknown operation: …` instead (see
# tests/test_ispring_clients.py).
@pytest.mark.parametrize("body", [
    envelope("getEnrollment", env_ns="http://www.w3.org/2003/05/soap-envelope", enrollmentId=SMITH_ENROLLMENT),
    b"<SOAP-ENV:Envelope xmlns:SOAP-ENV='http://schemas.xmlsoap.org/soap/envelope/'><SOAP-ENV:Body>",
    b"not xml at all",
    b"",
])
def test_malformed_requests_get_the_wrong_parameters_fault(client, body):
    soap_fault(client.post(SOAP_PATH, data=body, headers={"Content-Type": "text/xml"}), "Wrong parameters")


def test_a_get_without_wsdl_is_refused(client):
    soap_fault(client.get(SOAP_PATH), "Wrong parameters", status=405)


def test_a_body_over_the_limit_is_413(world_json, tmp_path):
    client = make_app(world_json, tmp_path, max_body_bytes=2048).test_client()
    body = envelope("getEnrollments", courseIds=[SPREADSHEETS] * 100)
    soap_fault(client.post(SOAP_PATH, data=body, headers={"Content-Type": "text/xml"}), "Wrong parameters", 413)


# --- hostile XML --------------------------------------------------------------------------------------------


@pytest.fixture
def listener():
    with loopback_listener() as found:
        yield found


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_hostile_xml_is_refused_without_resolving_anything(app, client, listener, kind):
    port, hits = listener
    before = len(world_of(app).enrollments)
    request = envelope("getEnrollment", enrollmentId="&x;").decode().replace("&amp;x;", "&x;")
    response = client.post(SOAP_PATH, data=hostile_documents(port, request)[kind], headers={"Content-Type": "text/xml"})
    soap_fault(response, "Wrong parameters")
    assert b"root:" not in response.get_data()
    assert hits == [] and len(world_of(app).enrollments) == before


# --- booleans and the fast renderer -------------------------------------------------------------------------


def test_booleans_as_words_is_a_setting(world_json, tmp_path):
    client = make_app(world_json, tmp_path, ispring_soap_booleans="words").test_client()
    response = call(client, "getEnrollment", enrollmentId=SMITH_ENROLLMENT)
    assert etree.fromstring(response.get_data()).findtext(f".//{{{TNS}}}shouldLockAfterDueDate") == "false"
    soap_result(response, "GetEnrollmentResult", flags=("false", "true"))


def _spyne_instance(cls, value):
    """A payload dict as the Spyne object graph Spyne's own serializer takes."""
    from spyne import Array, ComplexModelBase, Date, DateTime

    if isinstance(value, dict):
        made = getattr(cls, "__orig__", None) or cls  # instances of the model, not of its customized copy
        return made(**{k: _spyne_instance(cls._type_info[k], v) for k, v in value.items() if v is not None})
    if isinstance(value, list):
        if issubclass(cls, Array):
            ((_, cls),) = cls._type_info.items()
        return [_spyne_instance(cls, v) for v in value]
    if issubclass(cls, DateTime):
        return dt.datetime.fromisoformat(value)
    if issubclass(cls, Date):
        return dt.date.fromisoformat(value)
    assert not issubclass(cls, ComplexModelBase)
    return value


@pytest.mark.parametrize("operation", ["getEnrollments", "getUsers", "getContent", "getDepartments"])
def test_fast_rendering_writes_what_spyne_would(app, client, operation):
    """The lxml renderer must not drift from the Spyne models that make the WSDL: same elements, order, text."""
    from spyne.protocol.soap import Soap11

    from mockserver.ispring.soap import service as soap

    spyne_app = soap.soap_application(TNS, "words")
    method = spyne_app.services[0].public_methods[operation]
    message = method.out_message
    ((name, kind),) = message._type_info.items()
    ctx = type("Ctx", (), {"udc": app.extensions["mockserver"]})()
    filters = [None] * (len(method.in_message._type_info) - 1)  # no filter: every row
    rows = method.function(ctx, type("Cred", (), {"token": DOC_TOKEN})(), *filters)
    stock = Soap11()
    stock.set_app(spyne_app)
    by_spyne = etree.Element("root")
    stock.to_parent(None, message, message(**{name: _spyne_instance(kind, rows)}), by_spyne, TNS)
    ours = etree.Element("root")
    from mockserver.ispring.soap.render import render_result

    render_result(ours, message, [rows], ("false", "true"))
    assert len(by_spyne[0]) == len(rows) > 0
    assert etree.canonicalize(by_spyne, rewrite_prefixes=True) == etree.canonicalize(ours, rewrite_prefixes=True)


def test_check_contracts_turns_a_broken_result_into_a_named_server_fault(client, monkeypatch):
    from mockserver.ispring import handlers

    real = handlers.soap_enrollment
    monkeypatch.setattr(handlers, "soap_enrollment", lambda e: {**real(e), "enrollmentTypeGroup": 7})
    response = call(client, "getEnrollment", enrollmentId=SMITH_ENROLLMENT)
    fault = etree.fromstring(response.get_data())[0][0]
    assert response.status_code == 500 and fault.findtext("faultcode") == "server"
    assert fault.findtext("faultstring").startswith(
        "response breaks GetEnrollmentResultSchema: enrollment.enrollmentTypeGroup")
