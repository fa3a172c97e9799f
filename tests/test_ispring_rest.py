"""iSpring REST on the wire: the token call, both ways of authenticating, the enrollment routes (XML by default,
JSON on Accept), and bad input answered with the documented error body."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from lxml import etree

from mockserver.contracts.ispring import (
    CreatedEnrollmentsSchema,
    EnrollmentListSchema,
    EnrollmentListXmlSchema,
    EnrollmentSchema,
    EnrollmentsPageSchema,
    EnrollmentXmlSchema,
    TokenSchema,
)

from .helpers.apps import conforms, make_app
from .helpers.ispring_wire import (
    ACCOUNT,
    HOSTILE_KINDS,
    CLIENT_FORM,
    COMMUNICATION,
    DOC_TOKEN,
    DOE_ENROLLMENT,
    JOHN_DOE,
    JOHN_SMITH,
    LEGACY_HEADERS,
    PLACEHOLDER,
    SMITH_ENROLLMENT,
    SPREADSHEETS,
    fresh_learner,
    hostile_documents,
    loopback_listener,
    post_xml,
    rest_error,
    rest_xml,
    seed_text,
    xml_request,
)

JSON = {"Accept": "application/json"}
UNKNOWN = "00000000-0000-1000-8000-000000000000"


def token(client) -> str:
    return client.post("/api/v3/token", data=CLIENT_FORM).get_json()["access_token"]


def bearer(client) -> dict:
    return {"Authorization": f"Bearer {token(client)}"}


def world_of(app):
    return app.extensions["mockserver"].world


# --- POST /api/v3/token -----------------------------------------------------------------------------------


def test_token_call(client):
    response = client.post("/api/v3/token", data=CLIENT_FORM)
    body = conforms(response, TokenSchema)
    assert list(body) == ["access_token", "expires_in", "token_type"]
    assert body["expires_in"] == 1800 and body["token_type"] == "bearer" and len(body["access_token"]) == 43


def test_token_call_in_xml_when_asked(client):
    response = client.post("/api/v3/token", data=CLIENT_FORM, headers={"Accept": "application/xml"})
    body = rest_xml(response, TokenSchema)
    assert body["expires_in"] == 1800 and body["token_type"] == "bearer"


@pytest.mark.parametrize("form, status", [
    ({**CLIENT_FORM, "client_secret": "wrong"}, 401),
    ({**CLIENT_FORM, "client_id": "stranger"}, 401),
    ({**CLIENT_FORM, "grant_type": "password"}, 400),
    ({"client_id": "example", "grant_type": "client_credentials"}, 400),
])
def test_token_call_refusals(client, form, status):
    rest_error(client.post("/api/v3/token", data=form), status, json=True)


def test_token_call_documents_its_refusals(client):
    """Found by the fuzzer: the OpenAPI document listed only 400 for the token call, which answers an unknown client
    401 (as the spec lists 400, 401 and 403 for it)."""
    documented = client.get("/__admin/openapi.json").get_json()["paths"]["/api/v3/token"]["post"]["responses"]
    assert {"400", "401"} <= set(documented)
    rest_error(client.post("/api/v3/token", data={**CLIENT_FORM, "client_id": "stranger"}), 401, json=True)


def test_more_clients_by_setting(world_json, tmp_path):
    client = make_app(world_json, tmp_path, ispring_clients=("3f1c-client:s3cret",)).test_client()
    form = {**CLIENT_FORM, "client_id": "3f1c-client", "client_secret": "s3cret"}
    conforms(client.post("/api/v3/token", data=form), TokenSchema)
    rest_error(client.post("/api/v3/token", data=CLIENT_FORM), 401, json=True)


# --- authentication ----------------------------------------------------------------------------------------


def test_token_with_or_without_bearer(client):
    raw = token(client)
    for header in (f"Bearer {raw}", f"bearer {raw}", raw):
        rest_xml(client.get(f"/enrollment/{SMITH_ENROLLMENT}", headers={"Authorization": header}), EnrollmentXmlSchema)


def test_legacy_headers_from_the_docs(client):
    rest_xml(client.get(f"/enrollment/{SMITH_ENROLLMENT}", headers=LEGACY_HEADERS), EnrollmentXmlSchema)


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer nope"}, {"Authorization": ""},
    {**LEGACY_HEADERS, "X-Auth-Password": "wrong"},
    {**LEGACY_HEADERS, "X-Auth-Account-Url": "http://other.ispringlearn.ru"},
    {"X-Auth-Email": "email@email.com", "X-Auth-Password": "12345Q"},
])
def test_refused_callers_get_401(client, headers):
    rest_error(client.get("/enrollment", headers=headers), 401)
    rest_error(client.get("/enrollment", headers={**headers, **JSON}), 401, json=True)


def test_an_expired_token_is_refused(app, client):
    app.extensions["mockserver"].state.add_token("ispring", "expired-token", -1)
    rest_error(client.get("/enrollment", headers={"Authorization": "Bearer expired-token"}), 401)


def test_the_docs_sample_token_never_expires(client):
    rest_xml(client.get(f"/enrollment/{SMITH_ENROLLMENT}", headers={"Authorization": DOC_TOKEN}), EnrollmentXmlSchema)


def test_a_learner_login_gets_403(world_json, tmp_path):
    client = make_app(world_json, tmp_path,
                      ispring_logins=("email@email.com:12345Q", "learner@example.com:pw:learner")).test_client()
    headers = {"X-Auth-Account-Url": ACCOUNT, "X-Auth-Email": "learner@example.com", "X-Auth-Password": "pw"}
    rest_error(client.get("/enrollment", headers=headers), 403)
    rest_error(post_xml(client, "/enrollment", headers, courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH],
                        dueDateType="unlimited"), 403)


# --- POST /enrollment ----------------------------------------------------------------------------------------


def seed_003_request() -> tuple[dict, bytes]:
    """The POST /enrollment example of seed 003: its headers and its XML body, verbatim."""
    text = seed_text("003_de184a49595f85f9.txt")
    head, _, rest = text.partition("POST /enrollment HTTP/1.1\n")
    lines = rest.split("\n")
    headers = dict(line.split(":", 1) for line in lines[:5] if ":" in line)
    body = rest[rest.index("<?xml"):rest.index("</request>") + len("</request>")]
    return {k.strip(): v.strip() for k, v in headers.items() if k.strip() != "Host"}, body.encode()


def test_seed_003_example_verbatim(app, client):
    headers, body = seed_003_request()
    assert headers["X-Auth-Email"] == "email@email.com" and headers["Content-Type"] == "application/xml"
    response = client.post("/enrollment", data=body, headers=headers)
    created = rest_xml(response, CreatedEnrollmentsSchema, 201)
    (new_id,) = created["enrollmentIds"]
    row = world_of(app).enrollments[new_id]
    assert (row.course_id, row.learner_id, row.access_date, row.due_date) == (PLACEHOLDER, PLACEHOLDER, "2019-09-26",
                                                                              None)
    listed = rest_xml(client.get(f"/enrollment?courseIds[]={PLACEHOLDER}&learnerIds[]={PLACEHOLDER}", headers=headers),
                      EnrollmentListXmlSchema)
    assert [e["enrollmentId"] for e in listed["enrollment"]] == [new_id]


def test_enroll_several_in_json(app, client):
    world = world_of(app)
    learners = [fresh_learner(world, COMMUNICATION)]
    learners.append(next(p.user_id for p in world.people if p.user_id not in learners and not any(
        e.learner_id == p.user_id and e.course_id == COMMUNICATION for e in world.enrollments.values())))
    body = {"courseIds": [COMMUNICATION], "learnerIds": learners, "accessDate": "2024-06-01T08:00:00Z",
            "dueDateType": "due_period", "duePeriod": 36, "lockAfterDueDate": True}
    response = client.post("/enrollment", json=body, headers={**bearer(client), **JSON})
    ids = conforms(response, CreatedEnrollmentsSchema, 201)["enrollmentIds"]
    assert [(world.enrollments[i].learner_id, world.enrollments[i].due_date) for i in ids] == [
        (learners[0], "2024-06-02"), (learners[1], "2024-06-02")]
    listed = conforms(client.get(f"/enrollment?enrollmentIds[]={ids[0]}&enrollmentIds[]={ids[1]}",
                                 headers={**bearer(client), **JSON}), EnrollmentListSchema)
    assert sorted(e["enrollmentId"] for e in listed["enrollments"]) == sorted(ids)
    assert all(e["expirationDate"] == "2024-06-02" and e["shouldLockAfterDueDate"] is True
               for e in listed["enrollments"])


@pytest.mark.parametrize("terms, due", [
    ({"dueDateType": "unlimited", "dueDate": "2019-09-26", "duePeriod": 0}, None),  # seed 003 sends both anyway
    ({"dueDateType": "default"}, None),
    ({"dueDateType": "due_date", "dueDate": "2024-12-20 10:30:00"}, "2024-12-20"),
    ({"dueDateType": "due_period", "duePeriod": 3}, "2024-06-01"),
    ({"dueDateType": "due_period", "duePeriod": 30}, "2024-06-03"),  # hours count from 20:00
])
def test_every_due_date_type(app, client, terms, due):
    learner = fresh_learner(world_of(app), SPREADSHEETS)
    response = post_xml(client, "/enrollment", bearer(client), courseIds=[SPREADSHEETS], learnerIds=[learner],
                        accessDate="2024-06-01 20:00:00", **terms)
    (new_id,) = rest_xml(response, CreatedEnrollmentsSchema, 201)["enrollmentIds"]
    row = world_of(app).enrollments[new_id]
    assert (row.access_date, row.due_date, row.should_lock_after_due_date) == ("2024-06-01", due, False)


def test_access_date_defaults_to_today(app, client):
    learner = fresh_learner(world_of(app), SPREADSHEETS)
    response = post_xml(client, "/enrollment", LEGACY_HEADERS, courseIds=[SPREADSHEETS], learnerIds=[learner],
                        dueDateType="unlimited")
    (new_id,) = rest_xml(response, CreatedEnrollmentsSchema, 201)["enrollmentIds"]
    today = dt.datetime.now(dt.timezone.utc).date()
    assert world_of(app).enrollments[new_id].access_date in (today.isoformat(), (today - dt.timedelta(1)).isoformat())


def test_one_enrollment_per_course_and_learner(app, client):
    before = len(world_of(app).enrollments)
    response = post_xml(client, "/enrollment", LEGACY_HEADERS, courseIds=[SPREADSHEETS, COMMUNICATION],
                        learnerIds=[JOHN_DOE, JOHN_SMITH], dueDateType="unlimited")
    ids = rest_xml(response, CreatedEnrollmentsSchema, 201)["enrollmentIds"]
    assert len(ids) == 4 and ids[0] == DOE_ENROLLMENT and ids[3] == SMITH_ENROLLMENT  # course by course
    assert len(world_of(app).enrollments) == before + 2
    again = post_xml(client, "/enrollment", LEGACY_HEADERS, courseIds=[SPREADSHEETS, COMMUNICATION],
                     learnerIds=[JOHN_DOE, JOHN_SMITH], dueDateType="unlimited")
    assert rest_xml(again, CreatedEnrollmentsSchema, 201)["enrollmentIds"] == ids
    assert len(world_of(app).enrollments) == before + 2


BAD_XML_BODIES = {
    "no dueDateType": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH]),
    "unknown dueDateType": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH], dueDateType="forever"),
    "due_date without dueDate": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH], dueDateType="due_date"),
    "due_period without duePeriod": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH],
                                                dueDateType="due_period"),
    "duePeriod not a number": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH], dueDateType="due_period",
                                          duePeriod="three"),
    "negative duePeriod": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH], dueDateType="due_period",
                                      duePeriod="-1"),
    "bad accessDate": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH], dueDateType="unlimited",
                                  accessDate="26.09.2019"),
    "impossible date": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH], dueDateType="unlimited",
                                   accessDate="2019-02-30"),
    "due before access": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH], dueDateType="due_date",
                                     accessDate="2024-05-01", dueDate="2024-04-01"),
    "bad lockAfterDueDate": xml_request(courseIds=[SPREADSHEETS], learnerIds=[JOHN_SMITH], dueDateType="unlimited",
                                        lockAfterDueDate="maybe"),
    "unknown course": xml_request(courseIds=[UNKNOWN], learnerIds=[JOHN_SMITH], dueDateType="unlimited"),
    "unknown learner": xml_request(courseIds=[SPREADSHEETS], learnerIds=[UNKNOWN], dueDateType="unlimited"),
    "no learnerIds": xml_request(courseIds=[SPREADSHEETS], dueDateType="unlimited"),
    "empty courseIds": xml_request(courseIds=[], learnerIds=[JOHN_SMITH], dueDateType="unlimited"),
    "malformed": b"<request><courseIds><id>x</id></courseIds>",
    "empty": b"",
    "doctype": b'<!DOCTYPE request [<!ENTITY x SYSTEM "file:///etc/passwd">]><request><courseIds><id>&x;</id>'
               b"</courseIds></request>",
}
BAD_JSON_BODIES = {
    # "3" is taken (tests/test_ispring_clients.py); a string that is no integer is not.
    "duePeriod not a number": {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH], "dueDateType": "due_period",
                               "duePeriod": "abc"},
    "courseIds as a string": {"courseIds": SPREADSHEETS, "learnerIds": [JOHN_SMITH], "dueDateType": "unlimited"},
    "lock as a string": {"courseIds": [SPREADSHEETS], "learnerIds": [JOHN_SMITH], "dueDateType": "unlimited",
                         "lockAfterDueDate": "yes"},
    "ids not strings": {"courseIds": [1], "learnerIds": [JOHN_SMITH], "dueDateType": "unlimited"},
    "not an object": [SPREADSHEETS],
}


@pytest.mark.parametrize("name", sorted(BAD_XML_BODIES))
def test_bad_xml_bodies_get_400_and_store_nothing(app, client, name):
    before = dict(world_of(app).enrollments)
    response = client.post("/enrollment", data=BAD_XML_BODIES[name],
                           headers={**LEGACY_HEADERS, "Content-Type": "application/xml"})
    message = rest_error(response, 400)
    assert "root:" not in message and "Traceback" not in message
    assert world_of(app).enrollments == before


@pytest.mark.parametrize("name", sorted(BAD_JSON_BODIES))
def test_bad_json_bodies_get_400_in_json(app, client, name):
    before = dict(world_of(app).enrollments)
    response = client.post("/enrollment", data=json.dumps(BAD_JSON_BODIES[name]),
                           headers={**LEGACY_HEADERS, **JSON, "Content-Type": "application/json"})
    rest_error(response, 400, json=True)
    assert world_of(app).enrollments == before


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
@pytest.mark.parametrize("path, document", [
    ("/enrollment", f"<request><courseIds><id>&x;</id></courseIds><learnerIds><id>{JOHN_SMITH}</id></learnerIds>"
                    "<dueDateType>unlimited</dueDateType></request>"),
    (f"/enrollment/{SMITH_ENROLLMENT}", "<request><accessDate>&x;</accessDate><dueDateType>unlimited</dueDateType>"
                                        "</request>"),
    ("/enrollment/delete", "<request><enrollmentIds><id>&x;</id></enrollmentIds></request>"),
])
def test_hostile_xml_is_refused_on_every_rest_entry_point(app, client, kind, path, document):
    before = dict(world_of(app).enrollments)
    with loopback_listener() as (port, hits):
        response = client.post(path, data=hostile_documents(port, document)[kind],
                               headers={**LEGACY_HEADERS, "Content-Type": "application/xml"})
    assert "root:" not in rest_error(response, 400)
    assert hits == [] and world_of(app).enrollments == before


def test_a_body_over_the_limit_is_413(world_json, tmp_path):
    client = make_app(world_json, tmp_path, max_body_bytes=1024).test_client()
    body = xml_request(courseIds=[SPREADSHEETS] * 40, learnerIds=[JOHN_SMITH], dueDateType="unlimited")
    rest_error(client.post("/enrollment", data=body, headers={**LEGACY_HEADERS, "Content-Type": "application/xml"}),
               413)


# --- GET /enrollment, GET /enrollment/{id} ---------------------------------------------------------------------


def test_get_enrollments_filters_in_xml_and_json(app, client):
    world = world_of(app)
    path = f"/enrollment?courseIds[]={SPREADSHEETS}&courseIds[]={COMMUNICATION}&learnerIds[]={JOHN_DOE}" \
           f"&learnerIds[]={JOHN_SMITH}"
    expected = sorted(e.enrollment_id for e in world.enrollments.values()
                      if e.course_id in (SPREADSHEETS, COMMUNICATION) and e.learner_id in (JOHN_DOE, JOHN_SMITH))
    assert expected == [SMITH_ENROLLMENT, DOE_ENROLLMENT]
    as_xml = rest_xml(client.get(path, headers=LEGACY_HEADERS), EnrollmentListXmlSchema)
    as_json = conforms(client.get(path, headers={**LEGACY_HEADERS, **JSON}), EnrollmentListSchema)
    assert [e["enrollmentId"] for e in as_xml["enrollment"]] == expected
    assert as_json["enrollments"] == as_xml["enrollment"]
    raw = etree.fromstring(client.get(path, headers=LEGACY_HEADERS).get_data())
    assert [c.tag for c in raw] == ["enrollment", "enrollment"]  # response > enrollment, as clients read it
    assert [c.tag for c in raw[1]] == ["enrollmentId", "courseId", "learnerId", "accessDate", "shouldLockAfterDueDate",
                                       "certificate", "enrollmentTypeGroup"]
    assert raw[1].findtext("shouldLockAfterDueDate") == "false"
    assert [c.tag for c in raw[1].find("certificate")] == ["issuedCertificateId", "issueDate", "expiryDate"]
    assert raw[1].findtext("certificate/issueDate") == "2022-07-15"  # the spec's `date`


def test_get_enrollments_no_filter_and_no_match(app, client):
    everything = conforms(client.get("/enrollment", headers={**LEGACY_HEADERS, **JSON}), EnrollmentListSchema)
    assert len(everything["enrollments"]) == len(world_of(app).enrollments)
    none = client.get(f"/enrollment?learnerIds[]={UNKNOWN}", headers=LEGACY_HEADERS)
    assert rest_xml(none, EnrollmentListXmlSchema) == {}
    assert conforms(client.get(f"/enrollment?learnerIds[]={UNKNOWN}", headers={**LEGACY_HEADERS, **JSON}),
                    EnrollmentListSchema) == {"enrollments": []}


@pytest.mark.parametrize("path", ["/enrollment", "/enrollments"])
@pytest.mark.parametrize("query", ["courseIds[]=-2.5", "learnerIds[]=null", "enrollmentIds[]=x&enrollmentIds[]="
                                   + UNKNOWN, f"courseIds={UNKNOWN[:-1]}"])
def test_an_id_filter_that_is_no_uuid_is_a_400(client, path, query):
    """Found by the fuzzer: the spec types the filters' items as UUIDs, and anything else matched nothing (200)."""
    rest_error(client.get(f"{path}?{query}", headers=LEGACY_HEADERS), 400)


def test_get_enrollment(client):
    as_json = conforms(client.get(f"/enrollment/{DOE_ENROLLMENT}", headers={**LEGACY_HEADERS, **JSON}),
                       EnrollmentSchema)
    assert as_json == {
        "enrollmentId": DOE_ENROLLMENT, "courseId": SPREADSHEETS, "learnerId": JOHN_DOE, "accessDate": "2022-07-14",
        "shouldLockAfterDueDate": False,
        "certificate": {"issuedCertificateId": "66b4ed00-040e-11ed-a8a2-b6f58d6fa7b5", "issueDate": "2022-07-15",
                        "expiryDate": "2022-07-15"},
        "enrollmentTypeGroup": 0,
    }
    as_xml = rest_xml(client.get(f"/enrollment/{DOE_ENROLLMENT}", headers=LEGACY_HEADERS), EnrollmentXmlSchema)
    assert as_xml == {"enrollment": as_json}
    rest_error(client.get(f"/enrollment/{UNKNOWN}", headers=LEGACY_HEADERS), 400)


@pytest.mark.parametrize("accept", [{}, JSON], ids=["xml", "json"])
def test_an_id_xml_cannot_hold_is_a_400_not_a_500(client, accept):
    """Found by the fuzzer: an unknown ID with a control character, echoed in the XML error message, made lxml
    raise and the answer a 500; XML now writes such a character as U+FFFD."""
    message = rest_error(client.get("/enrollment/00%0B", headers={**LEGACY_HEADERS, **accept}), 400,
                         json=bool(accept))
    assert "00\ufffd" in message if not accept else "00\x0b" in message


# --- GET /enrollments ---------------------------------------------------------------------------------------------


def test_list_enrollments_default_page_is_everything(app, client):
    response = client.get("/enrollments", headers=LEGACY_HEADERS)
    page = rest_xml(response, EnrollmentsPageSchema)
    assert "nextPageToken" not in page and len(page["enrollments"]) == len(world_of(app).enrollments) < 1000
    raw = etree.fromstring(response.get_data())
    assert [c.tag for c in raw] == ["enrollments"] and {c.tag for c in raw[0]} == {"enrollment"}


@pytest.mark.parametrize("accept", [{}, JSON])
def test_list_enrollments_walks_pages(app, client, accept):
    seen, token, pages = [], None, 0
    while True:
        path = "/enrollments?pageSize=70" + (f"&pageToken={token}" if token else "")
        response = client.get(path, headers={**LEGACY_HEADERS, **accept})
        page = conforms(response, EnrollmentsPageSchema) if accept else rest_xml(response, EnrollmentsPageSchema)
        seen += [e["enrollmentId"] for e in page["enrollments"]]
        pages += 1
        token = page.get("nextPageToken")
        if not token:
            break
        assert base64.b64decode(token).decode() == seen[-1]
    assert seen == sorted(world_of(app).enrollments) and pages == -(-len(seen) // 70)


def test_list_enrollments_filters(client):
    page = rest_xml(client.get(f"/enrollments?learnerIds[]={JOHN_SMITH}&courseIds[]={COMMUNICATION}",
                               headers=LEGACY_HEADERS), EnrollmentsPageSchema)
    assert [e["enrollmentId"] for e in page["enrollments"]] == [SMITH_ENROLLMENT]


@pytest.mark.parametrize("query", ["pageSize=0", "pageSize=ten", "pageSize=-5", "pageToken=%25%25%25", "courseIds[]="])
def test_list_enrollments_bad_query(client, query):
    rest_error(client.get(f"/enrollments?{query}", headers=LEGACY_HEADERS), 400)


# --- POST /enrollment/{id}, POST /enrollment/delete ---------------------------------------------------------------


def test_change_enrollment(app, client):
    response = post_xml(client, f"/enrollment/{SMITH_ENROLLMENT}", LEGACY_HEADERS, accessDate="2019-09-24 10:30:00",
                        dueDateType="due_date", dueDate="2019-10-24", lockAfterDueDate="true")
    assert response.status_code == 200 and response.get_data() == b"" and "Content-Type" not in response.headers
    got = conforms(client.get(f"/enrollment/{SMITH_ENROLLMENT}", headers={**LEGACY_HEADERS, **JSON}), EnrollmentSchema)
    assert (got["accessDate"], got["dueDate"], got["expirationDate"], got["shouldLockAfterDueDate"]) == (
        "2019-09-24", "2019-10-24", "2019-10-24", True)


@pytest.mark.parametrize("path, fields", [
    (f"/enrollment/{SMITH_ENROLLMENT}", {"dueDateType": "unlimited"}),  # accessDate is required here
    (f"/enrollment/{SMITH_ENROLLMENT}", {"accessDate": "2019-09-24"}),
    (f"/enrollment/{UNKNOWN}", {"accessDate": "2019-09-24", "dueDateType": "unlimited"}),
    # Found by the fuzzer: a duePeriod (hours, any int32 by the spec) past the year 9999 was a 500.
    (f"/enrollment/{SMITH_ENROLLMENT}", {"accessDate": "2019-09-24", "dueDateType": "due_period",
                                         "duePeriod": str(2**31 - 1)}),
    (f"/enrollment/{SMITH_ENROLLMENT}", {"accessDate": "9999-12-31", "dueDateType": "due_period", "duePeriod": "24"}),
])
def test_change_enrollment_refusals(app, client, path, fields):
    before = world_of(app).enrollments[SMITH_ENROLLMENT]
    rest_error(post_xml(client, path, LEGACY_HEADERS, **fields), 400)
    assert world_of(app).enrollments[SMITH_ENROLLMENT] == before


def test_delete_enrollments(app, client):
    response = post_xml(client, "/enrollment/delete", LEGACY_HEADERS, enrollmentIds=[SMITH_ENROLLMENT, DOE_ENROLLMENT])
    assert response.status_code == 204 and response.get_data() == b""
    assert SMITH_ENROLLMENT not in world_of(app).enrollments and DOE_ENROLLMENT not in world_of(app).enrollments
    rest_error(client.get(f"/enrollment/{SMITH_ENROLLMENT}", headers=LEGACY_HEADERS), 400)


def test_delete_is_all_or_nothing(app, client):
    before = len(world_of(app).enrollments)
    rest_error(post_xml(client, "/enrollment/delete", LEGACY_HEADERS, enrollmentIds=[SMITH_ENROLLMENT, UNKNOWN]), 400)
    rest_error(post_xml(client, "/enrollment/delete", LEGACY_HEADERS, enrollmentIds=[]), 400)
    assert len(world_of(app).enrollments) == before and SMITH_ENROLLMENT in world_of(app).enrollments


# --- routes ------------------------------------------------------------------------------------------------------


def test_unknown_route_and_wrong_method_keep_the_error_shape(client):
    rest_error(client.get("/enrollment/a/b", headers=LEGACY_HEADERS), 404)
    response = client.delete(f"/enrollment/{SMITH_ENROLLMENT}", headers=LEGACY_HEADERS)
    rest_error(response, 405)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS, POST"
