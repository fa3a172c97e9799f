"""iSpring trainings (sessions, days, participants, attendance) and assignments (ungraded attempts, grading) over
REST (XML and JSON) and SOAP listSessionsByTraining: exact wire shapes from the spec, writes seen on another worker,
refusals that store nothing.

Oracles come from the Ruangkerja records the trainings are derived from, read another way (a course's batches, the
people assigned to a batch, a batch's platform and location), and from the content items of type Assignment and their
enrollments, never from the implementation's own queries.
"""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from .helpers.apps import make_app
from .helpers.ispring_wire import LEGACY_CREDENTIALS, LEGACY_HEADERS, call, rest_error, soap_fault, soap_result

JSON = {**LEGACY_HEADERS, "Accept": "application/json"}
XML_BODY = {**LEGACY_HEADERS, "Content-Type": "application/xml"}
UNKNOWN = "00000000-0000-1000-8000-000000000000"


def world_of(client):
    return client.application.extensions["mockserver"].world


def head(client) -> int:
    return client.application.extensions["mockserver"].state.head()


def xml(text: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<request>{text}</request>'.encode()


def tags(element) -> list[str]:
    return [c.tag for c in element]


@pytest.fixture
def training_course(client):
    """A Ruangkerja Webinar course with batches, and the training the mock derives from it (by title)."""
    w = world_of(client)
    course = next(c for c in w.courses if c.category == "Webinar" and len(w.batches_by_course[c.serial]) >= 2)
    found = [t for t in w.trainings if t.title == course.name]
    assert len(found) == 1
    return course, found[0]


def batch_people(w, batch_serial: str) -> list[str]:
    """The userIds of the people Ruangkerja assigns to the batch."""
    employees = {a.employee_id for a in w.assignments if a.batch_serial == batch_serial}
    return sorted(p.user_id for p in w.people if p.employee_id in employees and p.user_id)


# --- trainings ----------------------------------------------------------------------------------------------------


def test_every_webinar_and_offline_course_is_a_training(client):
    w = world_of(client)
    expected = sorted(c.name for c in w.courses if c.category in ("Webinar", "Offline") and
                      any(b.course_serial == c.serial for b in w.batches))
    assert sorted(t.title for t in w.trainings) == expected
    assert not any(t.title == c.name for t in w.trainings for c in w.courses if c.category == "Online")


def test_training_xml_and_json(client, training_course):
    course, training = training_course
    w = world_of(client)
    response = client.get(f"/training/{training.training_id}", headers=LEGACY_HEADERS)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.get_data())
    assert root.tag == "response" and tags(root) == ["training"]
    assert tags(root[0]) == ["title", "organizer", "sessions", "type"]
    assert root[0].findtext("title") == course.name and root[0].findtext("type") == "Webinar"
    assert len(root[0].find("sessions")) == len(w.batches_by_course[course.serial])
    assert set(tags(root[0].find("sessions"))) == {"id"}
    assert root[0].findtext("organizer") in w.learner_by_id
    body = client.get(f"/training/{training.training_id}", headers=JSON).get_json()
    assert list(body) == ["response"] and list(body["response"]) == ["title", "organizer", "sessions", "type"]
    assert body["response"]["sessions"] == [e.text for e in root[0].find("sessions")]


def test_sessions_are_the_batches(client, training_course):
    course, training = training_course
    w = world_of(client)
    batches = w.batches_by_course[course.serial]
    response = client.get(f"/training/{training.training_id}/sessions", headers=LEGACY_HEADERS)
    root = etree.fromstring(response.get_data())
    assert root.tag == "response" and set(tags(root)) == {"trainingSession"}
    assert [s.findtext("title") for s in root] == [b.name for b in batches]
    for element in root:
        assert tags(element) == ["id", "title", "startTime", "duration", "instructor", "dayIds"]
    sessions = client.get(f"/training/{training.training_id}/sessions", headers=JSON).get_json()
    for batch, session in zip(batches, sessions):
        assert session["startTime"].startswith(batch.main_activity_start_at[:19])  # the batch's first day, its hour
        days = [client.get(f"/training/day/{d}", headers=JSON).get_json()["response"] for d in session["dayIds"]]
        assert session["duration"] == sum(d["duration"] for d in days)
        for d in days:
            assert list(d) == ["dayId", "sessionId", "trainingId", "startTime", "duration", "url"]  # a webinar
            assert (d["url"], d["sessionId"], d["trainingId"]) == (batch.location, session["id"],
                                                                  training.training_id)
        one = client.get(f"/training/session/{session['id']}", headers=JSON).get_json()
        assert one == {"response": session}
        participants = client.get(f"/training/session/participants/{session['id']}", headers=JSON).get_json()
        assert participants == batch_people(w, batch.serial)


def test_offline_days_have_the_batch_address(client):
    w = world_of(client)
    course = next(c for c in w.courses if c.category == "Offline" and w.batches_by_course[c.serial])
    training = next(t for t in w.trainings if t.title == course.name)
    session = client.get(f"/training/{training.training_id}/sessions", headers=JSON).get_json()[0]
    response = client.get(f"/training/day/{session['dayIds'][0]}", headers=LEGACY_HEADERS)
    root = etree.fromstring(response.get_data())
    assert tags(root) == ["Day"]
    assert tags(root[0]) == ["dayId", "sessionId", "trainingId", "startTime", "duration", "location"]
    assert root[0].findtext("location") == w.batches_by_course[course.serial][0].location


def test_unknown_ids(client):
    rest_error(client.get(f"/training/{UNKNOWN}", headers=LEGACY_HEADERS), 400)  # the spec lists no 404 here
    for path in (f"/training/{UNKNOWN}/sessions", f"/training/session/participants/{UNKNOWN}"):
        rest_error(client.get(path, headers=LEGACY_HEADERS), 404)  # the spec's 404, in its error shape
    # The spec types these two 404s text/plain, with its example text, whatever the Accept
    for path, text in ((f"/training/session/{UNKNOWN}", "Training session not found"),
                       (f"/training/day/{UNKNOWN}", "Day not found"), ("/training/day/not-a-day", "Day not found")):
        for headers in (JSON, LEGACY_HEADERS):
            response = client.get(path, headers=headers)
            assert (response.status_code, response.headers["Content-Type"], response.get_data(as_text=True)) == \
                (404, "text/plain; charset=utf-8", text)


def test_participants_page_by_the_last_id(client, training_course):
    _, training = training_course
    session = training.session_ids[0]
    everyone = client.get(f"/training/session/participants/{session}", headers=JSON).get_json()
    assert len(everyone) > 3
    first = client.get(f"/training/session/participants/{session}?pageSize=2", headers=JSON).get_json()
    token = base64.b64encode(first[-1].encode()).decode()
    rest = client.get(f"/training/session/participants/{session}?pageToken={token}", headers=JSON).get_json()
    assert first + rest == everyone
    root = etree.fromstring(client.get(f"/training/session/participants/{session}?pageSize=2",
                                       headers=LEGACY_HEADERS).get_data())
    assert tags(root) == ["id", "id"] and [e.text for e in root] == first
    rest_error(client.get(f"/training/session/participants/{session}?pageSize=0", headers=LEGACY_HEADERS), 400)


# --- training writes ----------------------------------------------------------------------------------------------


def test_update_day_url_is_seen_by_another_worker(app, client, world_json, tmp_path, training_course):
    _, training = training_course
    day = world_of(client).training_sessions[0].day_ids[0]
    response = client.post(f"/training/day/{day}", data=xml("<url>https://zoom.us/j/123456789</url>"),
                           headers=XML_BODY)
    assert response.status_code == 200 and response.get_data() == b""
    other = make_app(world_json, tmp_path).test_client()  # another worker: the same state file
    found = other.get(f"/training/day/{day}", headers=JSON).get_json()["response"]
    assert found["url"] == "https://zoom.us/j/123456789"


@pytest.mark.parametrize("body, message", [
    (b'{"url": "not a url"}', "url must be an http(s) URL"),
    (b"{}", "url is required"),
])
def test_update_day_refusals_store_nothing(client, body, message):
    day = world_of(client).training_days[0].day_id
    before = head(client)
    response = client.post(f"/training/day/{day}", data=body, headers={**JSON, "Content-Type": "application/json"})
    assert rest_error(response, 400, json=True).startswith(message)
    rest_error(client.post(f"/training/day/{UNKNOWN}", json={"url": "https://a.example"}, headers=JSON), 404,
               json=True)
    assert head(client) == before


def test_attendance_marks_participants_and_refuses_others(client, world_json, tmp_path, training_course):
    _, training = training_course
    w = world_of(client)
    session = w.training_session_by_id[training.session_ids[0]]
    day = session.day_ids[0]
    present, absent = session.participant_ids[:2]
    body = xml("<participantsAttendance>"
               f"<trainingParticipantAttendance><participantId>{present}</participantId><isAttended>true</isAttended>"
               "<duration>3600</duration></trainingParticipantAttendance>"
               f"<trainingParticipantAttendance><participantId>{absent}</participantId><isAttended>false</isAttended>"
               "</trainingParticipantAttendance></participantsAttendance>")
    response = client.post(f"/training/day/{day}/participants/attendance/update", data=body, headers=XML_BODY)
    assert response.status_code == 200 and response.get_data() == b""
    other = world_of(make_app(world_json, tmp_path).test_client())
    other.catch_up(client.application.extensions["mockserver"].state)
    marks = {(m.participant_id, m.is_attended, m.duration) for m in other.training_attendance.values()
             if m.day_id == day}
    assert {(present, True, 3600), (absent, False, None)} <= marks
    before = head(client)
    stranger = next(u.user_id for u in w.learners if u.user_id not in session.participant_ids)
    response = client.post(f"/training/day/{day}/participants/attendance/update", headers=JSON, json={
        "participantsAttendance": [{"participantId": present, "isAttended": True},
                                   {"participantId": stranger, "isAttended": True}]})
    assert "participantsAttendance[1].participantId" in rest_error(response, 400, json=True)
    response = client.post(f"/training/day/{day}/participants/attendance/update", headers=JSON,
                           json={"participantsAttendance": [{"participantId": present}]})
    assert rest_error(response, 400, json=True) == "participantsAttendance[0].isAttended is required"
    assert head(client) == before


def test_soap_list_sessions_by_training(client, training_course):
    course, training = training_course
    data = soap_result(call(client, "listSessionsByTraining", credentials=LEGACY_CREDENTIALS,
                            trainingId=training.training_id), "ListSessionsByTrainingResult")
    rest = client.get(f"/training/{training.training_id}/sessions", headers=JSON).get_json()
    assert [s["title"] for s in data["trainingSession"]] == [b.name for b in world_of(client).batches_by_course[
        course.serial]]
    assert [s["id"] for s in data["trainingSession"]] == [s["id"] for s in rest]
    assert [s["dayIds"] for s in data["trainingSession"]] == [s["dayIds"] for s in rest]
    soap_fault(call(client, "listSessionsByTraining", credentials=LEGACY_CREDENTIALS, trainingId=UNKNOWN),
               "Wrong parameters")


# --- assignments --------------------------------------------------------------------------------------------------


def assignment_items(w):
    return sorted((c for c in w.content_items if c.type == "Assignment"), key=lambda c: c.content_item_id)


def test_assignments_are_the_assignment_content_items(client):
    w = world_of(client)
    items = assignment_items(w)
    assert len(items) == 3
    root = etree.fromstring(client.get("/assignments", headers=LEGACY_HEADERS).get_data())
    assert tags(root) == ["assignments"] and set(tags(root[0])) == {"assignment"}
    assert [a.findtext("assignmentId") for a in root[0]] == [c.content_item_id for c in items]
    assert [a.findtext("title") for a in root[0]] == [c.title for c in items]
    assert tags(root[0][0]) == ["assignmentId", "title", "instructorId"]
    page = client.get("/assignments?pageSize=2", headers=JSON).get_json()
    assert list(page) == ["assignments", "nextPageToken"] and len(page["assignments"]) == 2
    rest_error(client.get("/assignments?ungraded=2", headers=LEGACY_HEADERS), 400)


def test_ungraded_attempts_grading_and_unenrolling(client, world_json, tmp_path):
    w = world_of(client)
    item = assignment_items(w)[0]
    enrollment_of = {e.enrollment_id: e for e in w.enrollments.values() if e.course_id == item.content_item_id}
    attempts = client.get(f"/assignment/{item.content_item_id}/attempts/ungraded", headers=JSON).get_json()
    assert len(attempts) >= 2
    for a in attempts:
        assert list(a) == ["attemptId", "enrollmentId", "userId", "comment", "attachments"]
        assert enrollment_of[a["enrollmentId"]].learner_id == a["userId"]  # an enrollment in this item, its learner
    root = etree.fromstring(client.get(f"/assignment/{item.content_item_id}/attempts/ungraded",
                                       headers=LEGACY_HEADERS).get_data())
    assert set(tags(root)) == {"attempt"} and [e.findtext("attemptId") for e in root] == [
        a["attemptId"] for a in attempts]
    one = client.get(f"/assignment/{item.content_item_id}/attempts/ungraded?userIds[]={attempts[0]['userId']}",
                     headers=JSON).get_json()
    assert one == [attempts[0]]

    graded, other = attempts[0]["attemptId"], attempts[1]["attemptId"]
    body = xml(f"<assignmentAttemptGrades><attemptGrade><attemptId>{graded}</attemptId><score>87.5</score>"
               "<comment>Rapi</comment></attemptGrade></assignmentAttemptGrades>")
    response = client.post("/assignments/attempts/grade", data=body, headers=XML_BODY)
    assert response.status_code == 200 and response.get_data() == b""
    again = make_app(world_json, tmp_path).test_client()  # another worker
    left = again.get(f"/assignment/{item.content_item_id}/attempts/ungraded", headers=JSON).get_json()
    assert [a["attemptId"] for a in left] == [a["attemptId"] for a in attempts[1:]]
    stored = world_of(again).assignment_attempt_by_id[graded]
    assert (stored.score, stored.grade_comment) == (87.5, "Rapi")

    before = head(client)
    for grades, field in (([{"attemptId": graded, "score": 50}], "assignmentAttemptGrades[0].attemptId"),
                          ([{"attemptId": other, "score": 101}], "assignmentAttemptGrades[0].score"),
                          ([{"attemptId": other, "score": 70}, {"attemptId": UNKNOWN, "score": 70}],
                           "assignmentAttemptGrades[1].attemptId")):
        response = client.post("/assignments/attempts/grade", json={"assignmentAttemptGrades": grades}, headers=JSON)
        assert rest_error(response, 400, json=True).startswith(field)
    assert head(client) == before

    enrollment = attempts[1]["enrollmentId"]  # unenrolling takes the learner's attempt with it
    assert client.post("/enrollment/delete", json={"enrollmentIds": [enrollment]}, headers=JSON).status_code == 204
    left = client.get(f"/assignment/{item.content_item_id}/attempts/ungraded", headers=JSON).get_json()
    assert enrollment not in {a["enrollmentId"] for a in left}
    rest_error(client.get(f"/assignment/{UNKNOWN}/attempts/ungraded", headers=LEGACY_HEADERS), 400)


def test_ungraded_filter_lists_assignments_with_attempts_to_grade(client):
    w = world_of(client)
    waiting = [c.content_item_id for c in assignment_items(w)
               if client.get(f"/assignment/{c.content_item_id}/attempts/ungraded", headers=JSON).get_json()]
    listed = client.get("/assignments?ungraded=1", headers=JSON).get_json()["assignments"]
    assert [a["assignmentId"] for a in listed] == waiting
    assert len(client.get("/assignments?ungraded=0", headers=JSON).get_json()["assignments"]) == 3
