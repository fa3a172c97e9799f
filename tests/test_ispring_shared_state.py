"""One organisation, one state: a write through either iSpring face (REST or SOAP) is read back through both, on
any worker. Two apps over one state file stand for two workers, deterministically; one test runs the real server
with two gunicorn workers and drives it over HTTP (REST with requests, SOAP with a zeep client from the WSDL)."""

from __future__ import annotations

import datetime as dt
from contextlib import closing

import pytest
import requests
import zeep
from lxml import etree

from mockserver.contracts.ispring import CreatedEnrollmentsSchema, EnrollmentListXmlSchema

from .helpers.ispring_wire import (
    CLIENT_FORM,
    COMMUNICATION,
    DOC_TOKEN,
    JOHN_DOE,
    LEGACY_HEADERS,
    SMITH_ENROLLMENT,
    SOAP_PATH,
    SPREADSHEETS,
    call,
    fresh_learner,
    post_xml,
    rest_error,
    rest_xml,
    soap_fault,
    soap_result,
)


@pytest.fixture
def workers(world_json, tmp_path):
    """Two apps, each with its own in-memory world, sharing one state file: two workers of one server."""
    from mockserver.app import create_app
    from mockserver.config import Config
    from mockserver.state import SharedState
    from mockserver.world import World

    path = str(tmp_path / "shared.sqlite3")
    apps = [create_app(Config(check_contracts=True), world=World.from_json(world_json), state=SharedState(path))
            for _ in range(2)]
    return apps, [a.test_client() for a in apps]


def soap_ids(client, **filters) -> list[str]:
    data = soap_result(call(client, "getEnrollments", **filters), "GetEnrollmentsResult")
    return [e["enrollmentId"] for e in data.get("enrollment", [])]


def rest_ids(client, query: str) -> list[str]:
    data = rest_xml(client.get(f"/enrollment?{query}", headers=LEGACY_HEADERS), EnrollmentListXmlSchema)
    return [e["enrollmentId"] for e in data.get("enrollment", [])]


def test_rest_write_is_read_by_soap_and_rest_on_the_other_worker(workers):
    (one, other), (a, b) = workers
    learner = fresh_learner(one.extensions["mockserver"].world, SPREADSHEETS)
    response = post_xml(a, "/enrollment", LEGACY_HEADERS, courseIds=[SPREADSHEETS], learnerIds=[learner],
                        dueDateType="due_date", dueDate="2030-01-31", accessDate="2030-01-01")
    (new_id,) = rest_xml(response, CreatedEnrollmentsSchema, 201)["enrollmentIds"]
    assert soap_ids(b, learnerIds=[learner], courseIds=[SPREADSHEETS]) == [new_id]
    assert rest_ids(b, f"learnerIds[]={learner}&courseIds[]={SPREADSHEETS}") == [new_id]
    row = soap_result(call(b, "getEnrollment", enrollmentId=new_id), "GetEnrollmentResult")["enrollment"]
    assert (row["accessDate"], row["dueDate"]) == ("2030-01-01", "2030-01-31")


def test_soap_write_is_read_by_rest_on_the_other_worker(workers):
    (one, other), (a, b) = workers
    learner = fresh_learner(one.extensions["mockserver"].world, COMMUNICATION)
    soap_result(call(b, "enrollLearnersInCourses", courseIds=[COMMUNICATION], learnerIds=[learner],
                     dueDateType="unlimited"), "EnrollLearnersInCoursesResult")
    (new_id,) = soap_ids(b, learnerIds=[learner], courseIds=[COMMUNICATION])
    assert rest_ids(a, f"learnerIds[]={learner}&courseIds[]={COMMUNICATION}") == [new_id]
    # Both workers hold the same row, ID included: decided once, in the event.
    assert one.extensions["mockserver"].world.enrollments[new_id] == other.extensions["mockserver"].world.enrollments[
        new_id]


def test_unenroll_and_delete_remove_everywhere(workers):
    _, (a, b) = workers
    soap_result(call(a, "unenroll", enrollmentId=SMITH_ENROLLMENT), "successResult")
    rest_error(b.get(f"/enrollment/{SMITH_ENROLLMENT}", headers=LEGACY_HEADERS), 400)
    soap_fault(call(b, "getEnrollment", enrollmentId=SMITH_ENROLLMENT), "Unknown Enrollment")
    (doe,) = soap_ids(a, learnerIds=[JOHN_DOE], courseIds=[SPREADSHEETS])
    assert post_xml(b, "/enrollment/delete", LEGACY_HEADERS, enrollmentIds=[doe]).status_code == 204
    assert soap_ids(a, learnerIds=[JOHN_DOE], courseIds=[SPREADSHEETS]) == []


def test_change_and_token_cross_workers(workers):
    _, (a, b) = workers
    token = a.post("/api/v3/token", data=CLIENT_FORM).get_json()["access_token"]
    soap_result(call(b, "changeEnrollment", credentials={"token": token}, enrollmentId=SMITH_ENROLLMENT,
                     accessDate="2020-02-02", dueDateType="due_date", dueDate="2020-03-03"), "ChangeEnrollmentResult")
    got = a.get(f"/enrollment/{SMITH_ENROLLMENT}", headers={"Authorization": f"Bearer {token}",
                                                            "Accept": "application/json"}).get_json()
    assert (got["accessDate"], got["dueDate"]) == ("2020-02-02", "2020-03-03")


def test_refused_write_leaves_the_log_alone(workers):
    (one, other), (a, b) = workers
    state = one.extensions["mockserver"].state
    head = state.head()
    rest_error(post_xml(a, "/enrollment", LEGACY_HEADERS, courseIds=[SPREADSHEETS], learnerIds=["nope"],
                        dueDateType="unlimited"), 400)
    soap_fault(call(b, "unenroll", enrollmentId="nope"), "Wrong parameters")
    assert state.head() == head


@pytest.mark.slow  # a real server process: the slow suite
def test_live_server_with_two_workers(fresh_server):
    base = fresh_server.url
    client = zeep.Client(f"{base}{SOAP_PATH}?wsdl")
    with closing(client.transport.session):  # no keep-alive connection outlives the test
        token = requests.post(f"{base}/api/v3/token", data=CLIENT_FORM, timeout=10).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        listed = requests.get(f"{base}/enrollment?courseIds[]={SPREADSHEETS}", headers=auth, timeout=10)
        enrolled = {e.text for e in etree.fromstring(listed.content).iter("learnerId")}
        service = client.service
        people = [p.userId for p in service.getUsers(credentials={"token": DOC_TOKEN})]
        learner = next(p for p in people if p not in enrolled)
        body = {"courseIds": [SPREADSHEETS], "learnerIds": [learner], "dueDateType": "unlimited",
                "accessDate": "2024-06-03"}
        created = requests.post(f"{base}/enrollment", json=body, headers={**auth, "Accept": "application/json"},
                                timeout=10)
        assert created.status_code == 201, created.text
        (new_id,) = created.json()["enrollmentIds"]
        for _ in range(12):  # new connections each time, answered by whichever worker accepts them
            rows = service.getEnrollments(credentials={"token": token}, courseIds={"id": [SPREADSHEETS]},
                                          learnerIds={"id": [learner]})
            assert [(r.enrollmentId, r.accessDate) for r in rows] == [(new_id, dt.date(2024, 6, 3))]
        assert service.unenroll(credentials={"token": token}, enrollmentId=new_id) is True
        for _ in range(6):
            gone = requests.get(f"{base}/enrollment/{new_id}", headers={**auth, "Accept": "application/json"},
                                timeout=10)
            assert gone.status_code == 400 and gone.json()["code"] == 400
