"""What real iSpring clients send, sent as they send it (raw query strings, raw bodies, raw headers), against the
enrollment rows and the SOAP operations: PHP's indexed query arrays, form and multipart bodies, numbers and booleans
as JSON strings, the token call with HTTP Basic or JSON client credentials, the /api/v2 and /index.php/api/v2
prefixes, SOAP answers in the request's namespace, and unknown SOAP operations named in the fault."""

from __future__ import annotations

import base64
import json
import re

import pytest
from lxml import etree

from mockserver import ispring
from mockserver.api.operation import flask_path
from mockserver.contracts.ispring import (
    CreatedEnrollmentsSchema,
    EnrollmentListSchema,
    EnrollmentSchema,
    EnrollmentsPageSchema,
    EnrollmentXmlSchema,
    TokenSchema,
)
from mockserver.errors import BadRequestError
from mockserver.ispring.inputs import php_values

from .helpers.apps import conforms, make_app
from .helpers.ispring_wire import (
    CLIENT_FORM,
    COMMUNICATION,
    DOE_ENROLLMENT,
    JOHN_DOE,
    JOHN_SMITH,
    LEGACY_HEADERS,
    SMITH_ENROLLMENT,
    SOAP_ENV,
    SOAP_PATH,
    SPREADSHEETS,
    TNS,
    envelope,
    fresh_learner,
    rest_error,
    rest_xml,
    soap_fault,
    soap_result,
)

JSON = {"Accept": "application/json"}
FORM = "application/x-www-form-urlencoded"
LARAVEL = {**LEGACY_HEADERS, **JSON}  # the Laravel package: Accept JSON, X-Auth-* ("login" mode)
JSON_BODY = {**LARAVEL, "Content-Type": "application/json"}


def world_of(app):
    return app.extensions["mockserver"].world


def listed(client, query: str, path: str = "/enrollment") -> list[dict]:
    response = client.get(f"{path}?{query}" if query else path, headers=LARAVEL)
    return conforms(response, EnrollmentListSchema if path.endswith("enrollment") else EnrollmentsPageSchema)[
        "enrollments"]


def enrollment(client, enrollment_id: str) -> dict:
    return conforms(client.get(f"/enrollment/{enrollment_id}", headers=LARAVEL), EnrollmentSchema)


# --- 1. PHP-style array query parameters ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/enrollment", "/enrollments"])
def test_http_build_query_indexed_arrays_filter(client, path):
    """PHP's http_build_query (Guzzle, Laravel's Http::get($url, $query)) writes `learnerIds%5B0%5D=…`."""
    everything = listed(client, "", path)
    indexed = listed(client, f"learnerIds%5B0%5D={JOHN_SMITH}&learnerIds%5B1%5D={JOHN_DOE}", path)
    brackets = listed(client, f"learnerIds[]={JOHN_SMITH}&learnerIds[]={JOHN_DOE}", path)
    assert indexed == brackets
    assert {e["learnerId"] for e in indexed} == {JOHN_SMITH, JOHN_DOE}
    assert {SMITH_ENROLLMENT, DOE_ENROLLMENT} <= {e["enrollmentId"] for e in indexed}
    assert len(indexed) < len(everything)
    # Unencoded brackets, indexes out of order, and the two filters together (AND, as the spec's filters).
    both = listed(client, f"courseIds[0]={COMMUNICATION}&learnerIds[1]={JOHN_DOE}&learnerIds[0]={JOHN_SMITH}", path)
    assert [e["enrollmentId"] for e in both] == [SMITH_ENROLLMENT]


def test_bare_and_mixed_forms_are_one_array(client):
    """The cse bot sends a bare `userIds=<id>`; `[]` after an index takes the next index, as PHP reads it."""
    assert [e["enrollmentId"] for e in listed(client, f"learnerIds={JOHN_SMITH}&courseIds={COMMUNICATION}")] == [
        SMITH_ENROLLMENT]
    mixed = listed(client, f"learnerIds[0]={JOHN_SMITH}&learnerIds[]={JOHN_DOE}")
    assert {e["learnerId"] for e in mixed} == {JOHN_SMITH, JOHN_DOE}


@pytest.mark.parametrize("query", [
    f"learnerIds[x]={JOHN_SMITH}",  # an object, not a list
    f"learnerIds[0][1]={JOHN_SMITH}",  # nested
    f"learnerIds[01]={JOHN_SMITH}",  # PHP reads `01` as a string key
    f"learnerIds[-1]={JOHN_SMITH}",
    f"learnerIds[0={JOHN_SMITH}",  # unclosed
    f"learnerIds%5B0%5D={JOHN_SMITH}&learnerIds%5B0%5D={JOHN_DOE}",  # the same index twice
    "learnerIds[0]=",  # empty
    "learnerIds[0]=not-a-uuid",
])
@pytest.mark.parametrize("path", ["/enrollment", "/enrollments", "/api/v2/enrollment"])
def test_a_malformed_array_parameter_is_a_400_never_ignored(client, path, query):
    message = rest_error(client.get(f"{path}?{query}", headers=LARAVEL), 400, json=True)
    assert "learnerIds" in message


# --- 2. form and multipart bodies, text/json ---------------------------------------------------------------


def enrolled(app, client, response, courses: list[str], learner: str) -> list[str]:
    """The 201's IDs, one per course in the order given (the mock lists them course by course)."""
    ids = conforms(response, CreatedEnrollmentsSchema, 201)["enrollmentIds"]
    assert [(world_of(app).enrollments[i].course_id, world_of(app).enrollments[i].learner_id) for i in ids] == [
        (course, learner) for course in courses]
    return ids


def test_form_body_with_php_indexed_arrays(app, client):
    """`Http::asForm()->post(...)` / http_build_query: indexed arrays, read in index order, numbers as text."""
    taken = {e.learner_id for e in world_of(app).enrollments.values() if e.course_id in (SPREADSHEETS, COMMUNICATION)}
    learner = next(p.user_id for p in world_of(app).learners if p.user_id not in taken)
    body = (f"courseIds%5B1%5D={SPREADSHEETS}&courseIds%5B0%5D={COMMUNICATION}&learnerIds%5B0%5D={learner}"
            "&dueDateType=due_period&duePeriod=72&accessDate=2024-05-01&lockAfterDueDate=1")
    response = client.post("/enrollment", data=body, headers={**LARAVEL, "Content-Type": FORM})
    first, second = enrolled(app, client, response, [COMMUNICATION, SPREADSHEETS], learner)
    got = enrollment(client, first)
    assert (got["accessDate"], got["dueDate"], got["shouldLockAfterDueDate"]) == ("2024-05-01", "2024-05-04", True)


def test_form_body_with_brackets_and_delete(app, client):
    learner = fresh_learner(world_of(app), SPREADSHEETS)
    body = f"courseIds[]={SPREADSHEETS}&learnerIds[]={learner}&dueDateType=unlimited"
    (new_id,) = enrolled(app, client, client.post("/enrollment", data=body,
                                                  headers={**LARAVEL, "Content-Type": FORM}), [SPREADSHEETS], learner)
    response = client.post("/enrollment/delete", data=f"enrollmentIds%5B0%5D={new_id}",
                           headers={**LARAVEL, "Content-Type": f"{FORM}; charset=UTF-8"})
    assert response.status_code == 204 and new_id not in world_of(app).enrollments


def test_multipart_body(app, client):
    learner = fresh_learner(world_of(app), SPREADSHEETS)
    boundary = "----phpBoundary7MA4YWxkTrZu0gW"
    parts = [("courseIds[0]", SPREADSHEETS), ("learnerIds[0]", learner), ("dueDateType", "due_date"),
             ("dueDate", "2030-01-31"), ("lockAfterDueDate", "true")]
    body = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                   for name, value in parts) + f"--{boundary}--\r\n"
    response = client.post("/enrollment", data=body.encode(),
                           headers={**LARAVEL, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    (new_id,) = enrolled(app, client, response, [SPREADSHEETS], learner)
    got = enrollment(client, new_id)
    assert (got["dueDate"], got["shouldLockAfterDueDate"]) == ("2030-01-31", True)


@pytest.mark.parametrize("body, field", [
    (f"courseIds[0={SPREADSHEETS}&learnerIds[]={JOHN_SMITH}&dueDateType=unlimited", "courseIds"),
    (f"courseIds[0]={SPREADSHEETS}&courseIds[0]={COMMUNICATION}&learnerIds[]={JOHN_SMITH}&dueDateType=unlimited",
     "courseIds"),
    (f"courseIds={SPREADSHEETS}&courseIds[0]={COMMUNICATION}&learnerIds[]={JOHN_SMITH}&dueDateType=unlimited",
     "courseIds"),
    (f"courseIds[]={SPREADSHEETS}&learnerIds[]={JOHN_SMITH}&dueDateType=due_period&duePeriod=abc", "duePeriod"),
    (f"courseIds[]={SPREADSHEETS}&dueDateType=unlimited", "learnerIds"),
])
def test_bad_form_bodies_are_400s_naming_the_field(app, client, body, field):
    before = dict(world_of(app).enrollments)
    message = rest_error(client.post("/enrollment", data=body, headers={**LARAVEL, "Content-Type": FORM}), 400,
                         json=True)
    assert field in message and world_of(app).enrollments == before


def test_text_json_is_json(app, client):
    learner = fresh_learner(world_of(app), SPREADSHEETS)
    body = json.dumps({"courseIds": [SPREADSHEETS], "learnerIds": [learner], "dueDateType": "unlimited"})
    response = client.post("/enrollment", data=body, headers={**LARAVEL, "Content-Type": "text/json; charset=utf-8"})
    enrolled(app, client, response, [SPREADSHEETS], learner)


def test_php_values_shapes_like_json():
    assert php_values([("fields[0][name]", "LOGIN"), ("fields[0][value]", "jdoe"), ("fields[1][name]", "EMAIL"),
                       ("fields[1][value]", "j@x.io"), ("name", "A"), ("ids[2]", "c"), ("ids[]", "d"),
                       ("ids[0]", "a"), ("sub[login]", "x")]) == {
        "fields": [{"name": "LOGIN", "value": "jdoe"}, {"name": "EMAIL", "value": "j@x.io"}], "name": "A",
        "ids": ["a", "c", "d"], "sub": {"login": "x"}}
    assert php_values([("a", "1"), ("a", "2")]) == {"a": ["1", "2"]}  # as a repeated XML element
    for bad in ([("a[0]", "1"), ("a", "2")], [("a", "1"), ("a[0]", "2")], [("a[x]", "1"), ("a[x][y]", "2")],
                [("a]", "1")], [("a[0]x", "1")]):
        with pytest.raises(BadRequestError):
            php_values(bad)


# --- 3. numbers and booleans as JSON strings ----------------------------------------------------------------


def test_numbers_and_booleans_as_json_strings(app, client):
    learner = fresh_learner(world_of(app), SPREADSHEETS)
    body = {"courseIds": [SPREADSHEETS], "learnerIds": [learner], "dueDateType": "due_period", "duePeriod": "72",
            "accessDate": "2024-05-01", "lockAfterDueDate": "true"}
    response = client.post("/enrollment", data=json.dumps(body), headers=JSON_BODY)
    (new_id,) = enrolled(app, client, response, [SPREADSHEETS], learner)
    got = enrollment(client, new_id)
    assert (got["dueDate"], got["shouldLockAfterDueDate"]) == ("2024-05-04", True)
    change = {"accessDate": "2024-06-01 10:30:00", "dueDateType": "due_period", "duePeriod": " 24 ",
              "lockAfterDueDate": "FALSE"}
    response = client.post(f"/enrollment/{new_id}", data=json.dumps(change),
                           headers={**LARAVEL, "Content-Type": "application/json"})
    assert response.status_code == 200 and response.get_data() == b""
    got = enrollment(client, new_id)
    assert (got["accessDate"], got["dueDate"], got["shouldLockAfterDueDate"]) == ("2024-06-01", "2024-06-02", False)
    body.update(learnerIds=[fresh_learner(world_of(app), SPREADSHEETS)], duePeriod=48, lockAfterDueDate=1)
    response = client.post("/enrollment", data=json.dumps(body), headers=JSON_BODY)
    assert enrollment(client, conforms(response, CreatedEnrollmentsSchema, 201)["enrollmentIds"][0])[
        "shouldLockAfterDueDate"] is True


@pytest.mark.parametrize("field, value", [("duePeriod", "abc"), ("duePeriod", "7.5"), ("duePeriod", 7.5),
                                          ("duePeriod", ""), ("duePeriod", True), ("duePeriod", "٣"),
                                          ("lockAfterDueDate", "yes"), ("lockAfterDueDate", 2),
                                          ("lockAfterDueDate", "")])
def test_what_stays_a_400(app, client, field, value):
    body = {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH], "dueDateType": "due_period", "duePeriod": 3,
            field: value}
    before = dict(world_of(app).enrollments)
    response = client.post("/enrollment", data=json.dumps(body), headers=JSON_BODY)
    assert f"{field} must be" in rest_error(response, 400, json=True)
    assert world_of(app).enrollments == before


# --- 4. the token call: HTTP Basic and JSON client credentials ------------------------------------------------


def basic(client_id: str, secret: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def works(client, response) -> None:
    body = conforms(response, TokenSchema)
    assert list(body) == ["access_token", "expires_in", "token_type"] and body["token_type"] == "bearer"
    conforms(client.get("/enrollment", headers={"Authorization": f"Bearer {body['access_token']}", **JSON}),
             EnrollmentListSchema)


def test_token_with_http_basic_client_credentials(client):
    """RFC 6749 2.3.1, as requests-oauthlib, authlib, Spring and golang.org/x/oauth2 send it: the ID and secret in
    Basic auth, the grant in the form; some also repeat client_id in the body."""
    works(client, client.post("/api/v3/token", data="grant_type=client_credentials",
                              headers={**basic("example", "example_secret"), "Content-Type": FORM}))
    works(client, client.post("/api/v3/token", data="grant_type=client_credentials&client_id=example",
                              headers={**basic("example", "example_secret"), "Content-Type": FORM}))


def test_token_with_a_json_body(client):
    works(client, client.post("/api/v3/token", data=json.dumps(CLIENT_FORM),
                              headers={"Content-Type": "application/json"}))


@pytest.mark.parametrize("headers, body, status", [
    (basic("example", "wrong"), "grant_type=client_credentials", 401),
    (basic("example", "example_secret"), "", 400),  # no grant_type
    (basic("example", "example_secret"), "grant_type=password", 400),
    (basic("example", "example_secret"), "grant_type=client_credentials&client_id=other", 400),
    ({"Authorization": "Basic not-base64!"}, "grant_type=client_credentials", 400),
    ({"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}, "grant_type=client_credentials", 400),
])
def test_token_refusals(client, headers, body, status):
    response = client.post("/api/v3/token", data=body, headers={**headers, "Content-Type": FORM})
    assert rest_error(response, status, json=True)


def test_basic_credentials_are_form_urlencoded_first(world_json, tmp_path):
    """RFC 6749 2.3.1: each is application/x-www-form-urlencoded before base64 (`@` as %40, a space as +)."""
    client = make_app(world_json, tmp_path, ispring_clients=("app@corp:p&ss w:rd",),
                      ispring_soap_reply_namespace="configured").test_client()
    works(client, client.post("/api/v3/token", data="grant_type=client_credentials",
                              headers={**basic("app%40corp", "p%26ss+w%3Ard"), "Content-Type": FORM}))
    # This app also answers SOAP in the configured namespace, whatever the request's (6. below).
    com = "https://ispringlearn.com/go/services/api/soap"
    response = client.post(SOAP_PATH, data=envelope("getEnrollment", tns=com, enrollmentId=SMITH_ENROLLMENT),
                           headers={"Content-Type": "text/xml"})
    assert soap_result(response, "GetEnrollmentResult", tns=TNS)["enrollment"]["enrollmentId"] == SMITH_ENROLLMENT


# --- 5. the prefixes clients put in front of every REST path ----------------------------------------------------


PREFIXES = ("/api/v2", "/index.php/api/v2", "/api/v3")


def test_every_rest_row_is_served_under_every_prefix(client):
    """Table-driven: each REST row, present and future, is routed under each prefix (a 401 in the vendor's shape for
    no credentials, never a 404 or 405); the token call keeps its one path."""
    assert ispring.ROUTE_PREFIXES == PREFIXES
    checked = 0
    for op in ispring.OPERATIONS:
        if op.soap is not None:
            continue
        for method, path in op.routes():
            if path.startswith("/api/"):
                assert ispring.route_prefixes(path) == ()
                continue
            concrete = re.sub(r"<\w+>", "3fa85f64-5717-4562-b3fc-2c963f66afa6", flask_path(path))
            for prefix in PREFIXES:
                response = client.open(prefix + concrete, method=method)
                if op.public:
                    assert response.status_code not in (404, 405), (op.name, prefix)
                else:
                    assert rest_error(response, 401), (op.name, prefix)
                checked += 1
    assert checked >= 3 * 6


def test_laravel_and_sync_org_style_calls(app, client):
    """`{account_url}/index.php/api/v2/...` with an indexed query (Laravel), `/api/v2/...` (sync-org.mjs, Kotlin)."""
    query = f"learnerIds%5B0%5D={JOHN_SMITH}&courseIds%5B0%5D={COMMUNICATION}"
    plain = listed(client, query)
    assert plain == conforms(client.get(f"/index.php/api/v2/enrollment?{query}", headers=LARAVEL),
                             EnrollmentListSchema)["enrollments"]
    got = rest_xml(client.get(f"/api/v2/enrollment/{SMITH_ENROLLMENT}", headers=LEGACY_HEADERS), EnrollmentXmlSchema)
    assert got["enrollment"]["enrollmentId"] == SMITH_ENROLLMENT
    learner = fresh_learner(world_of(app), SPREADSHEETS)
    body = {"courseIds": [SPREADSHEETS], "learnerIds": [learner], "dueDateType": "unlimited"}
    response = client.post("/index.php/api/v2/enrollment", data=json.dumps(body),
                           headers={**LARAVEL, "Content-Type": "application/json"})
    enrolled(app, client, response, [SPREADSHEETS], learner)


def test_prefixes_keep_soap_the_token_and_the_document(client):
    response = client.post("/api/v2/soap/2.0", data=envelope("getEnrollment", enrollmentId=SMITH_ENROLLMENT),
                           headers={"Content-Type": "text/xml"})
    soap_result(response, "GetEnrollmentResult")
    wsdl = client.get("/api/v2/soap/2.0?wsdl")
    assert wsdl.status_code == 200 and b"GetEnrollmentRequest" in wsdl.get_data()
    rest_error(client.post("/api/v2/api/v3/token", data=CLIENT_FORM), 404)
    assert "/api/v2/nope" in rest_error(client.get("/api/v2/nope"), 404)
    assert rest_error(client.get("/api/v2/oauth/token"), 404)  # Ruangkerja's paths are not iSpring's to prefix
    wrong = client.delete("/index.php/api/v2/enrollment", headers=LEGACY_HEADERS)
    assert "/index.php/api/v2/enrollment" in rest_error(wrong, 405)
    assert wrong.headers["Allow"] == client.delete("/enrollment", headers=LEGACY_HEADERS).headers["Allow"]
    paths = client.get("/__admin/openapi.json").get_json()["paths"]
    assert "/enrollment" in paths and not any(p.startswith(PREFIXES) for p in paths if p != "/api/v3/token")


# --- 6. SOAP answers in the request's namespace ----------------------------------------------------------------


VARIANTS = [f"{scheme}://ispringlearn.{tld}/go/services/api/soap" for scheme in ("http", "https")
            for tld in ("com", "ru")]


@pytest.mark.parametrize("tns", VARIANTS)
def test_soap_answers_in_the_requests_namespace(client, tns):
    response = client.post(SOAP_PATH, data=envelope("getEnrollments", tns=tns, qualified=False,
                                                    learnerIds=[JOHN_SMITH]),
                           headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"GetEnrollments"'})
    result = soap_result(response, "GetEnrollmentsResult", tns=tns)
    assert SMITH_ENROLLMENT in [e["enrollmentId"] for e in result["enrollment"]]
    root = etree.fromstring(response.get_data())
    assert root.nsmap == {"SOAP-ENV": SOAP_ENV, None: tns}
    assert {etree.QName(e).namespace for e in root[0][0].iter()} == {tns}  # every result element, none left over


def test_the_wsdl_keeps_the_configured_namespace(client):
    call = envelope("getEnrollment", tns="http://ispringlearn.com/go/services/api/soap", enrollmentId=SMITH_ENROLLMENT)
    client.post(SOAP_PATH, data=call, headers={"Content-Type": "text/xml"})
    assert etree.fromstring(client.get(f"{SOAP_PATH}?wsdl").get_data()).get("targetNamespace") == TNS


def test_the_docs_unprefixed_request_is_answered_in_the_configured_namespace(client):
    raw = (f"<SOAP-ENV:Envelope xmlns:SOAP-ENV='{SOAP_ENV}'><SOAP-ENV:Body><GetEnrollmentRequest><credentials>"
           "<token>p-1sJDjmULL5DdpXPJTcbm4jVIaWVHvNmrjAxATRbNE</token></credentials>"
           f"<enrollmentId>{SMITH_ENROLLMENT}</enrollmentId></GetEnrollmentRequest></SOAP-ENV:Body>"
           "</SOAP-ENV:Envelope>")
    soap_result(client.post(SOAP_PATH, data=raw, headers={"Content-Type": "text/xml"}), "GetEnrollmentResult", tns=TNS)


# --- 7. an unknown SOAP operation says so -----------------------------------------------------------------------


@pytest.mark.parametrize("body, faultstring", [
    (envelope("fooBar"), "Unknown operation: fooBar"),
    (envelope("getEnrolments", enrollmentId=SMITH_ENROLLMENT), "Unknown operation: getEnrolments"),
    (envelope("getEnrollment", tns="http://new.webservice.namespace", enrollmentId=SMITH_ENROLLMENT),
     f"Unknown operation: getEnrollment in namespace http://new.webservice.namespace (the service's is {TNS})"),
    (f"<SOAP-ENV:Envelope xmlns:SOAP-ENV='{SOAP_ENV}'><SOAP-ENV:Body/></SOAP-ENV:Envelope>".encode(),
     "Wrong parameters"),  # no request at all: a client fault too, no longer a 500 Internal Error
])
def test_unknown_soap_operations_are_named(client, body, faultstring):
    soap_fault(client.post(SOAP_PATH, data=body, headers={"Content-Type": "text/xml"}), faultstring)
